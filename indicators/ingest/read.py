"""Reading an uploaded file into tables of text cells, whatever a Danish desktop saved it as.

CSV in UTF-8 (with or without BOM) or Windows-1252, separated by ";", "," or tab, or the first sheet of
an Excel workbook. Nothing is interpreted here beyond finding the header: every cell stays text, and
each row remembers the line number the analyst sees in Excel, so `validate` can point at it.

The file is read in chunks (`open_table(...).chunks()`), so memory does not grow with the file, and every
limit (`Limits`: size, columns, fields per line, line length, cells, a workbook's unpacked size) is checked
before pandas or openpyxl allocate anything for the part that breaks it. A line that is cut short or has
too many fields is a problem of that line (`RawTable.problems`), not of the file: every other line is still
read and checked. `read_table` reads a whole (small) file into one RawTable, for tests and tools.
"""

import codecs
import csv
import datetime
import functools
import io
import re
import tempfile
import zipfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

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
_SEPARATOR_HINT = re.compile(rb"sep=([;,\t])")
_BLANK = re.compile(rb"[\xef\xbb\xbf\xff\xfe\x00\s]*")
# Bytes that are no text in any of the encodings read here: the ASCII control characters but tab, line
# feed, form feed and carriage return, and DEL. (In UTF-8 and Windows-1252 alike they are single bytes.)
_CONTROL_BYTES = np.zeros(256, dtype=bool)
_CONTROL_BYTES[[*range(0x00, 0x09), 0x0B, *range(0x0E, 0x20), 0x7F]] = True
# The five bytes Windows-1252 leaves undefined: a file with one is neither UTF-8 nor Windows-1252.
_DEFINED_1252 = bytes(b for b in range(256) if b not in (0x81, 0x8D, 0x8F, 0x90, 0x9D))
# The bytes of text; what `bytes.translate` leaves after deleting these is control characters.
_TEXT_BYTES = bytes(b for b in range(256) if not _CONTROL_BYTES[b])
_SCAN_BYTES = 4 << 20
_PARSE_CELLS = 2_000_000  # cells pandas builds at once for a block whose lines are longer than the header
_NAMES = {0x00: "NUL", 0x1A: "SUB", 0x7F: "DEL", 0x1B: "ESC", 0x08: "BS"}


@dataclass(frozen=True)
class Limits:
    """What any uploaded file may cost at most; each is checked before the part of the file that breaks it
    is parsed (settings: UPLOAD_MAX_*, see docs/ingest.md)."""

    max_bytes: int = 300 * 1024 * 1024
    max_columns: int = 500  # header cells
    max_fields: int = 1_000  # fields on one line
    max_line_bytes: int = 64 * 1024  # one physical line (a quoted record may span a few)
    max_cells: int = 100_000_000  # lines x columns
    max_xlsx_uncompressed: int = 500 * 1024 * 1024  # the sum of a workbook's unpacked parts
    chunk_bytes: int = 8 << 20  # not a limit: how much of a CSV file is parsed at a time
    chunk_rows: int = 100_000  # not a limit: how many rows of a workbook make one chunk

    @classmethod
    def from_settings(cls, **overrides) -> "Limits":
        from django.conf import settings

        values = {
            "max_bytes": settings.UPLOAD_MAX_BYTES,
            "max_columns": getattr(settings, "UPLOAD_MAX_COLUMNS", cls.max_columns),
            "max_fields": getattr(settings, "UPLOAD_MAX_FIELDS", cls.max_fields),
            "max_line_bytes": getattr(settings, "UPLOAD_MAX_LINE_BYTES", cls.max_line_bytes),
            "max_cells": getattr(settings, "UPLOAD_MAX_CELLS", cls.max_cells),
            "max_xlsx_uncompressed": getattr(
                settings, "UPLOAD_MAX_XLSX_UNCOMPRESSED", cls.max_xlsx_uncompressed
            ),
        }
        values.update(overrides)
        return cls(**values)

    @property
    def max_record_bytes(self) -> int:
        """A record with line breaks inside quotes; beyond this a quote is taken to be left open."""
        return 16 * self.max_line_bytes


