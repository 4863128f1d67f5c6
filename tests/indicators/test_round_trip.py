"""Everything the site and `export_indicators` write uploads again with no problem, no warning and no change
(issue #13, item 3): the export, the indicator page's CSV and the measure page's CSV and XLSX, for each
good file in tests/data/ and for sample data ("eksempeldata"), with numbers at the precision they were
stored with."""

import contextlib
import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from clusters.models import Area
from goals import downloads
from goals.models import Measure
from goals.selectors import measure_page_data
from indicators import fileformat
from indicators.models import Indicator, Observation
from indicators.services import sample_data_generate

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_tasks")]

DATA = Path(__file__).resolve().parent.parent / "data"
GOOD_FILES = sorted(
    path.name for path in DATA.iterdir() if path.name.startswith("good-") and path.suffix != ".py"
)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _import(path: Path, *options) -> dict:
    out = io.StringIO()
    with contextlib.suppress(CommandError):  # a rejection: the JSON says why
        call_command("import_indicators", str(path), "--json", *options, stdout=out)
    return json.loads(out.getvalue())


def _stored() -> list:
    return list(
        Observation.objects.order_by("pk").values_list(
            "pk",
            "period_label",
            "value",
            "ci_low",
            "ci_high",
            "respondents",
            "suppressed",
            "is_sample",
            "upload_id",
        )
    )


def _downloads(tmp_path: Path, client) -> dict[str, Path]:
    """Every file the site and the export write about the stored values."""
    files = {}
    export = tmp_path / "export.csv"
    call_command("export_indicators", "--output", str(export), stderr=io.StringIO())
    files["export_indicators"] = export
    for code in Observation.objects.values_list("indicator__code", flat=True).distinct():
        response = client.get(reverse("goals:indicator_values_csv", args=[code]))
        path = tmp_path / f"indikator-{code}.csv"
        path.write_bytes(b"".join(response.streaming_content))
        files[f"indicator page {code}"] = path
    indicators = Observation.objects.values_list("indicator_id", flat=True).distinct()
    measures = Measure.objects.filter(indicator_id__in=indicators).select_related(
        "indicator__source", "objective__vision__agreement__area", "target"
    )
    for measure in measures:
        agreement_area = measure.objective.vision.agreement.area
        with_data = Area.objects.filter(observations__indicator_id=measure.indicator_id).distinct()
        for area in {agreement_area, *with_data.filter(parent=agreement_area)[:1]}:
            data = measure_page_data(measure=measure, area=area, year=2030)
            if not downloads.rows(data):
                continue
            name = f"maaling-{measure.pk}-{area.code}"
            (tmp_path / f"{name}.csv").write_text(downloads.measure_csv(data), encoding="utf-8")
            (tmp_path / f"{name}.xlsx").write_bytes(downloads.measure_xlsx(data))
            files[f"measure {measure.pk} {area.code} csv"] = tmp_path / f"{name}.csv"
            files[f"measure {measure.pk} {area.code} xlsx"] = tmp_path / f"{name}.xlsx"
    return files


def _assert_round_trip(tmp_path, client):
    before = _stored()
    files = _downloads(tmp_path, client)
    assert files
    for what, path in files.items():
        result = _import(path, "--dry-run")
        assert result["problems"] == [], what
        assert result["warnings"] == [], what
        assert (result["status"], result["new"], result["changed"]) == ("unchanged", 0, 0), (
            what,
            json.dumps(result["changed_examples"], ensure_ascii=False),
        )
        assert result["status_changes"] == [], what
    assert _stored() == before
    return files


@pytest.mark.parametrize("name", GOOD_FILES)
def test_what_the_site_writes_about_a_good_file_uploads_again_unchanged(name, tmp_path, client):
    loaded = _import(DATA / name)
    assert loaded["status"] == "loaded", loaded["problems"]

    _assert_round_trip(tmp_path, client)


def test_sample_data_downloads_upload_again_without_a_warning_and_stay_sample(tmp_path, client):
    """The downloads say which values are sample data ("eksempeldata" = ja); the importer knows the column
    and ignores it, and a value uploaded unchanged stays sample data."""
    sample_data_generate(seed=7)
    Observation.objects.exclude(indicator__code="dagligrygning").delete()

    files = _assert_round_trip(tmp_path, client)

    text = files["indicator page dagligrygning"].read_text(encoding="utf-8-sig")
    assert text.splitlines()[0].endswith(";eksempeldata") and ";ja" in text
    assert not Observation.objects.filter(is_sample=False).exists()


def test_numbers_are_written_with_the_digits_they_were_stored_with(tmp_path, client):
    """Up to the 15 significant digits a spreadsheet keeps (the importer reads a workbook's numbers so)."""
    indicator = Indicator.objects.get(code="dagligrygning")
    area = Area.objects.get(code="461")
    for year, value, low, high in (
        (2017, 12.345678901, 11.2, 13.4999),
        (2021, 16.25, 0.05, 33.3333333333333),
    ):
        Observation.objects.create(
            indicator=indicator, area=area, year=year, value=value, ci_low=low, ci_high=high, respondents=812
        )

    files = _assert_round_trip(tmp_path, client)

    lines = files["export_indicators"].read_text(encoding="utf-8-sig").splitlines()
    assert "dagligrygning;461;2017;Alle;Alle;Alle;12,345678901;11,2;13,4999;812" in lines
    assert "dagligrygning;461;2021;Alle;Alle;Alle;16,25;0,05;33,3333333333333;812" in lines


def test_every_age_is_written_alle_and_i_alt_and_16_plus_are_still_read(tmp_path):
    assert fileformat.row("x", "461", 2021, "", "alle", "alle", "alle", 1.5, None, None, None)[3:6] == [
        "Alle",
        "Alle",
        "Alle",
    ]
    header = ";".join(fileformat.HEADER) + "\n"
    path = tmp_path / "aldre.csv"
    path.write_text(
        header
        + "dagligrygning;461;2021;Alle;I alt;Alle;16,3;;;\n"
        + "dagligrygning;147;2021;Alle;16+;Alle;16,3;;;\n"
        + "dagligrygning;101;2021;Alle;Alle;Alle;16,3;;;\n",
        encoding="utf-8",
    )

    _import(path)

    assert set(Observation.objects.values_list("age_group", flat=True)) == {"alle"}
