"""Reading an uploaded file into a table of text cells, whatever a Danish desktop saved it as.

CSV in UTF-8 (with or without BOM) or Windows-1252, separated by ";", "," or tab, or the first sheet of
an Excel workbook. Nothing is interpreted here beyond finding the header: every cell stays text, and
each row remembers the line number the analyst sees in Excel, so `validate` can point at it.
"""

import codecs
import csv
import datetime
import functools
import io
import re
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
import openpyxl
import pandas as pd
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import problems as say
from .names import match_column, year_header
from .problems import Problem

SEPARATORS = (";", "\t", ",")  # in order of preference when a header line has as many of each
_SNIFF_BYTES = 64 * 1024
_CHUNK = 1 << 20
_ZIP = (b"PK\x03\x04", b"PK\x05\x06")  # an .xlsx is a zip file
XLSX_EXTENSIONS = (".xlsx", ".xlsm")
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old Office files: .xls, .doc
_NOT_TABLES = (
    (b"%PDF", gettext_lazy("en PDF-fil")),
    (b"\x89PNG", gettext_lazy("et PNG-billede")),
    (b"GIF8", gettext_lazy("et GIF-billede")),
    (b"\xff\xd8\xff", gettext_lazy("et JPEG-billede")),
    (b"\x1f\x8b", gettext_lazy("en komprimeret fil (gzip)")),
    (b"Rar!", gettext_lazy("en komprimeret fil (RAR)")),
    (b"7z\xbc\xaf", gettext_lazy("en komprimeret fil (7-Zip)")),
    (b"{\\rtf", gettext_lazy("et RTF-dokument")),
)
# A web page or an XML spreadsheet saved with an .xls name, as statistics banks export tables: it opens in
# Excel but is not a workbook. (A BOM, blank lines, then the first tag.)
_MARKUP = re.compile(rb"(?:\xef\xbb\xbf)?\s*<(?:!doctype\s+html|html|table|\?xml)\b", re.IGNORECASE)
_SEPARATOR_HINT = re.compile(r"sep=([;,\t])")
_BLANK = re.compile(rb"[\xef\xbb\xbf\xff\xfe\x00\s]*")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


class ReadError(Exception):
    """The file as a whole cannot be read (empty, not a table, too big...); `problem` says why."""

    def __init__(self, problem: Problem):
        super().__init__(problem.message)
        self.problem = problem


@dataclass
class RawTable:
    """An uploaded file as a table of text: every cell a stripped str, columns named as in the file."""

    frame: pd.DataFrame
    layout: str  # "long" | "wide" (years as columns)
    encoding: str  # "utf-8-sig" | "utf-8" | "cp1252" | "xlsx" (and "utf-16" for Excel's "Unicode-tekst")
    separator: str | None  # ";" "," "\t", or None for a workbook
    lines: np.ndarray  # the Excel line number of each row of `frame` (header = 1)
    # Each column of `frame` factorised as read, (codes, uniques), so `validate` need not do it again.
    # Not part of the contract: a RawTable built without it is factorised when validated.
    factorised: dict[str, tuple[np.ndarray, np.ndarray]] = field(
        default_factory=dict, repr=False, compare=False
    )

    def column_codes(self, header: str) -> tuple[np.ndarray, np.ndarray]:
        """`frame[header]` as (codes, uniques): row i holds uniques[codes[i]]."""
        if header not in self.factorised:
            self.factorised[header] = factorise(self.frame[header])
        return self.factorised[header]


def factorise(column) -> tuple[np.ndarray, np.ndarray]:
    """(codes, uniques) of a column of text; on the plain object array, which is several times faster."""
    values = column.to_numpy(dtype=object) if hasattr(column, "to_numpy") else column
    codes, uniques = pd.factorize(values)
    return codes, np.asarray(uniques, dtype=object)


def read_table(data: bytes, filename: str, *, max_bytes: int) -> RawTable:
    """Read an uploaded CSV or XLSX file; raise ReadError if it cannot be read as a table."""
    if len(data) > max_bytes:
        raise _error(say.too_big(_megabytes(len(data)), _megabytes(max_bytes)))
    if _BLANK.fullmatch(data):
        raise _error(say.empty_file())
    if data.startswith(_ZIP) or (data[:2] == b"PK" and filename.lower().endswith(XLSX_EXTENSIONS)):
        return _read_xlsx(data)
    if data.startswith(_OLE2):
        raise _error(say.old_office_format())
    for magic, kind in _NOT_TABLES:
        if data.startswith(magic):
            raise _not_a_table(kind)
    if _MARKUP.match(data[:1024]):
        raise _error(say.markup_file())
    encoding, data = _detect_encoding(data)
    return _read_csv(data, encoding)