class ReadError(Exception):
    """The file as a whole cannot be read (empty, not a table, too big...); `problem` says why."""

    def __init__(self, problem: Problem):
        super().__init__(problem.message)
        self.problem = problem


@dataclass
class RawTable:
    """An uploaded file (or one chunk of it) as a table of text: every cell a stripped str, columns named as
    in the file (an unnamed column as "Kolonne B")."""

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
    # Lines that could not be split into the header's columns (too few or too many fields, an open quote):
    # reported, and left out of `frame`.
    problems: list[Problem] = field(default_factory=list, compare=False)
    # Columns without a header that hold data in this part of the file ("Kolonne B"): ignored, with a warning.
    filled_unnamed: set[str] = field(default_factory=set, compare=False)
    records: int = 0  # the Excel lines this chunk covers, blank and rejected ones included

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


class TableReader:
    """An opened file: its header and layout, and its rows in chunks (`chunks()` may be called again)."""

    encoding: str
    separator: str | None
    layout: str
    columns: list[str]  # the header, as `RawTable.frame` names the columns
    unnamed: set[str]  # the columns of `columns` that have no header in the file
    header_line: int
    size: int  # bytes
    position: int = 0  # bytes read so far, for progress

    def chunks(self) -> Iterator[RawTable]:
        raise NotImplementedError

    @property
    def fraction(self) -> float:
        return min(1.0, self.position / self.size) if self.size else 1.0

    def close(self) -> None:
        pass


def read_table(data: bytes, filename: str, *, max_bytes: int, limits: Limits | None = None) -> RawTable:
    """Read a whole uploaded CSV or XLSX file into one RawTable; raise ReadError if it cannot be read as a
    table. Its `problems` are the lines that could not be split into columns."""
    limits = replace(limits or Limits(), max_bytes=max_bytes)
    reader = open_table(io.BytesIO(data), filename, limits=limits)
    try:
        parts = list(reader.chunks())
    finally:
        reader.close()
    return join_chunks(reader, parts)


def join_chunks(reader: TableReader, parts: list[RawTable]) -> RawTable:
    """One RawTable of all chunks (unnamed columns without data left out, as the file shows them)."""
    filled = set().union(*(part.filled_unnamed for part in parts)) if parts else set()
    columns = [name for name in reader.columns if name not in reader.unnamed or name in filled]
    frames = [part.frame[columns] for part in parts if len(part.frame)]
    frame = (
        pd.concat(frames, ignore_index=True)
        if frames
        else pd.DataFrame({name: pd.array([], dtype=str) for name in columns})
    )
    lines = np.concatenate([part.lines for part in parts]) if parts else np.zeros(0, dtype=np.int64)
    return RawTable(
        frame=frame,
        layout=reader.layout,
        encoding=reader.encoding,
        separator=reader.separator,
        lines=lines.astype(np.int64),
        problems=[problem for part in parts for problem in part.problems],
        filled_unnamed=filled,
    )


def open_table(source, filename: str, *, limits: Limits) -> TableReader:
    """Open a stored upload (a binary file object, read from its start) as a CSV or XLSX table; raise
    ReadError if it is too big, empty, or no table at all. Nothing but the first 64 KB is read yet, except
    for a CSV file, whose bytes are scanned once (encoding, control characters, line lengths)."""
    source.seek(0, io.SEEK_END)
    size = source.tell()
    source.seek(0)
    if size > limits.max_bytes:
        raise _error(say.too_big(_megabytes(size), _megabytes(limits.max_bytes)))
    head = source.read(_SNIFF_BYTES)
    if _BLANK.fullmatch(head) and _blank_to_the_end(source):
        raise _error(say.empty_file())
    if head.startswith(_ZIP) or (head[:2] == b"PK" and filename.lower().endswith(XLSX_EXTENSIONS)):
        return _XlsxReader(source, size, limits)
    if head.startswith(_OLE2):
        raise _error(say.old_office_format())
    for magic, kind in _NOT_TABLES:
        if head.startswith(magic):
            raise _not_a_table(kind)
    if _MARKUP.match(head[:1024]):
        raise _error(say.markup_file())
    return _CsvReader(source, size, head, limits)


