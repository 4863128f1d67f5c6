"""`manage.py import_indicators` and `manage.py export_indicators`: the upload services from the command
line, and an export that imports back without changing anything."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from clusters.models import Area
from indicators.models import Indicator, Observation, ObservationHistory, StagedObservation, Upload
from indicators.signals import observations_changed

# Tasks run in this process even when REDIS_URL points at a broker (see tests/conftest.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_tasks")]

HEADER = "indikator;område;år;køn;alder;uddannelse;andel;nedre;øvre;antal svarpersoner\n"
GOOD = HEADER + (
    "dagligrygning;461;2021;Alle;16+;Alle;16,3;15,1;17,6;4.812\n"
    "dagligrygning;Region Syddanmark;2021;Kvinder;16-24;Alle;9,8;7,9;12,0;1.020\n"
    "dagligrygning;Odense;2019-2021;Mænd;16+;Grundskole;21,25;18,5;24,0;312\n"
    "dagligrygning;Odense;2017;Alle;16+;Alle;-;;;\n"
)
BAD = HEADER + "dagligrygning;461;2021;Alle;16+;Alle;16,3;17,0;18,0;4.812\n"
JSON_KEYS = [
    "status",
    "rows",
    "new",
    "changed",
    "unchanged",
    "problems",
    "warnings",
    "problem_count",
    "problem_groups",
    "warning_groups",
    # The whole preview (indicators/preview.py).
    "replaces_sample",
    "changed_examples",
    "status_changes",
    "status_changes_total",
    "status_change_groups",
    "same_as_upload",
    "message",
]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def write(tmp_path):
    def write(text, name="data.csv", encoding="utf-8"):
        path = tmp_path / name
        path.write_bytes(text.encode(encoding))
        return path

    return write


def run(*args):
    """Run a command; returns (stdout, the CommandError it raised or None)."""
    out, err = StringIO(), StringIO()
    try:
        call_command(*args, stdout=out, stderr=err)
    except CommandError as error:
        return out.getvalue(), error
    return out.getvalue(), None


def import_json(path, *options):
    out, error = run("import_indicators", str(path), "--json", *options)
    result = json.loads(out)
    assert list(result) == JSON_KEYS
    return result, error


def snapshot():
    return {
        "observations": list(
            Observation.objects.order_by("pk").values_list(
                "indicator_id", "area_id", "year", "period_label", "sex", "age_group", "education",
                "value", "ci_low", "ci_high", "respondents", "suppressed", "is_sample", "upload_id",
            )
        ),
        "history": list(ObservationHistory.objects.order_by("pk").values_list()),
        "staged": list(StagedObservation.objects.order_by("pk").values_list()),
        "uploads": list(Upload.objects.order_by("pk").values_list("pk", "status")),
    }  # fmt: skip


def test_import_loads_a_file_and_prints_one_json_object(write):
    result, error = import_json(write(GOOD))

    assert error is None
    assert {key: result[key] for key in JSON_KEYS[:10]} == {
        "status": "loaded",
        "rows": 4,
        "new": 4,
        "changed": 0,
        "unchanged": 0,
        "problems": [],
        "warnings": [],
        "problem_count": 0,
        "problem_groups": [],
        "warning_groups": [],
    }
    assert result["message"] == "4 nye, 0 ændrede og 0 uændrede værdier."
    grundskole = Observation.objects.get(education="Grundskole", area__code="461")
    assert (grundskole.year, grundskole.period_label, grundskole.value) == (2021, "2019-2021", 21.25)
    assert Upload.objects.get().status == Upload.Status.LOADED


def test_importing_the_same_file_again_reports_unchanged(write):
    path = write(GOOD)
    import_json(path)
    before = snapshot()["observations"]

    result, error = import_json(path)

    assert error is None
    assert (result["status"], result["new"], result["changed"], result["unchanged"]) == ("unchanged", 0, 0, 4)
    assert snapshot()["observations"] == before


def test_a_rejected_file_exits_with_1_and_lists_its_problems(write):
    before = snapshot()

    result, error = import_json(write(BAD))

    assert error is not None and error.returncode == 1
    assert result["status"] == "rejected"
    (problem,) = result["problems"]
    assert list(problem) == ["line", "column", "value", "message", "kind", "more"]
    assert result["problem_count"] == 1 and result["problem_groups"][0]["kind"] == "interval_order"
    assert problem["line"] == 2 and problem["message"]
    assert snapshot()["observations"] == before["observations"]
    assert not StagedObservation.objects.exists()


def test_a_dry_run_reports_what_would_happen_and_stores_nothing(write, media):
    import_json(write(GOOD, name="first.csv"))
    before = snapshot()
    files = sorted(media.rglob("*"))
    changed = GOOD.replace("16,3;15,1;17,6", "16,8;15,5;18,0")

    result, error = import_json(write(changed, name="second.csv"), "--dry-run")

    assert error is None
    assert (result["status"], result["new"], result["changed"], result["unchanged"]) == ("loaded", 0, 1, 3)
    assert snapshot() == before
    assert sorted(media.rglob("*")) == files

    result, error = import_json(write(GOOD, name="third.csv"), "--dry-run")
    assert result["status"] == "unchanged"
    result, error = import_json(write(BAD, name="bad.csv"), "--dry-run")
    assert result["status"] == "rejected" and error.returncode == 1
    assert snapshot() == before


def test_the_upload_is_recorded_under_the_named_user(write, analyst):
    user = analyst

    import_json(write(GOOD), "--user", analyst.username)

    upload = Upload.objects.get()
    assert upload.uploaded_by == user and upload.confirmed_by == user
    out, error = run("import_indicators", str(write(GOOD)), "--user", "nobody")
    assert "nobody" in str(error)


def test_without_json_the_command_reports_in_danish(write):
    out, error = run("import_indicators", str(write(GOOD)))

    assert error is None
    assert "4 nye" in out


def test_export_writes_the_canonical_long_layout(write):
    import_json(write(GOOD))

    out, error = run("export_indicators", "--indicator", "dagligrygning")

    assert error is None
    assert out.startswith(
        "\ufeffindikator;område;år;køn;alder;uddannelse;andel;nedre;øvre;antal svarpersoner\r\n"
    )
    lines = out.lstrip("\ufeff").splitlines()[1:]
    assert lines == [
        "dagligrygning;1083;2021;Kvinder;16-24;Alle;9,8;7,9;12;1020",
        "dagligrygning;461;2017;Alle;Alle;Alle;;;;",
        "dagligrygning;461;2021;Alle;Alle;Alle;16,3;15,1;17,6;4812",
        "dagligrygning;461;2019-2021;Mænd;Alle;Grundskole;21,25;18,5;24;312",
    ]
    out, _ = run("export_indicators", "--area", "1083")
    assert len(out.splitlines()) == 2
    out, error = run("export_indicators", "--indicator", "findes-ikke")
    assert "findes-ikke" in str(error)


def test_importing_an_export_changes_nothing(write, tmp_path):
    import_json(write(GOOD))
    # Sample data and values with many decimals must survive the round trip too.
    Observation.objects.create(
        indicator=Indicator.objects.get(code="dagligrygning"),
        area=Area.objects.get(code="000"),
        year=2013,
        value=1 / 3,
        ci_low=0.1,
        ci_high=0.9,
        respondents=12345,
        is_sample=True,
    )
    Observation.objects.create(
        indicator=Indicator.objects.get(code="dagligrygning"),
        area=Area.objects.filter(kind=Area.Kind.CLUSTER).order_by("code").first(),
        year=2023,
        education="Lang videregående uddannelse; over 4 år",
        value=12.0,
    )
    export = tmp_path / "export.csv"
    run("export_indicators", "--output", str(export))
    assert export.read_bytes().startswith(b"\xef\xbb\xbf")
    before = snapshot()["observations"]

    result, error = import_json(export)

    assert error is None, result["problems"]
    assert (result["status"], result["new"], result["changed"], result["unchanged"]) == ("unchanged", 0, 0, 6)
    assert snapshot()["observations"] == before


DATA = Path(__file__).resolve().parent.parent / "data"
BAD_FILES = sorted(path.name for path in DATA.iterdir() if path.name.startswith("bad-"))


def stored_values():
    return list(
        Observation.objects.order_by("pk").values_list(
            "pk", "value", "ci_low", "ci_high", "respondents", "suppressed", "is_sample", "upload_id"
        )
    )


@pytest.mark.parametrize("name", BAD_FILES)
def test_every_bad_file_is_rejected_in_danish_and_changes_nothing(name, write):
    """Loaded for real (not a dry run): exit code 1, each problem says what to do, and the observations
    are exactly what they were, value for value."""
    _out, error = run("import_indicators", str(write(GOOD)))
    assert error is None
    before = stored_values()

    result, error = import_json(DATA / name)

    assert error is not None and error.returncode == 1
    assert result["status"] == "rejected" and result["problems"]
    for problem in result["problems"]:
        assert len(problem["message"]) > 20
        assert not any(word in problem["message"] for word in ("Error", "error", "Traceback", "None"))
    assert stored_values() == before
    assert not StagedObservation.objects.exists()


def test_a_failing_status_refresh_after_the_load_does_not_make_the_load_look_failed(
    write, monkeypatch, django_capture_on_commit_callbacks, caplog
):
    """Without a broker the refresh runs in-process right after the commit; the values are stored by
    then, so its failure is logged (and the statuses refreshed by the next change), not reported as a
    failed upload that "stored nothing"."""
    from goals import services

    def broken(**kwargs):
        raise RuntimeError("status refresh broke")

    monkeypatch.setattr(services, "measure_statuses_refresh_for_indicator", broken)
    # A listener connected after goals' own: it still hears of the change when the refresh fails.
    heard = []

    def listener(sender, indicator_ids, **kwargs):
        heard.append(indicator_ids)

    observations_changed.connect(listener, dispatch_uid="test-listener")
    try:
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            result, error = import_json(write(GOOD))
    finally:
        observations_changed.disconnect(dispatch_uid="test-listener")

    assert callbacks, "the load announced its changed indicators"
    assert error is None and result["status"] == "loaded" and result["new"] == 4
    assert Upload.objects.get().status == Upload.Status.LOADED
    assert Observation.objects.filter(upload__isnull=False).count() == 4
    assert heard == [{Indicator.objects.get(code="dagligrygning").pk}]
    assert "status refresh broke" in caplog.text
