"""The numbers behind a measure page's charts as CSV and XLSX, and the indicator page's values as CSV.

All of them are the canonical indicator file (indicators/fileformat.py): the stored values, one line per
value, in the columns the importer reads, followed by columns that describe each value for a reader (its
area's name, the charts it is drawn in, the unit, the benchmark result and status the page shows, and
whether it is generated sample data, "eksempeldata"). The importer knows those and ignores them, so a
download uploads again with no problem, no warning and no change (issue #13, item 3).

CSV follows what Danish Excel opens with a double click: UTF-8 with a byte order mark, semicolons between
fields and a decimal comma. XLSX keeps numbers as numbers.
"""

import io
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from indicators import charts, fileformat
from indicators.models import Observation
from sundhedsaftale.spreadsheet import spreadsheet_safe, xlsx_text_cells

from .selectors import MeasurePageData

CHUNK = 10_000
# The measure downloads' columns after the canonical ones (fileformat.DESCRIPTIVE keys).
MEASURE_DESCRIPTIVE = ("area_name", "chart", "unit", "comparison", "status", "sample")


def columns() -> list[str]:
    return [*fileformat.HEADER, *(fileformat.DESCRIPTIVE[name] for name in MEASURE_DESCRIPTIVE)]


@dataclass
class _Drawn:
    """Where the page draws one stored value."""

    area_name: str
    charts: list[str] = field(default_factory=list)
    benchmark: str = ""
    status: str = ""


def _drawn(data: MeasurePageData) -> dict[tuple, _Drawn]:
    """(area code, year, sex, age group, education) -> where the page draws that value, in page order."""
    measure = data.measure
    own = (measure.sex, measure.age_group, measure.education)
    drawn: dict[tuple, _Drawn] = {}

    def add(chart, code, name, year, breakdown=own, benchmark="", status=""):
        entry = drawn.setdefault((code, year, *breakdown), _Drawn(name))
        if chart not in entry.charts:
            entry.charts.append(chart)
        entry.benchmark = entry.benchmark or benchmark
        entry.status = entry.status or status

    trend = _("Udvikling")
    areas = [data.area, *[a for a in (data.region, data.country) if a is not None and a.pk != data.area.pk]]
    for area, series in zip(areas, data.all_series, strict=False):
        for point in series.points:
            add(trend, area.code, area.name, point.year)
    for group in data.groups:
        for row in group.rows:
            if row.value is not None:
                add(
                    group.title,
                    row.code,
                    row.name,
                    data.comparison_year,
                    benchmark=row.benchmark,
                    status=row.status,
                )
    for row in data.map_rows:
        if row.value is not None:
            add(_("Kort"), row.code, row.name, data.comparison_year)
    sexes = {str(label): code for code, label in Observation.Sex.choices}
    for group in data.by_sex:
        breakdown = (sexes.get(group.label, group.label), own[1], own[2])
        add(_("Køn"), data.area.code, data.area.name, data.breakdown_year, breakdown)
    for group in data.by_age:
        breakdown = (own[0], group.label.removesuffix(" år"), own[2])
        add(_("Aldersgruppe"), data.area.code, data.area.name, data.breakdown_year, breakdown)
    return drawn


def rows(data: MeasurePageData) -> list[tuple[tuple, bool, list]]:
    """(stored observation as fileformat.OBSERVATION_FIELDS, is sample, descriptive cells) for every value
    the page draws, in page order. The values are read from the database once more, whole (period,
    respondents), so the file carries exactly what is stored."""
    measure = data.measure
    if measure.indicator is None:
        return []
    drawn = _drawn(data)
    if not drawn:
        return []
    stored = {}
    for *row, sample in Observation.objects.filter(
        indicator_id=measure.indicator_id,
        area__code__in={key[0] for key in drawn},
        year__in={key[1] for key in drawn},
        education__in={key[4] for key in drawn},
    ).values_list(*fileformat.OBSERVATION_FIELDS, "is_sample"):
        _code, area, year, _period, sex, age, education, *_values = row
        stored[area, year, sex, age, education] = (row, sample)
    unit = str(measure.indicator.get_unit_display())
    found = []
    for key, where in drawn.items():
        if key not in stored:
            continue
        row, sample = stored[key]
        described = [
            where.area_name,
            ", ".join(where.charts),
            unit,
            charts.benchmark_label(where.benchmark) if where.benchmark else "",
            charts.status_label(where.status) if where.status else "",
            _("ja") if sample else _("nej"),
        ]
        found.append((tuple(row), sample, described))
    return found