def _blank_to_the_end(source) -> bool:
    while block := source.read(1 << 20):
        if not _BLANK.fullmatch(block):
            source.seek(0)
            return False
    source.seek(0)
    return True


# --- CSV -------------------------------------------------------------------------------------------


class _CsvReader(TableReader):
    def __init__(self, source, size: int, head: bytes, limits: Limits):
        self.limits = limits
        self.size = size
        self._scratch = None
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            # Excel's "Unicode-tekst": tab-separated UTF-16. Converted to UTF-8 once, into a scratch file.
            source = self._scratch = _utf16_to_utf8(source, limits)
            head = source.read(_SNIFF_BYTES)
            self.encoding, self._codec = "utf-16", "utf-8"
        self.source = source
        total = self._scratch.seek(0, io.SEEK_END) if self._scratch else size
        source.seek(0)
        # The header: blank lines and Excel's "sep=;" line above it, then the record itself.
        skip, hint, header_bytes, self._data_start = _find_header(head)
        if self._data_start is None:
            if len(head) < total:
                raise _error(
                    say.line_too_long(skip + 1 - (hint is not None), limits.max_line_bytes), line=skip + 1
                )
            self._data_start = len(head)
        # Blank lines above the header do count as Excel lines; Excel does not show a "sep=" line.
        self._shown_above = skip - (hint is not None)
        self.header_line = self._shown_above + 1
        self.encoding, self._codec, lines = _scan(
            source, head, limits, header_lines=skip + 1, hint=hint is not None, utf16=bool(self._scratch)
        )
        header_text = header_bytes.decode(self._codec, errors="replace")
        self.separator = hint or _detect_separator(header_text)
        self._sep_byte = ord(self.separator)
        cells = next(csv.reader(io.StringIO(header_text, newline=""), delimiter=self.separator), [])
        if len(cells) > limits.max_columns:
            raise _error(say.too_many_columns(len(cells), limits.max_columns), line=self.header_line)
        # Every field of the header line is a column (one without a name is "Kolonne E", ignored unless it
        # holds data); a line is short when it lacks a named one.
        self.frame_width = max(len(cells), 1)
        self.columns, self.unnamed = _column_names(cells, self.header_line)
        while cells and not cells[-1].strip():
            cells.pop()
        self.width = len(cells)
        self.layout = _layout([name for name in self.columns if name not in self.unnamed])
        if lines * max(self.width, 1) > limits.max_cells:
            raise _error(say.too_many_cells(lines * max(self.width, 1), limits.max_cells))

    def close(self):
        if self._scratch:
            self._scratch.close()

    def chunks(self) -> Iterator[RawTable]:
        self.source.seek(self._data_start)
        self.position = self._data_start
        carry = b""
        line = self.header_line + 1  # the Excel line of the next record
        rows = problems = 0
        while True:
            block = self.source.read(self.limits.chunk_bytes)
            self.position += len(block)
            eof = not block
            data = carry + block
            if eof and not data:
                break
            held = b""
            if not eof and data.endswith(b"\r"):  # perhaps half of a CRLF
                data, held = data[:-1], b"\r"
            if b"\r" in data and data.count(b"\r") != data.count(b"\r\n"):
                # A CR alone ends a line too (old Mac files, or one pasted into a file with LF line ends);
                # in CRLF it is just the line's last byte, and stays.
                data = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
            cut = len(data) if eof else data.rfind(b"\n") + 1
            if cut == 0:
                carry = data + held
                continue  # the scan has checked that no line is longer than the limit
            body, carry = data[:cut], data[cut:] + held
            open_quote = False
            if b'"' in body:
                part, consumed, open_quote = self._quoted(body, line, eof)
                carry = body[consumed:] + carry
                open_quote = open_quote or len(carry) > self.limits.max_record_bytes
                if open_quote:
                    # The rest of the file would be read as one text: nothing after it can be checked.
                    part.problems.append(_open_quote_problem(line + part.records))
            else:
                part = self._plain(body, line)
            line += part.records
            rows += len(part.frame)
            problems += len(part.problems)
            yield part
            if eof or open_quote:
                break
        self.position = self.size
        if not rows and not problems:
            raise _error(say.header_only(), line=self.header_line)

    def _plain(self, body: bytes, first_line: int) -> RawTable:
        """A block of whole lines without quotes: every line is a record, and its fields are its separators
        plus one, counted with numpy before pandas parses the block."""
        array = np.frombuffer(body, dtype=np.uint8)
        ends = np.flatnonzero(array == 10)
        if not body.endswith(b"\n"):
            ends = np.append(ends, len(body))
        separators = np.flatnonzero(array == self._sep_byte)
        counts = np.diff(np.searchsorted(separators, ends), prepend=0) + 1
        self._check_fields(counts, first_line)
        fields = max(int(counts.max(initial=1)), self.frame_width)
        # Lines longer than the header make pandas build a column for every field of the longest: parse
        # such a block a few lines at a time, so it never holds more than _PARSE_CELLS cells at once.
        step = max(1, _PARSE_CELLS // fields) if fields > self.frame_width else len(counts)
        pieces = []
        for first in range(0, max(len(counts), 1), max(step, 1)):
            begin = 0 if first == 0 else int(ends[first - 1]) + 1
            end = len(body) if first + step >= len(counts) else int(ends[first + step - 1]) + 1
            pieces.append(self._parse(body[begin:end], fields).iloc[:, : self.frame_width])
        frame = pieces[0] if len(pieces) == 1 else pd.concat(pieces, ignore_index=True)
        if len(frame) != len(counts):  # should not happen; the csv module is the reference
            return self._quoted(body, first_line, eof=True)[0]
        starts = np.r_[0, ends[:-1] + 1]

        def extra(i: int) -> list[str]:
            text = body[starts[i] : ends[i]].decode(self._codec, errors="replace")
            return text.split(self.separator)

        return self._records(frame, counts, first_line, extra)

    def _parse(self, body: bytes, fields: int) -> pd.DataFrame:
        try:
            return pd.read_csv(
                io.BytesIO(body),
                sep=self.separator,
                header=None,
                names=range(fields),
                dtype=str,
                na_filter=False,
                keep_default_na=False,
                skip_blank_lines=False,  # blank lines are dropped later, so line numbers stay right
                encoding=self._codec,
                quoting=csv.QUOTE_NONE,
                engine="c",
            )
        except UnicodeDecodeError:
            raise _not_a_table() from None
        except pd.errors.EmptyDataError:
            return pd.DataFrame({n: pd.array([], dtype=str) for n in range(fields)})

    def _quoted(self, body: bytes, first_line: int, eof: bool) -> tuple[RawTable, int, bool]:
        """A block with quotes, split into records by the csv module (a quoted field may hold the separator
        or a line break). The last record may go on in the next block; it is left for that one unless this
        is the end of the file. Returns the table, the bytes consumed and whether a quote is left open."""
        text = body.decode(self._codec, errors="strict") if self._codec != "cp1252" else _cp1252(body)
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=self.separator)
        records, ends = [], []
        try:
            for record in reader:
                records.append(record)
                ends.append(reader.line_num)
        except csv.Error:  # a NUL byte or a field over the csv module's own limit: the scan stops both
            raise _not_a_table() from None
        open_quote = False
        if not eof and records:
            records.pop()
            ends.pop()
        elif eof and records:
            # The last record: does it end inside quotes? (The csv module then takes the rest as one field.)
            line_starts = _line_starts(body)
            start = line_starts[ends[-2]] if len(ends) > 1 else 0
            try:
                list(
                    csv.reader(
                        io.StringIO(_decode(body[start:], self._codec), newline=""),
                        strict=True,
                        delimiter=self.separator,
                    )
                )
            except csv.Error as error:
                if "unexpected end of data" in str(error):
                    records.pop()
                    ends.pop()
                    open_quote = True
        consumed = _line_starts(body)[ends[-1]] if ends else 0
        if eof and not open_quote:
            consumed = len(body)
        counts = np.fromiter((len(record) or 1 for record in records), dtype=np.int64, count=len(records))
        self._check_fields(counts, first_line)
        width = self.frame_width
        padded = [
            record if len(record) == width else (record + [""] * (width - len(record)))[:width]
            for record in records
        ]
        frame = pd.DataFrame(padded, columns=range(width), dtype=object) if padded else None
        if frame is None:
            frame = pd.DataFrame({n: pd.array([], dtype=object) for n in range(width)})
        return self._records(frame, counts, first_line, lambda i: records[i]), consumed, open_quote

    def _check_fields(self, counts: np.ndarray, first_line: int) -> None:
        if len(counts) and (over := np.flatnonzero(counts > self.limits.max_fields)).size:
            line = first_line + int(over[0])
            raise _error(
                say.too_many_fields_at_all(line, int(counts[over[0]]), self.limits.max_fields), line=line
            )

    def _records(self, frame: pd.DataFrame, counts: np.ndarray, first_line: int, fields) -> RawTable:
        """Lines with too few or too many fields become problems and leave the table; `fields(i)` gives
        record i's fields (only asked for the few with more than the header)."""
        lines = first_line + np.arange(len(frame), dtype=np.int64)
        problems = []
        bad = np.zeros(len(frame), dtype=bool)
        width = self.width
        separator = _separator_name(self.separator)
        for i in np.flatnonzero(counts > self.frame_width).tolist():
            record = list(fields(i))
            while record and not record[-1].strip():
                record.pop()
            if len(record) > self.frame_width:  # more than trailing separators
                line = int(lines[i])
                message = say.too_many_fields(line, len(record), self.frame_width, separator, 0)
                problems.append(Problem(line, None, None, message, kind="too_many_fields"))
                bad[i] = True
        short = np.flatnonzero(counts < width)
        if len(short) and width >= 2:
            cells = frame.iloc[short].to_numpy(dtype=object)
            for i, row in zip(short.tolist(), cells, strict=True):
                if any(
                    str(cell).strip() for cell in row
                ):  # a blank line is dropped later, whatever its fields
                    line = int(lines[i])
                    problems.append(
                        Problem(
                            line,
                            None,
                            None,
                            say.too_few_fields(line, int(counts[i]), width, separator, 0),
                            kind="too_few_fields",
                        )
                    )
                    bad[i] = True
        keep = ~bad
        if not keep.all():
            frame, lines = frame[keep], lines[keep]
        table = self._table([frame[n] for n in frame.columns], lines, records=len(counts))
        table.problems.extend(problems)
        return table

    def _table(self, columns: list, lines: np.ndarray, *, records: int) -> RawTable:
        table = _chunk_table(
            self.columns, self.unnamed, columns, lines, self.layout, self.encoding, self.separator
        )
        table.records = records
        return table


