"""Bounded work for any file (issue #16, items 1 and 6): each limit on what a file may cost, and control
characters, with one small file per kind of hostile input in tests/data/ (the limits lowered where the
real ones need a big file; tests/security/ uploads the big ones, built at run time)."""

from pathlib import Path

import pytest

from indicators.ingest.read import Limits, ReadError, read_table

DATA = Path(__file__).resolve().parent.parent / "data"


def problem_of(name, **limits):
    with pytest.raises(ReadError) as caught:
        read_table((DATA / name).read_bytes(), name, max_bytes=10_000_000, limits=Limits(**limits))
    return caught.value.problem


def test_a_control_character_is_named_by_its_line():
    problem = problem_of("bad-control-character.csv")
    assert problem.line == 3
    assert problem.message.startswith(
        "Linje 3 indeholder et kontroltegn (NUL), som ikke hører til i en tekstfil"
    )


@pytest.mark.parametrize(("byte", "name"), [(b"\x1a", "SUB"), (b"\x07", "0x07"), (b"\x7f", "DEL")])
def test_every_control_character_is_named(byte, name):
    data = b"indikator;andel\ndagligrygning;16,3\n" * 3 + b"dagligrygning;1" + byte + b"6\n"
    with pytest.raises(ReadError) as caught:
        read_table(data, "x.csv", max_bytes=10_000)
    assert caught.value.problem.message.startswith(f"Linje 7 indeholder et kontroltegn ({name})")


def test_a_control_character_in_the_header_means_no_text_file_at_all():
    with pytest.raises(ReadError) as caught:
        read_table(b"indikator\x00;andel\ndagligrygning;16,3\n", "x.csv", max_bytes=10_000)
    assert caught.value.problem.message.startswith("Filen er hverken en CSV-fil eller en Excel-projektmappe")


def test_too_many_columns_are_counted_not_listed():
    problem = problem_of("bad-too-many-columns.csv")
    assert problem.line == 1
    assert problem.message.startswith("Overskriften har 600 kolonner; en fil må højst have 500.")
    assert "k599" not in problem.message


def test_a_line_with_too_many_fields_is_rejected_before_it_is_parsed():
    problem = problem_of("bad-too-many-fields-on-a-line.csv")
    assert (problem.line, problem.message[:60]) == (
        3,
        "Linje 3 har 1.501 felter; en linje må højst have 1.000. Er d",
    )


def test_a_line_longer_than_the_limit_is_rejected():
    problem = problem_of("bad-line-too-long.csv", max_line_bytes=200)
    assert problem.line == 3 and problem.message.startswith("Linje 3 er længere end 200 tegn")


def test_more_cells_than_the_limit_are_rejected():
    problem = problem_of("good-long-utf8.csv", max_cells=20)
    assert problem.message.startswith("Filen har mindst ")


def test_a_workbook_that_unpacks_beyond_the_limit_is_not_opened():
    problem = problem_of("bad-zip-bomb.xlsx", max_xlsx_uncompressed=1_000_000)
    assert problem.message.startswith(
        "Excel-filen fylder 2,4 MB udpakket; en projektmappe må højst fylde 1,0 MB"
    )


def test_a_workbook_with_more_cells_than_the_limit_is_rejected():
    problem = problem_of("good-long.xlsx", max_cells=15)
    assert problem.message.startswith("Filen har mindst ")


def test_the_limits_come_from_the_settings(settings):
    settings.UPLOAD_MAX_COLUMNS, settings.UPLOAD_MAX_LINE_BYTES = 7, 123
    limits = Limits.from_settings()
    assert (limits.max_columns, limits.max_line_bytes, limits.max_bytes) == (
        7,
        123,
        settings.UPLOAD_MAX_BYTES,
    )


def test_a_file_is_read_in_chunks_with_the_same_lines_and_cells_as_in_one_piece():
    data = (DATA / "good-quoted.csv").read_bytes()
    whole = read_table(data, "x.csv", max_bytes=10_000)
    data_big = data.splitlines(keepends=True)
    data = data_big[0] + b"".join(data_big[1:]) * 200
    chunked = read_table(data, "x.csv", max_bytes=10_000_000, limits=Limits(chunk_bytes=300))
    one = read_table(data, "x.csv", max_bytes=10_000_000)
    assert chunked.frame.to_numpy().tolist() == one.frame.to_numpy().tolist()
    assert chunked.lines.tolist() == one.lines.tolist()
    assert chunked.frame.to_numpy().tolist()[:3] == whole.frame.to_numpy().tolist()
