"""The numbers behind a measure page's charts as CSV (Danish conventions) and XLSX.

Both are built from `selectors.measure_page_data`, the same values the page draws, one row per value in a
long format that reads straight into Excel, R or pandas: which chart it belongs to, the area, year, breakdown,
value, 95 % CI, benchmark result, status and whether it is generated sample data.

CSV follows what Danish Excel opens with a double click: UTF-8 with a byte order mark, semicolons between
fields and a decimal comma. XLSX keeps numbers as numbers.
"""

import csv
import io
from collections.abc import Iterator

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from indicators import charts
from indicators.ingest.load import format_number
from indicators.management.commands import export_indicators
from indicators.models import ALL, Observation
from sundhedsaftale.spreadsheet import spreadsheet_safe, xlsx_text_cells

from .selectors import MeasurePageData


def columns() -> list[str]:
    return [
        _("Diagram"),
        _("Områdekode"),
        _("Område"),
        _("År"),
        _("Køn"),
        _("Aldersgruppe"),
        _("Uddannelse"),
        _("Værdi"),
        _("Nedre grænse (95 % CI)"),
        _("Øvre grænse (95 % CI)"),
        _("Enhed"),
        _("Sammenligning"),
        _("Status"),
        _("Eksempeldata"),
    ]


def rows(data: MeasurePageData) -> list[list]:
    """One list per value, in `columns()` order; numbers as floats, years as ints, empty cells as None."""
    measure = data.measure
    if measure.indicator is None:
        return []
    unit = measure.indicator.get_unit_display()
    sexes = dict(Observation.Sex.choices)
    own_sex = sexes.get(measure.sex, measure.sex)
    own_age = measure.age_group
    education = measure.education
    found = []

    def add(chart, code, name, year, value, *, sex=own_sex, age=own_age, benchmark="", status=""):
        found.append(
            [
                chart,
                code,
                name,
                year,
                str(sex),
                age,
                education,
                value.value,
                value.ci_low,
                value.ci_high,
                str(unit),
                charts.benchmark_label(benchmark) if benchmark else "",
                charts.status_label(status) if status else "",
                _("ja") if value.is_sample else _("nej"),
            ]
        )

    trend = _("Udvikling")
    areas = [data.area, *[a for a in (data.region, data.country) if a is not None and a.pk != data.area.pk]]
    for area, series in zip(areas, data.all_series, strict=False):
        for point in series.points:
            add(trend, area.code, area.name, point.year, point)
    in_groups = set()
    for group in data.groups:
        for row in group.rows:
            in_groups.add(row.code)
            add(
                group.title,
                row.code,
                row.name,
                data.comparison_year,
                row,
                benchmark=row.benchmark,
                status=row.status,
            )
    for row in data.map_rows:
        if row.code not in in_groups:
            add(_("Kort"), row.code, row.name, data.comparison_year, row)
    for group in data.by_sex:
        add(_("Køn"), data.area.code, data.area.name, data.breakdown_year, group, sex=group.label)
    for group in data.by_age:
        age = group.label.removesuffix(" år")
        add(_("Aldersgruppe"), data.area.code, data.area.name, data.breakdown_year, group, age=age)
    everyone = str(sexes[ALL])
    for row in found:
        row[5:7] = [everyone if cell == ALL else cell for cell in row[5:7]]
    return found


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{round(value, 6):f}".rstrip("0").rstrip(".").replace(".", ",")
    if isinstance(value, int):
        return str(value)
    return spreadsheet_safe(str(value))


def measure_csv(data: MeasurePageData) -> str:
    """The CSV text with its byte order mark; encode as UTF-8."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(columns())
    for row in rows(data):
        writer.writerow([_csv_cell(cell) for cell in row])
    return out.getvalue()


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
    for row in values:
        sheet.append(row)
    for index in (8, 9, 10):
        for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
            cell.number_format = "0.0"
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
    if any(row[-1] == _("ja") for row in values):
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
    """The values as CSV, streamed: the canonical long layout of `manage.py export_indicators` (which the
    importer reads back unchanged; the extra column only gives it a warning) and an "eksempeldata" column.
    Danish conventions as `measure_csv`: byte order mark, semicolons, decimal comma."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([*export_indicators.HEADER, _("eksempeldata")])
    yield "\ufeff" + out.getvalue()
    out.seek(0)
    out.truncate()
    rows = observations.values_list(
        "indicator__code",
        "area__code",
        "year",
        "period_label",
        "sex",
        "age_group",
        "education",
        "value",
        "ci_low",
        "ci_high",
        "respondents",
        "is_sample",
    ).iterator(chunk_size=export_indicators.CHUNK)
    e = export_indicators
    for code, area, year, period, sex, age, education, value, low, high, respondents, sample in rows:
        writer.writerow(
            [
                spreadsheet_safe(code),
                spreadsheet_safe(area),
                spreadsheet_safe(period) or year,
                e.SEX.get(sex, sex),
                spreadsheet_safe(e.AGE_ALL if age == ALL else age),
                spreadsheet_safe(e.EDUCATION_ALL if education == ALL else education),
                format_number(value),
                format_number(low),
                format_number(high),
                "" if respondents is None else respondents,
                _("ja") if sample else _("nej"),
            ]
        )
        if out.tell() > 64_000:
            yield out.getvalue()
            out.seek(0)
            out.truncate()
    yield out.getvalue()