def _open_quote_problem(line: int) -> Problem:
    return Problem(line, None, None, say.unclosed_quote(line), kind="unclosed_quote")


def _line_starts(body: bytes) -> np.ndarray:
    """The byte offset of the start of each physical line (0 first, then after each line feed)."""
    return np.r_[0, np.flatnonzero(np.frombuffer(body, dtype=np.uint8) == 10) + 1]


def _decode(data: bytes, codec: str) -> str:
    return _cp1252(data) if codec == "cp1252" else data.decode(codec, errors="replace")


def _cp1252(data: bytes) -> str:
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise _not_a_table() from None


def _utf16_to_utf8(source, limits: Limits):
    scratch = tempfile.TemporaryFile()  # noqa: SIM115 (closed by the reader)
    decoder = codecs.getincrementaldecoder("utf-16")()
    source.seek(0)
    try:
        while block := source.read(1 << 20):
            scratch.write(decoder.decode(block).encode("utf-8"))
        scratch.write(decoder.decode(b"", final=True).encode("utf-8"))
    except UnicodeDecodeError:
        scratch.close()
        raise _not_a_table() from None
    if scratch.tell() > 2 * limits.max_bytes:
        scratch.close()
        raise _error(say.too_big(_megabytes(scratch.tell()), _megabytes(limits.max_bytes)))
    scratch.seek(0)
    return scratch