# --- CSV -------------------------------------------------------------------------------------------


def _detect_encoding(data: bytes) -> tuple[str, bytes]:
    """Name the encoding, as strict UTF-8 first and Windows-1252 only if that fails, so æøå survive."""
    if data.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # Excel's "Unicode-tekst": tab-separated UTF-16. Read as UTF-8 from here on.
        try:
            return "utf-16", data.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError:
            raise _not_a_table() from None
    elif b"\x00" in data[:_SNIFF_BYTES]:
        raise _not_a_table()
    elif data.isascii() or _decodes_as_utf8(data):
        encoding = "utf-8"
    elif _has_utf8_letters(data):
        raise _error(say.mixed_encodings())
    else:
        # Windows-1252. Its five undefined bytes are found by the parser (UnicodeDecodeError).
        encoding = "cp1252"
    if _CONTROL.search(data[:_SNIFF_BYTES].decode(encoding, errors="replace")):
        raise _not_a_table()
    return encoding, data


def _decodes_as_utf8(data: bytes) -> bool:
    """Whether all of `data` is UTF-8, checked in chunks so a large file is not copied into a str."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    view = memoryview(data)
    try:
        for start in range(0, len(data), _CHUNK):
            decoder.decode(view[start : start + _CHUNK])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _has_utf8_letters(data: bytes) -> bool:
    """Whether a file that is not valid UTF-8 still holds UTF-8 æ, ø, å, Æ, Ø or Å (two encodings mixed).
    Their lead byte is "Ã" in Windows-1252, which Danish text hardly ever has, so this is one fast scan."""
    position = data.find(b"\xc3")
    while position >= 0:
        if data[position + 1 : position + 2] in (b"\xa6", b"\xb8", b"\xa5", b"\x86", b"\x98", b"\x85"):
            return True
        position = data.find(b"\xc3", position + 1)
    return False


def _read_csv(data: bytes, encoding: str) -> RawTable:
    pandas_encoding = "utf-8" if encoding == "utf-16" else encoding
    head = data[:_SNIFF_BYTES].decode(pandas_encoding, errors="replace")
    skip, hint, header_text = _find_header(head)
    separator = hint or _detect_separator(header_text)
    options = {
        "sep": separator,
        "header": None,
        "dtype": str,
        "na_filter": False,
        "keep_default_na": False,
        "skip_blank_lines": False,  # blank lines are dropped later, so line numbers stay right
        "skiprows": skip,
        "encoding": pandas_encoding,
        "quotechar": '"',
        "doublequote": True,
        "engine": "c",
    }
    try:
        body = pd.read_csv(io.BytesIO(data), **options)
    except pd.errors.EmptyDataError:
        raise _error(say.empty_file()) from None
    except UnicodeDecodeError:
        raise _not_a_table() from None
    except pd.errors.ParserError as error:
        body = _read_ragged_csv(data, pandas_encoding, options, skip - (hint is not None), str(error))
    header = list(body.iloc[0])
    # One row per record, so a line break inside quotes does not count: Excel shows that record as one
    # row too. Blank lines above the header do count; Excel does not show a "sep=" line.
    header_line = skip + 1 - (hint is not None)
    _check_short_records(data, pandas_encoding, options, body, header_line)
    body = body.iloc[1:]
    lines = np.arange(header_line + 1, header_line + 1 + len(body), dtype=np.int64)
    return _finish(header, body, lines, header_line=header_line, encoding=encoding, separator=separator)


def _check_short_records(data: bytes, encoding: str, options: dict, body: pd.DataFrame, header_line: int):
    """Reject records with fewer fields than the header names. The parser fills the missing fields with
    empty text, and an empty value means "not published": a line cut short (`Dagligrygning;Vejle;2022`)
    would be stored as suppressed values instead of being shown to the analyst. Blank lines are fine.

    `body` is the parsed table with the header as its first row, one row per record."""
    header = list(body.iloc[0])
    while header and not str(header[-1]).strip():
        header.pop()
    width = len(header)
    if width < 2 or len(body) < 2:
        return
    # A short record leaves the header's last named column empty, so only such rows can be short: most
    # files have none, and are done without counting a single field.
    codes, uniques = factorise(body.iloc[1:, width - 1])  # each distinct text stripped once
    last_empty = np.array([not str(text).strip() for text in uniques], dtype=bool)[codes]
    if not last_empty.any():
        return
    candidates = np.flatnonzero(last_empty) + 1  # rows of `body`
    counts = np.full(len(body), width, dtype=np.int64)
    counted = _fields_per_record(data, encoding, options)[: len(body)]
    counts[: len(counted)] = counted
    short = candidates[counts[candidates] < width]
    if len(short):
        # A blank line (nothing but spaces) is dropped later, whatever its field count.
        cells = body.iloc[short].astype(str)
        short = short[cells.apply(lambda column: column.str.strip().ne("")).any(axis=1).to_numpy()]
    if len(short):
        line, found = header_line + int(short[0]), int(counts[short[0]])
        raise _error(
            say.too_few_fields(line, found, width, _separator_name(options["sep"]), len(short) - 1),
            line=line,
        )


def _separator_name(separator: str) -> str:
    return _("tabulator") if separator == "\t" else separator


def _fields_per_record(data: bytes, encoding: str, options: dict) -> np.ndarray:
    """The number of fields of each record from the header on, as the parser splits them.

    Without quotes every line is a record and its fields are its separators plus one, counted with numpy
    in one pass; with quotes (a separator or line break may sit inside one) the csv module reads it."""
    separator, skip = options["sep"], options["skiprows"]
    if b'"' not in data:
        # A CR ends a line too (old Mac files, or one pasted into a file with LF line ends); in CRLF it is
        # just the line's last byte.
        if b"\r" in data and data.count(b"\r") != data.count(b"\r\n"):
            data = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
        bytes_ = np.frombuffer(data, dtype=np.uint8)
        ends = np.flatnonzero(bytes_ == ord("\n"))
        if not data.endswith(b"\n"):
            ends = np.append(ends, len(bytes_))
        separators = np.flatnonzero(bytes_ == ord(separator))
        # Separators before each line's end, minus those before the previous line's end.
        counts = np.diff(np.searchsorted(separators, ends), prepend=0) + 1
        return counts[skip:]
    text = io.TextIOWrapper(io.BytesIO(data), encoding=encoding, newline="")
    for _skipped in range(skip):
        text.readline()
    return np.fromiter((len(record) or 1 for record in csv.reader(text, delimiter=separator)), dtype=np.int64)


def _find_header(head: str) -> tuple[int, str | None, str]:
    """How many lines come before the header (blank lines; Excel's "sep=;" hint as the first line), the
    separator the hint names, and the header record itself."""
    skip = 0
    hint = None
    position = 0
    while True:
        end = head.find("\n", position)
        line = head[position:] if end < 0 else head[position:end]
        if end >= 0 and position == 0 and (match := _SEPARATOR_HINT.fullmatch(line.rstrip("\r"))):
            hint = match[1]
        elif line.strip(" \t\r;,") or end < 0:
            break
        skip += 1
        position = end + 1
    # The header record ends at the first line break outside quotes.
    quoted = False
    for index in range(position, len(head)):
        char = head[index]
        if char == '"':
            quoted = not quoted
        elif char == "\n" and not quoted:
            return skip, hint, head[position:index]
    return skip, hint, head[position:]


def _detect_separator(header_line: str) -> str:
    counts = Counter()
    quoted = False
    for char in header_line:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in SEPARATORS:
            counts[char] += 1
    return max(SEPARATORS, key=lambda separator: counts[separator])  # ties: the first in SEPARATORS


def _read_ragged_csv(data: bytes, encoding: str, options: dict, shown: int, error: str) -> pd.DataFrame:
    """Rows longer than the header. Harmless if the extra fields are empty (a trailing separator);
    otherwise usually a decimal comma in a comma-separated file, which shifts every later value.
    `shown` is how many lines before the header Excel shows (for line numbers)."""
    skip = options["skiprows"]
    # The parser counts rows from 0 at the top of the file, skipped lines included.
    if match := re.search(r"EOF inside string starting at row (\d+)", error):
        line = int(match[1]) + 1 - (skip - shown)
        raise _error(say.unclosed_quote(line), line=line)
    text = io.TextIOWrapper(io.BytesIO(data), encoding=encoding, newline="")
    records = csv.reader(text, delimiter=options["sep"])
    width = 0
    header_width = None
    too_long = []
    for number, record in enumerate(records, start=1 - (skip - shown)):
        if number <= shown:
            continue
        width = max(width, len(record))
        while record and not record[-1].strip():
            record.pop()
        if header_width is None:
            header_width = len(record)
        elif len(record) > header_width:
            too_long.append((number, len(record)))
    if too_long:
        line, found = too_long[0]
        separator = _separator_name(options["sep"])
        raise _error(say.too_many_fields(line, found, header_width, separator, len(too_long) - 1), line=line)
    return pd.read_csv(io.BytesIO(data), names=list(range(width)), **options)


# --- XLSX ------------------------------------------------------------------------------------------


def _read_xlsx(data: bytes) -> RawTable:
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # a zip that is not a workbook raises anything from KeyError to BadZipFile
        raise _error(say.broken_workbook()) from None
    try:
        if not workbook.worksheets:
            raise _error(say.workbook_without_sheets())
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # the stored dimension is often wrong; read every row there is
        rows, lines = [], []
        for number, cells in enumerate(sheet.iter_rows(), start=1):
            row = [_cell_text(cell) for cell in cells]
            while row and not row[-1].strip():
                row.pop()
            if row:
                rows.append(row)
                lines.append(number)
    finally:
        workbook.close()
    if not rows:
        raise _error(say.empty_file())
    width = max(len(row) for row in rows)
    padded = [row + [""] * (width - len(row)) for row in rows]
    body = pd.DataFrame(padded[1:], columns=list(range(width)), dtype=str)
    return _finish(
        padded[0],
        body,
        np.asarray(lines[1:], dtype=np.int64),
        header_line=lines[0],
        encoding="xlsx",
        separator=None,
    )


def _cell_text(cell) -> str:
    """A cell as the analyst sees it: 16.3 not 16.299999999999997, 2021 not 2021.0, 16,3 % as 16.3."""
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        if getattr(cell, "has_style", False) and _percent_format(cell.number_format):
            value = value * 100
        return _number_text(value)
    if isinstance(value, datetime.datetime) and value.time() == datetime.time():
        return value.date().isoformat()
    if isinstance(value, datetime.date | datetime.time | datetime.timedelta):
        return value.isoformat() if hasattr(value, "isoformat") else str(value)
    return str(value)


# What a number format shows literally: "quoted text", a \-escaped character, a [colour or locale].
_FORMAT_LITERALS = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')


@functools.lru_cache(maxsize=256)
def _percent_format(number_format: str) -> bool:
    """Whether Excel shows a cell with this format multiplied by 100 (`0.0%`), as opposed to a format
    that only prints a percent sign after the stored number (`0.0" %"`, `0.0\\%`): the analyst sees
    16,3 % either way, and 16,3 is what they mean."""
    return "%" in _FORMAT_LITERALS.sub("", number_format)


def _number_text(value: float) -> str:
    if isinstance(value, int) or float(value).is_integer() and abs(value) < 1e15:
        return str(int(value))
    text = f"{value:.15g}"  # 15 significant digits: Excel's own precision, so no binary noise
    if "e" in text:
        text = np.format_float_positional(float(text), trim="-")
    return text


# --- Both ------------------------------------------------------------------------------------------


def _finish(
    header: list, body: pd.DataFrame, lines: np.ndarray, *, header_line: int, encoding: str, separator
) -> RawTable:
    """Strip every cell, drop empty rows and unnamed empty columns, name the columns, find the layout.

    Each column is factorised once and stripped per distinct value; the codes are kept for `validate`.
    """
    empty_row = np.ones(len(body), dtype=bool)
    columns = {}
    for position, column in enumerate(body.columns):
        codes, uniques = factorise(body[column])
        stripped = np.array([text.strip() for text in uniques], dtype=object)
        empty_cell = (stripped == "")[codes] if len(uniques) else np.ones(len(body), dtype=bool)
        empty_row &= empty_cell
        name = str(header[position]).strip() if position < len(header) else ""
        if not name:
            if empty_cell.all():
                continue  # a trailing separator or a blank column: nothing to say
            name = _("Kolonne %(letter)s") % {"letter": _column_letter(position)}
        if name in columns:
            raise _error(say.repeated_header(name), line=header_line, column=name)
        columns[name] = (codes, stripped, body[column], (stripped != uniques).any())
    keep = ~empty_row
    if not keep.any():
        raise _error(say.header_only(), line=header_line)
    everything = keep.all()
    data, factorised = {}, {}
    for name, (codes, stripped, values, changed) in columns.items():
        if not everything:
            codes = codes[keep]
        factorised[name] = (codes, stripped)
        if changed:
            data[name] = pd.array(stripped[codes], dtype=str)
        else:
            data[name] = values.array if everything else values.array[keep]
    frame = pd.DataFrame(data, copy=False)
    return RawTable(
        frame=frame,
        layout=_layout(list(columns)),
        encoding=encoding,
        separator=separator,
        lines=np.asarray(lines if everything else lines[keep], dtype=np.int64),
        factorised=factorised,
    )


def _layout(names: list[str]) -> str:
    fields = {match_column(name) for name in names}
    years = [name for name in names if match_column(name) is None and year_header(name)]
    return "wide" if years and "year" not in fields else "long"


def _column_letter(position: int) -> str:
    letters = ""
    position += 1
    while position:
        position, remainder = divmod(position - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB".replace(".", ",")


def _not_a_table(kind: str | None = None) -> ReadError:
    return _error(say.not_a_table(kind))


def _error(message: str, *, line: int | None = None, column: str | None = None) -> ReadError:
    return ReadError(Problem(line=line, column=column, value=None, message=message))