def measure_csv(data: MeasurePageData) -> str:
    """The CSV text with its byte order mark; encode as UTF-8."""
    out = io.StringIO()
    out.write(fileformat.BOM)
    writer = fileformat.csv_writer(out)
    writer.writerow(columns())
    for row, _sample, described in rows(data):
        writer.writerow([*fileformat.row(*row), *(spreadsheet_safe(cell) for cell in described)])
    return out.getvalue()


def _xlsx_cells(row: tuple) -> list:
    """A row's canonical cells for a workbook: numbers as numbers, labels as in the CSV."""
    code, area, year, period_label, sex, age, education, value, low, high, respondents = row
    labels = [
        fileformat.sex_label(sex),
        fileformat.breakdown_label(age),
        fileformat.breakdown_label(education),
    ]
    return [code, area, period_label or year, *labels, value, low, high, respondents]


def measure_xlsx(data: MeasurePageData) -> bytes:
    """A workbook with the values (sheet "Data") and what they are (sheet "Om data")."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Data")
    header = columns()
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    values = rows(data)
    for row, _sample, described in values:
        sheet.append([*_xlsx_cells(row), *described])
    xlsx_text_cells(sheet)
    for index, title in enumerate(header, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(10, len(title) + 2)
    sheet.freeze_panes = "A2"

    about = workbook.create_sheet(_("Om data"))
    measure = data.measure
    facts = [
        (_("Opfølgning"), measure.follow_up_text),
        (_("Aftale"), data.agreement.title),
        (_("Område"), data.area.name),
        (_("Vurderingsår"), data.year),
    ]
    if measure.indicator is not None:
        facts += [
            (_("Indikator"), measure.indicator.name),
            (_("Enhed"), str(measure.indicator.get_unit_display())),
            (_("Datakilde"), measure.indicator.source.name),
        ]
    if any(sample for _row, sample, _described in values):
        facts.append(
            (
                _("Eksempeldata"),
                _("Tallene er genererede eksempeldata til demonstration, ikke officielle tal."),
            )
        )
    for label, value in facts:
        about.append([label, value])
        about.cell(row=about.max_row, column=1).font = Font(bold=True)
    xlsx_text_cells(about)
    about.column_dimensions["A"].width = 18
    about.column_dimensions["B"].width = 100
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# The indicator page's values (goals/views/indicator.py): every stored value the filter chose.


def observations_csv(observations) -> Iterator[str]:
    """The values as CSV, streamed: the canonical file (what `manage.py export_indicators` writes) with an
    "eksempeldata" column, which the importer knows and ignores."""
    out = io.StringIO()
    writer = fileformat.csv_writer(out)
    writer.writerow([*fileformat.HEADER, fileformat.DESCRIPTIVE["sample"]])
    yield fileformat.BOM + out.getvalue()
    out.seek(0)
    out.truncate()
    rows = observations.values_list(*fileformat.OBSERVATION_FIELDS, "is_sample").iterator(chunk_size=CHUNK)
    for *row, sample in rows:
        writer.writerow([*fileformat.row(*row), _("ja") if sample else _("nej")])
        if out.tell() > 64_000:
            yield out.getvalue()
            out.seek(0)
            out.truncate()
    yield out.getvalue()