def _scan(source, head: bytes, limits: Limits, *, header_lines: int, hint: bool, utf16: bool):
    """One pass over the bytes, a megabyte at a time, before anything is parsed: the encoding (strict UTF-8
    first, Windows-1252 only if that fails, so æøå survive), control characters (named by line), lines
    longer than the limit, and the number of lines. Returns (encoding, codec for reading, lines)."""
    source.seek(0)
    decoder = codecs.getincrementaldecoder("utf-8")()
    utf8 = True
    utf8_letters = False
    undefined_1252 = False
    lines = 0  # line ends before this block
    since = 0  # bytes since the last line end, before this block
    while block := source.read(_SCAN_BYTES):
        if block.translate(None, _TEXT_BYTES):  # some control byte: where?
            at = int(np.argmax(_CONTROL_BYTES[np.frombuffer(block, dtype=np.uint8)]))
            physical = lines + block.count(b"\n", 0, at) + 1
            if physical <= header_lines:
                raise _not_a_table()  # in the header already: not a text file at all
            line = physical - (1 if hint else 0)
            raise _error(say.control_character(line, _control_name(block[at])), line=line, kind="control")
        if utf8 and not block.isascii():
            try:
                decoder.decode(block)
            except UnicodeDecodeError:
                utf8 = False
        if not utf8:
            utf8_letters = utf8_letters or _has_utf8_letters(block)
            undefined_1252 = undefined_1252 or bool(block.translate(None, _DEFINED_1252))
        newline = 10 if b"\n" in block or b"\r" not in block else 13  # old Mac files end lines with CR
        ends = np.flatnonzero(np.frombuffer(block, dtype=np.uint8) == newline)
        if len(ends):
            gaps = np.diff(ends) - 1
            longest = max(since + int(ends[0]), int(gaps.max(initial=0)))
            where = 0 if since + int(ends[0]) == longest else int(ends[np.argmax(gaps)]) + 1
        else:
            longest, where = since + len(block), 0
        if longest > limits.max_line_bytes:
            line = lines + 1 + block.count(bytes([newline]), 0, where) - (1 if hint else 0)
            raise _error(say.line_too_long(line, limits.max_line_bytes), line=line)
        since = len(block) - int(ends[-1]) - 1 if len(ends) else since + len(block)
        lines += len(ends)
    if utf8:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            utf8 = False
    source.seek(0)
    lines += 1
    if utf16:
        return "utf-16", "utf-8", lines
    if head.startswith(codecs.BOM_UTF8):
        if not utf8:
            raise _error(say.mixed_encodings())
        return "utf-8-sig", "utf-8-sig", lines
    if utf8:
        return "utf-8", "utf-8", lines
    if utf8_letters:
        raise _error(say.mixed_encodings())
    if undefined_1252:
        raise _not_a_table()
    return "cp1252", "cp1252", lines


