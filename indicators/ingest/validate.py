"""Checking a read table against the rules in docs/data-format.md and turning it into values.

Fast on a million rows because nothing here loops over rows: every column is factorised once (by
read.py), each *distinct* text is parsed once (names.py), and each rule is a numpy expression over
whole columns. `Problem` objects are built only for offending rows, and no more than the list shows.
The wording of every message is in problems.py.

A file is checked chunk by chunk as read.py reads it (`validate_chunks`), so memory stays bounded: each
chunk's valid rows are handed on (to staging) and dropped, and only what spans chunks is kept: the
problems so far, the labels met, and one 64-bit key and a line number per value to find duplicates at
the end. Every line is checked, whatever is wrong with earlier ones.
"""

import datetime
import functools
import itertools
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import pandas as pd

from ..models import ALL, OBSERVATION_FIGURES, Observation
from . import names
from . import problems as say
from .names import FIELDS, FIELDS_BY_NAME, SUPPRESSED, Lookup, Suggestions, key
from .problems import Problem, ProblemList
from .read import RawTable, TableReader, factorise

__all__ = ["COLUMNS", "Lookup", "Validation", "validate", "validate_chunks"]

FIRST_YEAR = 1990
FEW_RESPONDENTS = 20
# Excel keeps 15 significant digits; a number with more whole digits is a slip, and at 1e309 a float is
# infinite, which no page and no status computation can show.
MAX_NUMBER = 1e15
# The largest respondent count the database column holds (a 32-bit integer; Denmark has 6 million people).
MAX_RESPONDENTS = 2_147_483_647
HEADER_LINE = 1
SEXES = [ALL, Observation.Sex.MEN.value, Observation.Sex.WOMEN.value]
COLUMNS = [
    "indicator_id",
    "area_id",
    "year",
    "period_label",
    "sex",
    "age_group",
    "education",
    *OBSERVATION_FIGURES,
    "line",
]


@dataclass
class Validation:
    frame: pd.DataFrame | None  # None unless problems == []; then columns as in COLUMNS, one row per value
    problems: list[Problem]  # any -> the whole file is rejected
    warnings: list[Problem]  # shown, not blocking
    rows: int  # data rows read (wide layout: values, i.e. rows x year columns)


def validate(raw: RawTable, lookup: Lookup, *, progress: Callable[[float], None] | None = None) -> Validation:
    """Check every rule and, if nothing is wrong, return one row per value (see ingest/CONTRACT.md)."""
    frames: list[pd.DataFrame] = []
    validation = validate_chunks(
        _OneTable(raw), lookup, stage=frames.append, restart=frames.clear, progress=progress
    )
    if not validation.problems:
        validation.frame = (
            pd.concat(frames, ignore_index=True)
            if len(frames) > 1
            else frames[0]
            if frames
            else _empty_frame()
        )
    return validation


def validate_chunks(
    table: TableReader,
    lookup: Lookup,
    *,
    stage: Callable[[pd.DataFrame], None],
    restart: Callable[[], None],
    progress: Callable[[float], None] | None = None,
) -> Validation:
    """Check a file chunk by chunk; hand each chunk's values (columns as in COLUMNS) to `stage` while no
    problem has been found. The returned Validation has no frame. If a later chunk shows that the file
    writes decimals otherwise than the first chunks suggested ("4.812" is 4812 only in a file whose other
    numbers have decimal commas), `restart()` is called and the file is checked again from the start, read
    as the whole file says."""
    progress = progress or (lambda fraction: None)
    validator = _Validator(table, lookup, progress, evidence=None)
    validation = validator.run(stage)
    if validator.evidence_changed():
        restart()
        validation = _Validator(table, lookup, progress, evidence=validator.final_evidence()).run(stage)
    return validation


class _OneTable(TableReader):
    """A RawTable already read, as a reader of one chunk."""

    def __init__(self, raw: RawTable):
        self.raw = raw
        self.layout = raw.layout
        self.encoding, self.separator = raw.encoding, raw.separator
        self.unnamed = set(raw.filled_unnamed)
        self.columns = list(raw.frame.columns)
        self.header_line = HEADER_LINE
        self.size = self.position = 1
        self.lines_at_most = len(raw.frame)

    def chunks(self):
        yield self.raw


def _empty_frame() -> pd.DataFrame:
    return pd.DataFrame({column: pd.Series(dtype=object) for column in COLUMNS})


