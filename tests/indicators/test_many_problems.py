"""One report with every problem (issue #13, item 2): a file with many mistakes of different kinds is checked
to its last line, and every problem is reported at once, grouped by kind, in the command's JSON and on the
upload page, in Danish. A short or long line no longer stops the check."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from indicators.ingest.problems import PER_KIND
from indicators.models import Observation, StagedObservation, Upload

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_tasks")]

DATA = Path(__file__).resolve().parent.parent / "data"
MANY = DATA / "bad-many-problems.csv"
# kind -> the lines of bad-many-problems.csv that have it
EXPECTED = {
    "too_few_fields": [3, 15],
    "too_many_fields": [4],
    "unknown_area": [5, 16],
    "year": [6],
    "value_not_a_number": [7],
    "interval_order": [8],
    "duplicate": [9],
    "unknown_indicator": [10],
    "unknown_sex": [11],
    "respondents": [12],
    "outside_percent": [13, 13, 13],  # the value and both bounds
    "interval_incomplete": [14],
}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def import_json(path):
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError) as rejected:
        call_command("import_indicators", str(path), "--json", stdout=out, stderr=err)
    assert rejected.value.returncode == 1
    return json.loads(out.getvalue())


def test_every_problem_of_a_file_is_reported_at_once_grouped_by_kind():
    result = import_json(MANY)

    assert result["status"] == "rejected"
    groups = {group["kind"]: group for group in result["problem_groups"]}
    assert {kind: [p["line"] for p in groups[kind]["problems"]] for kind in groups} == EXPECTED
    assert result["problem_count"] == sum(len(lines) for lines in EXPECTED.values()) == 16
    # In file order: the kind met first comes first, each with its Danish title.
    assert [group["kind"] for group in result["problem_groups"]][:3] == [
        "too_few_fields",
        "too_many_fields",
        "unknown_area",
    ]
    assert groups["too_few_fields"]["title"] == "Linjer med for få felter"
    assert groups["too_few_fields"]["problems"][1]["message"].startswith(
        "Linje 15 har kun 5 felter, men overskriften har 10."
    )
    assert groups["duplicate"]["problems"][0]["message"].startswith("Linje 2 og linje 9 har samme indikator")
    assert not Observation.objects.exists() and not StagedObservation.objects.exists()


def test_each_kind_shows_its_first_lines_and_counts_the_rest(tmp_path):
    header, good, *_rest = MANY.read_text(encoding="utf-8").splitlines()
    rows = [good]
    rows += [f"dagligrygning;461;{1990 + i};Alle;16+" for i in range(PER_KIND + 30)]  # short lines
    rows += [f"dagligrygning;Atlantis;{1990 + i};Alle;16+;Alle;16,3;15,1;17,6;4.812" for i in range(3)]
    path = tmp_path / "mange.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")

    result = import_json(path)

    short, area = result["problem_groups"]
    assert short["kind"] == "too_few_fields" and short["count"] == PER_KIND + 30
    assert [p["line"] for p in short["problems"]] == list(range(3, 3 + PER_KIND))
    assert short["more"] == 30 and short["more_message"] == "... og 30 linjer mere med samme slags problem."
    # The lines after the short ones are still checked.
    assert area["kind"] == "unknown_area" and [p["line"] for p in area["problems"]] == [53, 54, 55]
    assert result["problem_count"] == PER_KIND + 33


def test_the_upload_page_shows_the_problems_grouped_by_kind(
    analyst_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = analyst_client.post(
            reverse("indicators:upload_list"), {"file": SimpleUploadedFile("mange.csv", MANY.read_bytes())}
        )
    html = analyst_client.get(response["Location"]).content.decode()

    assert Upload.objects.get().status == Upload.Status.REJECTED
    assert "Der er 16 problemer i filen. Intet er gemt." in html
    assert "Hele filen er kontrolleret; problemerne er samlet efter slags." in html
    for caption in (
        "Linjer med for få felter (2)",
        "Linjer med for mange felter (1)",
        "Ukendt område (2)",
        "Forkert år eller periode (1)",
        "Værdi, der ikke er et tal (1)",
        "Grænser og værdi i forkert orden (1)",
        "Samme måling to gange (1)",
        "Ukendt indikator (1)",
        "Ukendt køn (1)",
        "Antal svarpersoner (1)",
        "Procent uden for 0-100 (3)",
        "Kun én grænse udfyldt (1)",
    ):
        assert f"<caption>{caption}</caption>" in html