def _control_name(byte: int) -> str:
    return _NAMES.get(byte, f"0x{byte:02X}")


def _has_utf8_letters(data: bytes) -> bool:
    """Whether a file that is not valid UTF-8 still holds UTF-8 æ, ø, å, Æ, Ø or Å (two encodings mixed).
    Their lead byte is "Ã" in Windows-1252, which Danish text hardly ever has, so this is one fast scan."""
    position = data.find(b"\xc3")
    while position >= 0:
        if data[position + 1 : position + 2] in (b"\xa6", b"\xb8", b"\xa5", b"\x86", b"\x98", b"\x85"):
            return True
        position = data.find(b"\xc3", position + 1)
    return False


def _separator_name(separator: str) -> str:
    return _("tabulator") if separator == "\t" else separator


def _find_header(head: bytes) -> tuple[int, str | None, bytes, int | None]:
    """How many lines come before the header (blank lines; Excel's "sep=;" hint as the first line), the
    separator the hint names, the header record's bytes, and where the data after it starts (None if the
    header does not end within `head`)."""
    skip = 0
    hint = None
    position = 0
    while True:
        end = head.find(b"\n", position)
        line = head[position:] if end < 0 else head[position:end]
        if position == 0 and line.startswith(codecs.BOM_UTF8):
            line = line[3:]
        if end >= 0 and position == 0 and (match := _SEPARATOR_HINT.fullmatch(line.rstrip(b"\r"))):
            hint = match[1].decode()
        elif line.strip(b" \t\r;,") or end < 0:
            break
        skip += 1
        position = end + 1
    # The header record ends at the first line break outside quotes (a lone CR ends a line too).
    quoted = False
    for index in range(position, len(head)):
        char = head[index]
        if char == 0x22:
            quoted = not quoted
        elif char in (0x0A, 0x0D) and not quoted:
            start = position + (3 if position == 0 and head.startswith(codecs.BOM_UTF8) else 0)
            after = index + 1
            if char == 0x0D and head[after : after + 1] == b"\n":
                after += 1
            return skip, hint, head[start:index], after
    start = position + (3 if position == 0 and head.startswith(codecs.BOM_UTF8) else 0)
    return skip, hint, head[start:], None


