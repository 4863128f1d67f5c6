"""The canonical indicator file, in one place: its columns, labels, numbers and rows.

What `manage.py export_indicators` and the site's downloads (goals/downloads.py) write, and the names the
importer reads (ingest/names.py): a file written here uploads again with no problem, no warning and no
change. The long layout, one value per line:

    indikator;område;år;køn;alder;uddannelse;andel;nedre;øvre;antal svarpersoner

UTF-8 with a byte order mark, ";" between fields, a decimal comma, CRLF line ends (what Danish Excel opens
with a double click). "Everyone" is written "Alle" in køn, alder and uddannelse alike (the importer also
reads "I alt", "16+" and an empty cell). Numbers are written with the digits they were stored with, no
more and no fewer; a value that is not published is an empty andel.

Downloads add columns that describe a value (its area's name, the chart it is drawn in, whether it is
sample data); the importer knows them (`DESCRIPTIVE`) and ignores them, so a download can be corrected and
uploaded as it is.
"""

import csv
from decimal import Decimal
from functools import lru_cache

from sundhedsaftale.spreadsheet import spreadsheet_safe

from .models import ALL, Observation

# (field, header): the field names are the importer's (ingest/names.py FIELDS).
COLUMNS = (
    ("indicator", "indikator"),
    ("area", "område"),
    ("year", "år"),
    ("sex", "køn"),
    ("age", "alder"),
    ("education", "uddannelse"),
    ("value", "andel"),
    ("ci_low", "nedre"),
    ("ci_high", "øvre"),
    ("respondents", "antal svarpersoner"),
)
HEADER = [label for _field, label in COLUMNS]
LABELS = dict(COLUMNS)
# Columns that describe a value for a reader; the importer accepts them and reads nothing from them.
# Fixed Danish words like the header above, whatever the page's language: they are part of the format.
DESCRIPTIVE = {
    "area_name": "områdenavn",
    "chart": "diagram",
    "unit": "enhed",
    "comparison": "sammenligning",
    "status": "status",
    "sample": "eksempeldata",
}
# The Observation fields a row is written from, in `row`'s order (a values_list of them fits `row(*v)`).
OBSERVATION_FIELDS = (
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
)
ALL_LABEL = "Alle"
SEX_LABELS = {ALL: ALL_LABEL, Observation.Sex.MEN.value: "Mænd", Observation.Sex.WOMEN.value: "Kvinder"}
DELIMITER = ";"
LINE_END = "\r\n"
BOM = "\ufeff"


def sex_label(sex: str) -> str:
    return SEX_LABELS.get(sex, sex)


def breakdown_label(value: str) -> str:
    """An age group or education as written in files: the stored label, "Alle" for everyone."""
    return ALL_LABEL if value == ALL else value


def period(year: int, period_label: str = "") -> str:
    return period_label or str(year)


def format_number(value: float | None) -> str:
    """A stored number as a Danish reader writes it: decimal comma, the digits it was stored with (the
    shortest text that reads back as the very same float), "" for none."""
    if value is None:
        return ""
    if type(value) is not float:
        value = float(value)
    if value != value:  # NaN
        return ""
    if value.is_integer():
        return str(int(value))
    text = repr(value)
    if "e" not in text:
        # The usual case, kept cheap: a page of the API's CSV writes 30,000 numbers.
        return text.replace(".", ",")
    # Decimal spells out the exponent form ("1e-05") that the importer does not read.
    return format(Decimal(text), "f").replace(".", ",")


# The same few codes and labels fill every line of a download; remembering their cells halves the time
# to write 10,000 lines. Bounded, since labels come from uploads.
_text_cell = lru_cache(maxsize=4096)(spreadsheet_safe)


@lru_cache(maxsize=4096)
def _label_cell(value: str) -> str:
    return spreadsheet_safe(breakdown_label(value))


def row(
    indicator: str,
    area: str,
    year: int,
    period_label: str,
    sex: str,
    age_group: str,
    education: str,
    value: float | None,
    ci_low: float | None,
    ci_high: float | None,
    respondents: int | None,
) -> list[str]:
    """One observation as the cells of a line, in HEADER order. Texts that a spreadsheet would run as a
    formula are neutralised (sundhedsaftale/spreadsheet.py)."""
    return [
        _text_cell(indicator),
        _text_cell(area),
        _text_cell(period(year, period_label)),
        sex_label(sex),
        _label_cell(age_group),
        _label_cell(education),
        format_number(value),
        format_number(ci_low),
        format_number(ci_high),
        "" if respondents is None else str(respondents),
    ]


def csv_writer(handle):
    return csv.writer(handle, delimiter=DELIMITER, lineterminator=LINE_END)


def write(handle, rows) -> int:
    """The header and one line per observation (tuples of OBSERVATION_FIELDS); returns the lines written.
    The byte order mark is the caller's: it belongs to the file, not to a stream of lines."""
    writer = csv_writer(handle)
    writer.writerow(HEADER)
    count = 0
    for values in rows:
        writer.writerow(row(*values))
        count += 1
    return count
