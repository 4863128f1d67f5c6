"""A file read and checked in many small chunks gives exactly what it gives in one piece (issue #13, item 4):
the same values, lines, problems and warnings, in the long and wide layouts and in a workbook; and a number
read before the file showed its decimal mark is read again as the whole file says."""

import io
from pathlib import Path

import pandas as pd
import pytest

from indicators.ingest.read import Limits, open_table, read_table
from indicators.ingest.validate import Lookup, validate, validate_chunks

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parent.parent / "data"


def in_chunks(data: bytes, name: str, **limits):
    """validate_chunks over small chunks; (the staged frame, the validation, how often it restarted)."""
    frames, restarts = [], []
    table = open_table(io.BytesIO(data), name, limits=Limits(**limits))
    validation = validate_chunks(
        table,
        Lookup.from_db(),
        stage=frames.append,
        restart=lambda: (frames.clear(), restarts.append(1)),
    )
    frame = pd.concat(frames, ignore_index=True) if frames else None
    return frame, validation, len(restarts)


def in_one_piece(data: bytes, name: str):
    return validate(read_table(data, name, max_bytes=10_000_000), Lookup.from_db())


@pytest.mark.parametrize(
    ("name", "repeat"),
    [("good-long-utf8.csv", 1), ("good-wide.csv", 1), ("good-quoted.csv", 1), ("good-long.xlsx", 1)],
)
def test_small_chunks_give_the_same_values_as_one_piece(name, repeat):
    data = (DATA / name).read_bytes()
    whole = in_one_piece(data, name)
    frame, validation, _restarts = in_chunks(data, name, chunk_bytes=64, chunk_rows=1)
    assert validation.problems == whole.problems == []
    assert validation.warnings == whole.warnings
    assert validation.rows == whole.rows
    pd.testing.assert_frame_equal(frame, whole.frame)


def test_small_chunks_report_the_same_problems_as_one_piece():
    data = (DATA / "bad-many-problems.csv").read_bytes()
    whole = in_one_piece(data, "x.csv")
    frame, validation, _restarts = in_chunks(data, "x.csv", chunk_bytes=100)
    assert frame is None  # nothing staged once the first problem is found... nor before it, here
    assert [(p.line, p.kind, p.message) for p in validation.problems] == [
        (p.line, p.kind, p.message) for p in whole.problems
    ]
    assert len(validation.problems) == 16


def test_duplicates_are_found_across_chunks():
    rows = "".join(f"behov-for-behandling;461;{year};16,3\n" for year in range(2000, 2020))
    data = ("indikator;område;år;andel\n" + rows + "behov-for-behandling;461;2003;17,0\n").encode()
    _frame, validation, _restarts = in_chunks(data, "x.csv", chunk_bytes=50)
    (problem,) = validation.problems
    assert (problem.line, problem.kind) == (22, "duplicate")
    assert problem.message.startswith("Linje 5 og linje 22 har samme indikator")


def test_a_number_read_before_the_file_showed_its_decimal_comma_is_read_again():
    # The first chunks have only "4.812" (a decimal point or a thousands dot?); a later one has "16,3": the
    # file writes decimals with commas, so "4.812" is 4812, as when the file is read in one piece.
    rows = "".join(f"behov-for-behandling;461;{year};4.812\n" for year in range(2000, 2010))
    data = ("indikator;område;år;andel\n" + rows + "behov-for-behandling;479;2021;16,3\n").encode()
    frame, validation, restarts = in_chunks(data, "x.csv", chunk_bytes=60)
    assert restarts == 1 and validation.problems == [] and validation.warnings == []
    assert frame["value"].tolist() == [4812.0] * 10 + [16.3]
    pd.testing.assert_frame_equal(frame, in_one_piece(data, "x.csv").frame)