def _detect_separator(header_line: str) -> str:
    counts = Counter()
    quoted = False
    for char in header_line:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in SEPARATORS:
            counts[char] += 1
    return max(SEPARATORS, key=lambda separator: counts[separator])  # ties: the first in SEPARATORS


def _column_names(cells: list, header_line: int) -> tuple[list[str], set[str]]:
    """The header's names as the frame uses them: stripped, an empty one as "Kolonne B"."""
    names, unnamed = [], set()
    for position, cell in enumerate(cells):
        name = str(cell).strip()
        if not name:
            name = _("Kolonne %(letter)s") % {"letter": _column_letter(position)}
            unnamed.add(name)
        elif name in names:
            raise _error(say.repeated_header(name), line=header_line, column=name)
        names.append(name)
    return names, unnamed


# --- XLSX ------------------------------------------------------------------------------------------


class _XlsxReader(TableReader):
    """The first sheet of a workbook, read row by row (openpyxl's read-only mode streams the sheet XML),
    after its unpacked size has been checked against the limit: a zip bomb is refused before it is opened."""

    encoding = "xlsx"
    separator = None

    def __init__(self, source, size: int, limits: Limits):
        self.source, self.size, self.limits = source, size, limits
        try:
            with zipfile.ZipFile(source) as archive:
                unpacked = sum(info.file_size for info in archive.infolist())
        except (zipfile.BadZipFile, OSError, ValueError):
            raise _error(say.broken_workbook()) from None
        if unpacked > limits.max_xlsx_uncompressed:
            raise _error(say.workbook_too_big(_megabytes(unpacked), _megabytes(limits.max_xlsx_uncompressed)))
        self._cells = 0
        rows = self._rows()
        try:
            for number, row in rows:
                if row:
                    self.header_line = number
                    header = row
                    break
            else:
                raise _error(say.empty_file())
        finally:
            rows.close()
        if len(header) > limits.max_columns:
            raise _error(say.too_many_columns(len(header), limits.max_columns), line=self.header_line)
        self.width = len(header)
        self.columns, self.unnamed = _column_names(header, self.header_line)
        self.layout = _layout([name for name in self.columns if name not in self.unnamed])

    def _rows(self) -> Iterator[tuple[int, list[str]]]:
        """(Excel row number, cell texts without trailing empty cells) of every row, empty ones included."""
        self.source.seek(0)
        try:
            workbook = openpyxl.load_workbook(self.source, read_only=True, data_only=True)
        except Exception:  # a zip that is not a workbook raises anything from KeyError to BadZipFile
            raise _error(say.broken_workbook()) from None
        cells_seen = 0
        try:
            if not workbook.worksheets:
                raise _error(say.workbook_without_sheets())
            sheet = workbook.worksheets[0]
            sheet.reset_dimensions()  # the stored dimension is often wrong; read every row there is
            for number, cells in enumerate(sheet.iter_rows(), start=1):
                cells_seen += len(cells)
                if cells_seen > self.limits.max_cells:
                    raise _error(say.too_many_cells(cells_seen, self.limits.max_cells))
                row = [_cell_text(cell) for cell in cells]
                while row and not row[-1].strip():
                    row.pop()
                if len(row) > self.limits.max_fields:
                    raise _error(
                        say.too_many_fields_at_all(number, len(row), self.limits.max_fields), line=number
                    )
                yield number, row
        except ReadError:
            raise
        except Exception:
            raise _error(say.broken_workbook()) from None
        finally:
            workbook.close()

    def chunks(self) -> Iterator[RawTable]:
        width = max(self.width, 1)
        rows, lines, extra = [], [], set()
        data_rows = 0
        for number, row in self._rows():
            if number <= self.header_line:
                continue
            if len(row) > width:
                for position in range(width, len(row)):
                    if row[position].strip():
                        extra.add(_("Kolonne %(letter)s") % {"letter": _column_letter(position)})
                row = row[:width]
            rows.append(row + [""] * (width - len(row)) if len(row) < width else row)
            lines.append(number)
            if len(rows) >= self.limits.chunk_rows:
                part = self._part(rows, lines, extra)
                data_rows += len(part.frame)
                yield part
                rows, lines, extra = [], [], set()
            self.position = int(self.size * 0.99 * min(1.0, number / 1_048_576))
        part = self._part(rows, lines, extra)
        data_rows += len(part.frame)
        if not data_rows:
            raise _error(say.header_only(), line=self.header_line)
        self.position = self.size
        yield part

    def _part(self, rows: list, lines: list, extra: set) -> RawTable:
        width = max(self.width, 1)
        frame = pd.DataFrame(rows, columns=range(width), dtype=object) if rows else None
        columns = (
            [frame[n] for n in range(width)] if frame is not None else [np.array([], dtype=object)] * width
        )
        table = _chunk_table(
            self.columns, self.unnamed, columns, np.asarray(lines, dtype=np.int64), self.layout, "xlsx", None
        )
        table.filled_unnamed |= extra
        return table