_MISSING = object()
_CACHE_SIZE = 300_000  # distinct texts remembered per column; a cache is emptied when it grows past this


class YearColumn(NamedTuple):
    """A wide layout's column of values for one year (or period)."""

    header: str
    position: int
    start: int
    year: int
    label: str  # "" for a single year, "2019-2021" for a period


@dataclass
class _Cells:
    """One column's text, factorised: row i holds uniques[codes[i]]. In the wide layout the values are
    all year columns stacked row by row, and `headers`/`positions` cycle with each row."""

    headers: list[str]
    positions: list[int]
    codes: np.ndarray
    uniques: np.ndarray

    @classmethod
    def of(cls, raw: RawTable, headers: list[str], positions: list[int]) -> "_Cells":
        if len(headers) == 1:
            codes, uniques = raw.column_codes(headers[0])
        else:
            codes, uniques = factorise(raw.frame[headers].to_numpy(dtype=object).ravel())
        return cls(headers, positions, codes, uniques)

    def text(self, i: int) -> str:
        """Row i's cell as problems quote it."""
        return say.shorten(self.uniques[self.codes[i]])

    def header(self, i: int) -> str:
        return self.headers[i % len(self.headers)]

    @property
    def position(self):
        if len(self.positions) == 1:
            return self.positions[0]
        return np.tile(np.asarray(self.positions), len(self.codes) // len(self.positions))

    def map(self, parse: Callable[[str], object], cache: dict | None = None) -> list:
        """`parse` applied to each distinct text once; with a `cache` (the file's, for this parse), once
        per file rather than once per chunk."""
        if cache is None:
            return [parse(text) for text in self.uniques]
        if len(cache) > _CACHE_SIZE:
            cache.clear()
        result = []
        for text in self.uniques:
            parsed = cache.get(text, _MISSING)
            if parsed is _MISSING:
                parsed = cache[text] = parse(text)
            result.append(parsed)
        return result

    def problems(self, lines: np.ndarray, message: Callable[[str], str]) -> Callable[[int], Problem]:
        """A maker of the problem in row i: this column, the cell as written, message(cell)."""

        def make(i: int) -> Problem:
            text = self.text(i)
            return Problem(int(lines[i]), self.header(i), text, message(text))

        return make


class _Validator:
    def __init__(self, table: TableReader, lookup: Lookup, progress: Callable[[float], None], *, evidence):
        self.table = table
        self.lookup = lookup
        self.progress = progress
        self.problems = ProblemList()
        self.warnings = ProblemList(more=say.more_warnings)
        self.last_year = datetime.date.today().year + 1
        self.indicator_suggestions = Suggestions(lookup.indicators, lookup.indicator_names)
        self.area_suggestions = Suggestions(lookup.areas, lookup.area_names)
        self._percent_rows = None
        self.parse_decimal = names.parse_number
        # Labels met so far, so their codes mean the same in every chunk (for the duplicate keys).
        self.label_index = {
            "sex": {label: n for n, label in enumerate(SEXES)},
            "age": {ALL: 0},
            "education": {ALL: 0},
        }
        self.duplicates = _DuplicateKeys(lookup, FIRST_YEAR, self.last_year)
        # How the file writes decimals: forced when checking again, else learnt chunk by chunk.
        self.forced = evidence
        self.seen = (False, False)
        self.assumed: set[tuple[bool, bool]] = set()
        self.filled_unnamed: set[str] = set()
        self._caches: dict[str, dict] = {}

    def _cache(self, name: str) -> dict:
        """The parsed distinct texts of one kind of cell, kept from chunk to chunk."""
        return self._caches.setdefault(name, {})

    def evidence_changed(self) -> bool:
        """Whether a chunk read an ambiguous number otherwise than the whole file says it should be."""
        return self.forced is None and bool(self.assumed - {self._decisions(self.seen)})

    def final_evidence(self) -> tuple[bool, bool]:
        return self.seen

    @staticmethod
    def _decisions(evidence: tuple[bool, bool]) -> tuple[bool, bool]:
        comma, dot = evidence
        return (comma and not dot, not comma and not dot)

    def run(self, stage: Callable[[pd.DataFrame], None]) -> Validation:
        rows = 0
        header = None
        for raw in self.table.chunks():
            for problem in raw.problems:
                self.problems.add(problem)
            self.filled_unnamed |= raw.filled_unnamed
            if header is None:
                self.raw, self.frame = raw, raw.frame
                before = self.problems.total
                header = self._match_columns()
                if self.problems.total > before:  # without the columns, no line can be checked
                    return self._rejected(len(raw.frame) * max(len(header[1]), 1))
                self.progress(0.05)
                if year_columns := header[1]:
                    self._check_year_headers(year_columns)
                if self.table.lines_at_most:
                    self.duplicates.reserve(self.table.lines_at_most * max(len(year_columns), 1))
            fields, year_columns = header
            per_row = max(len(year_columns), 1)
            rows += len(raw.frame) * per_row
            frame = self._chunk(raw, fields, year_columns) if len(raw.frame) else None
            if frame is not None and not self.problems:
                stage(frame)
            self.progress(0.05 + 0.9 * self.table.fraction)
        self._unnamed_warnings()
        self.duplicates.report(self.problems)
        self.progress(1.0)
        if self.problems:
            return self._rejected(rows)
        return Validation(frame=None, problems=[], warnings=self.warnings.as_list(), rows=rows)

    def _unnamed_warnings(self):
        for position, header in enumerate(self.table.columns):
            if header in self.filled_unnamed and header in self.table.unnamed:
                problem = Problem(HEADER_LINE, header, None, say.unknown_column(header))
                self.warnings.add(problem, position=position, kind="unknown_column")
        for header in sorted(self.filled_unnamed - set(self.table.columns)):  # beyond a workbook's header
            problem = Problem(HEADER_LINE, header, None, say.unknown_column(header))
            self.warnings.add(problem, position=len(self.table.columns), kind="unknown_column")

    def _chunk(self, raw: RawTable, fields, year_columns: list["YearColumn"]) -> pd.DataFrame | None:
        """Check one chunk; its values as in COLUMNS, or None when a problem was found in it."""
        self.raw, self.frame = raw, raw.frame
        self._percent_rows = None
        per_row = max(len(year_columns), 1)

        # One per row of the file.
        line_of_row = np.asarray(raw.lines, dtype=np.int64)
        indicator, area, (sex, age, ages, education, educations) = self._row_keys(fields, line_of_row)

        # One per value: the same in the long layout, rows x year columns in the wide one.
        lines = np.repeat(line_of_row, per_row)
        if year_columns:
            year = np.tile(
                np.asarray([column.year for column in year_columns], dtype=np.int64), len(self.frame)
            )
            period = np.tile(np.arange(len(year_columns)), len(self.frame))
            periods = [column.label for column in year_columns]
            value_cells = _Cells.of(
                self.raw,
                [column.header for column in year_columns],
                [column.position for column in year_columns],
            )
            indicator, area, sex, age, education = (
                np.repeat(array, per_row) for array in (indicator, area, sex, age, education)
            )
        else:
            year, period, periods = self._years(fields["year"], lines)
            value_cells = self._cells(fields["value"])
        comma, dot = self._decimal_marks(fields, value_cells)
        value, suppressed = self._values(value_cells, lines, indicator)
        if not comma and not dot:
            self._warn_dot_read_as_decimal(value_cells, lines)
        ci_low = self._bound(fields.get("ci_low"), "ci_low", lines, indicator)
        ci_high = self._bound(fields.get("ci_high"), "ci_high", lines, indicator)
        self._check_interval(fields, value_cells, lines, value, ci_low, ci_high)
        respondents = self._respondents(fields.get("respondents"), lines, suppressed)
        self.duplicates.add(lines, indicator, area, year, sex, age, education)

        if self.problems:
            return None
        return pd.DataFrame(
            {
                "indicator_id": indicator,
                "area_id": area,
                "year": year,
                "period_label": _strings(periods, period),
                "sex": _strings(SEXES, sex),
                "age_group": _strings(ages, age),
                "education": _strings(educations, education),
                "value": value,
                "ci_low": ci_low,
                "ci_high": ci_high,
                "respondents": respondents,
                "suppressed": suppressed,
                "line": lines,
            },
            columns=COLUMNS,
        )

    def _row_keys(self, fields, line_of_row):
        """One per row of the file: the indicator and area ids, and the breakdowns (sex, age group and
        education codes, with the labels of the last two). Problems are reported in that order."""
        indicator = self._ids(
            fields["indicator"],
            line_of_row,
            self.lookup.indicators,
            self._unknown_indicator,
            "unknown_indicator",
        )
        area = self._ids(fields["area"], line_of_row, self.lookup.areas, self._unknown_area, "unknown_area")
        sex, _sexes = self._labels(
            fields.get("sex"), "sex", line_of_row, names.parse_sex, say.unknown_sex, "unknown_sex"
        )
        age, ages = self._labels(
            fields.get("age"), "age", line_of_row, names.parse_age, say.unreadable_age, "unreadable_age"
        )
        education, educations = self._labels(
            fields.get("education"),
            "education",
            line_of_row,
            names.parse_education,
            lambda text: say.education_too_long(names.EDUCATION_MAX_LENGTH),
            "education_too_long",
        )
        return indicator, area, (sex, age, ages, education, educations)

    def _decimal_marks(self, fields, value_cells: _Cells) -> tuple[bool, bool]:
        """Which decimal mark the file uses, from this chunk's numbers and the chunks before it (unless the
        caller forced one), and the number parser that follows from it. Returns (comma, dot) as decided."""
        # "4.812" is 4812 in a file whose decimals are commas, 4.812 in one whose decimals are points.
        bounds = [self._cells(fields[bound]).uniques for bound in ("ci_low", "ci_high") if bound in fields]
        comma, dot = names.decimal_evidence(itertools.chain(value_cells.uniques, *bounds))
        self.seen = (self.seen[0] or comma, self.seen[1] or dot)
        comma, dot = self.forced or self.seen
        if any(names.dot_or_thousands(text) for text in itertools.chain(value_cells.uniques, *bounds)):
            self.assumed.add(self._decisions((comma, dot)))
        self.dot_groups_thousands = comma and not dot
        self.parse_decimal = functools.partial(
            names.parse_number, dot_groups_thousands=self.dot_groups_thousands
        )
        self._decimal_cache = f"number:{self.dot_groups_thousands}"
        return comma, dot

    def _rejected(self, rows: int) -> Validation:
        self.progress(1.0)
        return Validation(
            frame=None, problems=self.problems.as_list(), warnings=self.warnings.as_list(), rows=rows
        )

    def _cells(self, field: tuple[str, int]) -> _Cells:
        header, position = field
        return _Cells.of(self.raw, [header], [position])

    # --- The header --------------------------------------------------------------------------------

    def _match_columns(self) -> tuple[dict[str, tuple[str, int]], list[YearColumn]]:
        """Field -> (header, position), and the wide layout's year columns; reports missing, doubled and
        unknown columns."""
        fields: dict[str, tuple[str, int]] = {}
        year_columns = []
        headers = [header for header in self.table.columns if header not in self.table.unnamed]
        wide = self.table.layout == "wide"
        present = {FIELDS_BY_NAME[field].label for header in headers if (field := names.match_column(header))}
        for position, header in enumerate(self.table.columns):
            if header in self.table.unnamed:
                continue  # warned about at the end if it holds data
            field = names.match_column(header)
            period = names.year_header(header) if wide and field is None else None
            if period:
                year_columns.append(YearColumn(header, position, *period))
            elif field is None:
                suggestion = names.similar_column(header)
                if suggestion in present:  # the file has that column: the header means something else
                    suggestion = None
                self.warnings.add(
                    Problem(HEADER_LINE, header, None, say.unknown_column(header, suggestion)),
                    position=position,
                    kind="unknown_column",
                )
            elif field in fields:
                message = say.same_meaning(fields[field][0], header, FIELDS_BY_NAME[field].label)
                self.problems.add(
                    Problem(HEADER_LINE, header, None, message), position=position, kind="header"
                )
            elif wide and field in ("value", "ci_low", "ci_high", "respondents"):
                message = say.unused_in_wide_layout(header)
                self.warnings.add(
                    Problem(HEADER_LINE, header, None, message), position=position, kind="unknown_column"
                )
            else:
                fields[field] = (header, position)
        missing = [
            field
            for field in FIELDS
            if field.required and field.name not in fields and not (wide and field.name in ("year", "value"))
        ]
        known_in_header = sum(names.match_column(header) is not None for header in headers)
        if missing and (below := self._header_further_down(more_than=known_in_header)):
            # Title, source and blank lines above the real header: one problem that says so, instead of
            # a missing column for each field and an unknown one for each title cell.
            self.problems, self.warnings = ProblemList(), ProblemList(more=say.more_warnings)
            line, cells = below
            self.problems.add(
                Problem(HEADER_LINE, None, None, say.header_further_down(line, cells)), kind="header"
            )
            return fields, year_columns
        for field in missing:
            message = say.missing_column(field.label, headers, [field.label, *field.aliases])
            self.problems.add(Problem(HEADER_LINE, field.label, None, message), kind="header")
        return fields, year_columns

    def _header_further_down(self, *, more_than: int, rows: int = 30) -> tuple[int, list[str]] | None:
        """(line, cells) of the first of the top rows that names more known columns than the header does
        (and at least two), if any: then that row is the real header."""
        top = self.frame.iloc[:rows].to_numpy(dtype=object)
        for line, cells in zip(self.raw.lines[:rows].tolist(), top, strict=False):
            texts = [str(cell).strip() for cell in cells if str(cell).strip()]
            if sum(names.match_column(text) is not None for text in texts) > max(more_than, 1):
                return int(line), texts
        return None

    def _check_year_headers(self, year_columns: list[YearColumn]):
        seen = {}
        for header, position, start, year, _label in year_columns:
            if not FIRST_YEAR <= year <= self.last_year or start > year:
                message = say.year_header_outside(header, FIRST_YEAR, self.last_year)
                self.problems.add(
                    Problem(HEADER_LINE, header, header, message), position=position, kind="header"
                )
            elif year in seen:
                message = say.same_year_twice(seen[year], header, year)
                self.problems.add(
                    Problem(HEADER_LINE, header, header, message), position=position, kind="header"
                )
            seen.setdefault(year, header)

    # --- One per row -------------------------------------------------------------------------------

    def _ids(self, field, lines, mapping: dict[str, int], message, kind: str) -> np.ndarray:
        """Indicator or area: the pk of each row, -1 where the name is unknown."""
        cells = self._cells(field)
        parsed = cells.map(lambda text: mapping.get(key(text), -1), self._cache(kind))
        ids = np.asarray(parsed, dtype=np.int64)[cells.codes]
        self.problems.add_rows(
            ids < 0, lines, cells.problems(lines, message), position=cells.position, kind=kind
        )
        return ids

    def _unknown_indicator(self, text: str) -> str:
        return say.unknown_indicator(text, self.indicator_suggestions(text))

    def _unknown_area(self, text: str) -> str:
        return say.unknown_area(text, self.area_suggestions(text))

    def _labels(self, field, name: str, lines, parse, message, kind: str) -> tuple[np.ndarray, list[str]]:
        """Sex, age group or education: per row an index into the list of labels, -1 if unreadable. The
        index is the file's, not the chunk's: the same label has the same code in every chunk."""
        index = self.label_index[name]
        if field is None:
            return np.zeros(len(self.frame), dtype=np.int64), list(index)
        cells = self._cells(field)
        parsed = cells.map(parse, self._cache(kind))
        codes = [-1 if label is None else index.setdefault(label, len(index)) for label in parsed]
        row_codes = np.asarray(codes, dtype=np.int64)[cells.codes]
        self.problems.add_rows(
            row_codes < 0, lines, cells.problems(lines, message), position=cells.position, kind=kind
        )
        return row_codes, list(index)

    def _years(self, field, lines) -> tuple[np.ndarray, np.ndarray, list[str]]:
        """Per row: the year (0 if wrong), an index into the list of period labels, and that list."""
        cells = self._cells(field)
        labels = {"": 0}
        years, label_codes, errors = [], [], []
        for text, period in zip(
            cells.uniques, cells.map(names.parse_period, self._cache("year")), strict=True
        ):
            start, end, label = period or (0, 0, "")
            if period is None:
                error = say.not_a_year(say.shorten(text))
            elif not FIRST_YEAR <= end <= self.last_year:
                error = say.year_outside(end, FIRST_YEAR, self.last_year)
            elif start > end:
                error = say.period_backwards(say.shorten(text))
            else:
                error = None
            years.append(0 if error else end)
            label_codes.append(labels.setdefault(label, len(labels)))
            errors.append(error)
        row_years = np.asarray(years, dtype=np.int64)[cells.codes]

        def problem(i):
            return Problem(int(lines[i]), cells.header(i), cells.text(i), errors[cells.codes[i]])

        self.problems.add_rows(row_years == 0, lines, problem, position=cells.position, kind="year")
        return row_years, np.asarray(label_codes, dtype=np.int64)[cells.codes], list(labels)

    # --- Numbers -----------------------------------------------------------------------------------

    def _numbers(self, cells: _Cells, parse, cache: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per row: the number (NaN if missing or bad), whether it is a "not published" mark, whether bad."""
        parsed = cells.map(parse, self._cache(cache))
        numbers = np.array([np.nan if item is None or item is SUPPRESSED else item for item in parsed])
        marks = np.array([item is SUPPRESSED for item in parsed], dtype=bool)
        bad = np.array([item is None for item in parsed], dtype=bool)
        return numbers.astype(np.float64)[cells.codes], marks[cells.codes], bad[cells.codes]

    def _warn_dot_read_as_decimal(self, cells: _Cells, lines):
        """A file without a single unambiguous decimal: "1.045" was read with a decimal point (1,045).
        It may have meant one thousand and forty-five; the analyst should look."""
        ambiguous = np.array([names.dot_or_thousands(text) for text in cells.uniques], dtype=bool)
        if ambiguous.any():
            self.warnings.add_rows(
                ambiguous[cells.codes],
                lines,
                cells.problems(lines, say.dot_read_as_decimal),
                position=cells.position,
                kind="dot_read_as_decimal",
            )

    def _as_read(self, *texts: str) -> str:
        """An explanation to add to a problem about these cells when a dot in them was read as a
        thousands separator ("16.325" as 16325 in a file with decimal commas); empty otherwise."""
        if not self.dot_groups_thousands:
            return ""
        return "".join(
            " " + say.dot_read_as_thousands(text) for text in texts if names.dot_or_thousands(text)
        )

    def _too_large(self, field: str, cells: _Cells, lines, number) -> np.ndarray:
        """Numbers beyond 15 digits (or beyond what a float holds): more than Excel itself keeps, so a
        slip of the keyboard; they would also overflow the charts and the status computations."""
        with np.errstate(invalid="ignore"):
            huge = np.abs(number) >= MAX_NUMBER
        message = cells.problems(lines, lambda text: say.number_too_large(field, text))
        self.problems.add_rows(huge, lines, message, position=cells.position, kind="number_too_large")
        return np.where(huge, np.nan, number)

    def _values(self, cells: _Cells, lines, indicator) -> tuple[np.ndarray, np.ndarray]:
        value, suppressed, bad = self._numbers(cells, self.parse_decimal, self._decimal_cache)
        self.problems.add_rows(
            bad,
            lines,
            cells.problems(lines, say.value_not_a_number),
            position=cells.position,
            kind="value_not_a_number",
        )
        value = self._too_large("value", cells, lines, value)
        self._check_percent("value", cells, lines, indicator, value)
        return value, suppressed

    def _bound(self, field, bound: str, lines, indicator) -> np.ndarray:
        if field is None:
            return np.full(len(lines), np.nan)
        cells = self._cells(field)
        number, _marks, bad = self._numbers(cells, self.parse_decimal, self._decimal_cache)
        message = cells.problems(lines, lambda text: say.bound_not_a_number(bound, text))
        self.problems.add_rows(bad, lines, message, position=cells.position, kind="bound_not_a_number")
        number = self._too_large(bound, cells, lines, number)
        self._check_percent(bound, cells, lines, indicator, number)
        return number

    def _check_percent(self, field: str, cells: _Cells, lines, indicator, number):
        if self._percent_rows is None:  # the same for the value and both bounds
            percent = np.fromiter(self.lookup.percent_indicators, dtype=np.int64)
            self._percent_rows = np.isin(indicator, percent)
        outside = self._percent_rows & ((number < 0) | (number > 100))
        indicator_names = self.indicator_suggestions.names

        def problem(i):
            text = cells.text(i)
            message = say.outside_percent(field, text, indicator_names.get(int(indicator[i]), ""))
            message += self._as_read(text)
            return Problem(int(lines[i]), cells.header(i), text, message)

        self.problems.add_rows(outside, lines, problem, position=cells.position, kind="outside_percent")

    def _check_interval(self, fields, value_cells: _Cells, lines, value, ci_low, ci_high):
        """Both bounds or neither, and nedre <= andel <= øvre."""
        low_field, high_field = fields.get("ci_low"), fields.get("ci_high")
        if low_field is None and high_field is None:
            return
        low_header, low_position = low_field or (FIELDS_BY_NAME["ci_low"].label, -1)
        high_header, high_position = high_field or (FIELDS_BY_NAME["ci_high"].label, -1)
        has_low, has_high = ~np.isnan(ci_low), ~np.isnan(ci_high)
        if low_field:
            low = self._cells(low_field)

            def only_low(i):  # reported where the missing bound belongs
                return Problem(int(lines[i]), high_header, "", say.only_low_bound(low.text(i)))

            self.problems.add_rows(
                has_low & ~has_high, lines, only_low, position=high_position, kind="interval_incomplete"
            )
        if high_field:
            high = self._cells(high_field)

            def only_high(i):
                return Problem(int(lines[i]), low_header, "", say.only_high_bound(high.text(i)))

            self.problems.add_rows(
                has_high & ~has_low, lines, only_high, position=low_position, kind="interval_incomplete"
            )
        if not (low_field and high_field):
            return

        def low_above_value(i):
            message = say.low_above_value(low.text(i), value_cells.text(i))
            message += self._as_read(low.text(i), value_cells.text(i))
            return Problem(int(lines[i]), low_header, low.text(i), message)

        def value_above_high(i):
            message = say.value_above_high(value_cells.text(i), high.text(i))
            message += self._as_read(value_cells.text(i), high.text(i))
            return Problem(int(lines[i]), high_header, high.text(i), message)

        def low_above_high(i):
            return Problem(
                int(lines[i]), low_header, low.text(i), say.low_above_high(low.text(i), high.text(i))
            )

        order = "interval_order"
        self.problems.add_rows(ci_low > value, lines, low_above_value, position=low_position, kind=order)
        self.problems.add_rows(value > ci_high, lines, value_above_high, position=high_position, kind=order)
        self.problems.add_rows(
            np.isnan(value) & (ci_low > ci_high), lines, low_above_high, position=low_position, kind=order
        )

    def _respondents(self, field, lines, suppressed) -> pd.arrays.IntegerArray:
        if field is None:
            return pd.arrays.IntegerArray(
                np.zeros(len(lines), dtype=np.int64), np.ones(len(lines), dtype=bool)
            )
        cells = self._cells(field)
        number, _marks, bad = self._numbers(cells, names.parse_count, "count")
        negative = number < 0
        fractional = np.isfinite(number) & ~negative & (number != np.floor(number))
        too_large = ~fractional & (number > MAX_RESPONDENTS)
        for mask, message in (
            (bad, say.respondents_not_a_number),
            (negative, say.respondents_negative),
            (fractional, say.respondents_fractional),
            (too_large, say.respondents_too_large),
        ):
            self.problems.add_rows(
                mask, lines, cells.problems(lines, message), position=cells.position, kind="respondents"
            )
        few = (number < FEW_RESPONDENTS) & ~negative & ~fractional & ~suppressed
        self.warnings.add_rows(
            few,
            lines,
            cells.problems(lines, say.few_respondents),
            position=cells.position,
            kind="few_respondents",
        )
        missing = np.isnan(number)
        whole = np.where(missing | negative | fractional | too_large, 0, number).astype(np.int64)
        return pd.arrays.IntegerArray(whole, missing)


class _DuplicateKeys:
    """Two values for the same indicator, area, year, sex, age and education, found across all chunks.

    Each chunk's values add one int64 key each (the six codes packed into bits; indicator and area as
    their rank among the catalogue's ids, so they fit whatever the ids) and an int32 line, into arrays
    reserved once for the whole file when its line count is known: 12 bytes per value, 60 MB for 5 million.
    At the end a sorted copy of the keys finds the repeated ones, and only the values with such a key are
    looked at again. Were there ever more age groups or educations than the bits hold, the keys are kept
    as two int64s.
    """

    AGE_BITS, EDUCATION_BITS = 12, 16

    def __init__(self, lookup: Lookup, first_year: int, last_year: int):
        self.indicator_ids = np.unique(np.fromiter(set(lookup.indicators.values()), dtype=np.int64))
        self.area_ids = np.unique(np.fromiter(set(lookup.areas.values()), dtype=np.int64))
        self.first_year, self.years = first_year, last_year - first_year + 1
        self.keys = np.empty(0, dtype=np.int64)  # (n, 2) once wide
        self.lines = np.empty(0, dtype=np.int32)
        self.size = 0
        self.wide = False

    def reserve(self, values: int) -> None:
        self._grow(values)

    def _grow(self, needed: int) -> None:
        if needed <= len(self.lines):
            return
        capacity = max(needed, len(self.lines) * 3 // 2 + 1024)
        keys = np.empty((capacity, 2) if self.wide else capacity, dtype=np.int64)
        keys[: self.size] = self.keys[: self.size]
        lines = np.empty(capacity, dtype=np.int32)
        lines[: self.size] = self.lines[: self.size]
        self.keys, self.lines = keys, lines

    def add(self, lines, indicator, area, year, sex, age, education):
        valid = (indicator >= 0) & (area >= 0) & (year > 0) & (sex >= 0) & (age >= 0) & (education >= 0)
        if not valid.any():
            return
        rank_i = np.searchsorted(self.indicator_ids, indicator[valid])
        rank_a = np.searchsorted(self.area_ids, area[valid])
        high = (
            (rank_i * len(self.area_ids) + rank_a) * self.years + (year[valid] - self.first_year)
        ) * 3 + sex[valid]
        age, education = age[valid], education[valid]
        if not self.wide and (age.max() >> self.AGE_BITS or education.max() >> self.EDUCATION_BITS):
            self._widen()
        if self.wide:
            keys = np.column_stack([high, (age << 32) | education])
        else:
            keys = (high << (self.AGE_BITS + self.EDUCATION_BITS)) | (age << self.EDUCATION_BITS) | education
        count = len(keys)
        self._grow(self.size + count)
        self.keys[self.size : self.size + count] = keys
        self.lines[self.size : self.size + count] = lines[valid]
        self.size += count

    def _widen(self) -> None:
        keys = self.keys[: self.size]
        shift = self.AGE_BITS + self.EDUCATION_BITS
        age = (keys >> self.EDUCATION_BITS) & ((1 << self.AGE_BITS) - 1)
        wide = np.empty((len(self.lines), 2), dtype=np.int64)
        wide[: self.size] = np.column_stack(
            [keys >> shift, (age << 32) | (keys & ((1 << self.EDUCATION_BITS) - 1))]
        )
        self.keys, self.wide = wide, True

    def report(self, problems: ProblemList):
        """Name each later line that repeats an earlier one, once per pair of lines."""
        keys, lines = self.keys[: self.size], self.lines[: self.size]
        if not len(keys):
            return
        if self.wide:
            candidates = np.arange(len(keys))
        else:
            ordered = np.sort(keys)
            repeated = np.unique(ordered[1:][ordered[1:] == ordered[:-1]])
            del ordered
            if not len(repeated):
                return
            candidates = np.flatnonzero(np.isin(keys, repeated))
        keys, lines = keys[candidates], lines[candidates]
        self.keys, self.lines, self.size = np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int32), 0
        if self.wide:
            order = np.lexsort((keys[:, 1], keys[:, 0]))
            ordered = keys[order]
            repeat = np.r_[False, (ordered[1:] == ordered[:-1]).all(axis=1)]
        else:
            order = np.argsort(keys, kind="stable")
            ordered = keys[order]
            repeat = np.r_[False, ordered[1:] == ordered[:-1]]
        if not repeat.any():
            return
        # The first of each run of equal keys is the earliest value (the sort is stable).
        first = order[np.flatnonzero(~repeat)][np.cumsum(~repeat) - 1]
        later, first = order[repeat], first[repeat]
        # A clash within one line comes from two year columns for the same year in the wide layout; the
        # header problem already says so. Two lines that clash in every year column are named once.
        pairs = np.unique(
            np.column_stack([lines[later], lines[first]]).astype(np.int64)[lines[later] != lines[first]],
            axis=0,
        )
        if not len(pairs):
            return
        problems.add_many(
            [
                Problem(int(line), None, None, say.duplicate(int(earlier), int(line)))
                for line, earlier in pairs[: problems.per_kind].tolist()
            ],
            total=len(pairs),
            kind="duplicate",
        )


def _strings(labels: list[str], codes: np.ndarray) -> pd.Series:
    return pd.Series(np.asarray(labels, dtype=object)[codes], dtype=str)