# --- Cells of a workbook ---------------------------------------------------------------------------


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


def _chunk_table(
    names: list[str],
    unnamed: set[str],
    columns: list,
    lines: np.ndarray,
    layout: str,
    encoding: str,
    separator,
) -> RawTable:
    """Strip every cell and drop empty rows of one chunk; name its columns as the header does.

    Each column is factorised once and stripped per distinct value; the codes are kept for `validate`.
    """
    count = len(lines)
    empty_row = np.ones(count, dtype=bool)
    kept = {}
    filled = set()
    for name, column in zip(names, columns, strict=False):
        codes, uniques = factorise(column)
        stripped = np.array([str(text).strip() for text in uniques], dtype=object)
        empty_cell = (stripped == "")[codes] if len(uniques) else np.ones(count, dtype=bool)
        empty_row &= empty_cell
        if name in unnamed and not empty_cell.all():
            filled.add(name)
        kept[name] = (codes, stripped, column, len(uniques) and (stripped != uniques).any())
    keep = ~empty_row
    everything = keep.all()
    data, factorised = {}, {}
    for name, (codes, stripped, values, changed) in kept.items():
        if not everything:
            codes = codes[keep]
        factorised[name] = (codes, stripped)
        if changed or not hasattr(values, "array"):
            data[name] = pd.array(stripped[codes] if len(stripped) else np.array([], dtype=object), dtype=str)
        else:
            data[name] = values.array if everything else values.array[keep]
    frame = pd.DataFrame(data, copy=False)
    if len(frame.columns) < len(names):  # a chunk of nothing
        frame = pd.DataFrame({name: pd.array([], dtype=str) for name in names})
        factorised = {}
    return RawTable(
        frame=frame,
        layout=layout,
        encoding=encoding,
        separator=separator,
        lines=np.asarray(lines if everything else lines[keep], dtype=np.int64),
        factorised=factorised,
        filled_unnamed=filled,
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


def _error(
    message: str, *, line: int | None = None, column: str | None = None, kind: str = "file"
) -> ReadError:
    return ReadError(Problem(line=line, column=column, value=None, message=message, kind=kind))
