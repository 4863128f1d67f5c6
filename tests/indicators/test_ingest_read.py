"""Reading uploaded files: encodings, separators, quotes, workbooks, and the files that are no table at all.

Files are in tests/data/, one per case; what is checked is the text of each cell and its Excel line
number, because that is what every later message points at.
"""

from pathlib import Path

import numpy as np
import pytest

from indicators.ingest.read import ReadError, read_table

DATA = Path(__file__).resolve().parent.parent / "data"
MAX_BYTES = 10 * 1024 * 1024
LONG_HEADER = [
    "indikator",
    "område",
    "år",
    "køn",
    "alder",
    "uddannelse",
    "andel",
    "nedre",
    "øvre",
    "antal svarpersoner",
]


def read(name, **options):
    return read_table((DATA / name).read_bytes(), name, max_bytes=options.get("max_bytes", MAX_BYTES))


def read_bytes(data: bytes, name="upload.csv"):
    return read_table(data, name, max_bytes=MAX_BYTES)


def rows(raw):
    return raw.frame.to_numpy().tolist()


def line_problem(name=None, data=None):
    """The one line problem of a file whose other lines are read: a short or long line, an open quote."""
    raw = read(name) if data is None else read_bytes(data)
    assert len(raw.problems) == 1, raw.problems
    return raw.problems[0]


def read_error(name=None, data=None, **options):
    with pytest.raises(ReadError) as caught:
        if data is None:
            read(name, **options)
        else:
            read_bytes(data, name or "upload.csv")
    return caught.value.problem


# --- Encodings -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "encoding"),
    [
        ("good-long-utf8.csv", "utf-8"),
        ("good-long-utf8-bom.csv", "utf-8-sig"),
        ("good-long-cp1252.csv", "cp1252"),
    ],
)
def test_it_reads_every_danish_encoding_without_garbling_aeoeaa(name, encoding):
    raw = read(name)
    assert raw.encoding == encoding
    assert raw.separator == ";"
    assert raw.layout == "long"
    assert list(raw.frame.columns) == LONG_HEADER
    assert rows(raw)[2] == [
        "Svær overvægt",
        "Ærø",
        "2019-2021",
        "Mænd",
        "75+",
        "Videregående uddannelse",
        "18,8",
        "15,0",
        "22,9",
        "311",
    ]


def test_it_keeps_every_cell_as_text():
    raw = read("good-long-utf8.csv")
    assert rows(raw)[0] == [
        "dagligrygning",
        "0461",
        "2021",
        "Alle",
        "16+",
        "Alle",
        "16,3",
        "15,1",
        "17,6",
        "4.812",
    ]
    assert all(isinstance(cell, str) for row in rows(raw) for cell in row)


def test_it_skips_an_empty_row_and_keeps_the_excel_line_numbers():
    raw = read("good-long-cp1252.csv")  # line 4 is ";;;;;;;;;", as Excel writes an empty row
    assert len(raw.frame) == 3
    assert raw.lines.tolist() == [2, 3, 5]
    assert raw.lines.dtype == np.int64


def test_it_counts_blank_lines_above_the_header():
    raw = read_bytes(b"\n\nindikator;andel\n\ndagligrygning;16,3\n")
    assert rows(raw) == [["dagligrygning", "16,3"]]
    assert raw.lines.tolist() == [5]


def test_it_follows_excels_sep_line_and_does_not_count_it():
    raw = read_bytes(b"sep=,\r\nindikator,andel\r\ndagligrygning,16.3\r\n")
    assert raw.separator == ","
    assert list(raw.frame.columns) == ["indikator", "andel"]
    assert raw.lines.tolist() == [2]


def test_it_reads_excels_unicode_text_export():
    raw = read_bytes("indikator\tområde\tandel\r\ndagligrygning\tÆrø\t16,3\r\n".encode("utf-16"))
    assert raw.encoding == "utf-16"
    assert raw.separator == "\t"
    assert rows(raw) == [["dagligrygning", "Ærø", "16,3"]]


def test_it_rejects_a_file_that_mixes_two_encodings():
    problem = read_error("bad-mixed-encoding.csv")
    assert problem.message == (
        "Filen blander to tegnsæt (UTF-8 og Windows-1252), så æ, ø og å ikke kan læses sikkert. "
        "Åbn den i Excel, og gem den igen som »CSV UTF-8«."
    )


# --- Separators and quotes -------------------------------------------------------------------------


def test_it_reads_a_comma_separated_file():
    raw = read("good-comma-separated.csv")
    assert raw.separator == ","
    assert raw.frame.columns[0] == "indicator"
    assert rows(raw)[1] == [
        "Dagligrygning",
        "083",
        "2021",
        "Women",
        "16-24",
        "",
        "9.8",
        "7.9",
        "12.0",
        "1020",
    ]


def test_it_reads_a_tab_separated_file():
    raw = read("good-tab-separated.tsv")
    assert raw.separator == "\t"
    assert list(raw.frame.columns) == [
        "Indikator",
        "Område",
        "År",
        "Køn",
        "Alder",
        "Andel",
        "Nedre grænse",
        "Øvre grænse",
        "Antal",
    ]
    assert rows(raw) == [
        ["dagligrygning", "Odense Kommune", "2021", "K", "25-34", "16,3 %", "15,1", "17,6", "4 812"]
    ]


def test_it_reads_quoted_fields_as_rfc_4180_says():
    raw = read("good-quoted.csv")
    assert raw.separator == ","
    assert rows(raw) == [
        [
            "Fastholdelse på arbejdsmarkedet, somatisk sygdom",
            "Region Syddanmark",
            "2021",
            "61,5",
            "60,1",
            "62,9",
            'Kilde: "Sundhedsdatastyrelsen"',
        ],
        ["dagligrygning", "Odense", "2021", "16,3", "15,1", "17,6", "To linjer\r\ni én celle"],
        ["dagligrygning", "Ærø", "2021", "12,0", "9,9", "14,1", ""],
    ]
    # A line break inside quotes stays in one Excel row, so the next row is line 4, not 5.
    assert raw.lines.tolist() == [2, 3, 4]


def test_it_trims_spaces_around_cells_and_headers():
    raw = read_bytes(
        " indikator ; andel \n\u00a0dagligrygning ;  16,3\u00a0\n".encode()
    )  # with no-break spaces
    assert list(raw.frame.columns) == ["indikator", "andel"]
    assert rows(raw) == [["dagligrygning", "16,3"]]


def test_it_accepts_a_trailing_separator_on_data_rows():
    raw = read_bytes(b"indikator;andel\ndagligrygning;16,3;\n")
    assert list(raw.frame.columns) == ["indikator", "andel"]
    assert rows(raw) == [["dagligrygning", "16,3"]]


def test_a_row_with_more_fields_than_the_header_is_a_problem_of_that_line():
    problem = line_problem("bad-too-many-fields.csv")
    assert problem.line == 3
    assert problem.message == (
        "Linje 3 har 5 felter, men overskriften har 4. Sæt anførselstegn om tekst, der indeholder separatoren "
        "»,«, eller brug semikolon som separator, når tal har komma som decimaltegn."
    )


def test_it_rejects_a_quote_that_is_never_closed():
    problem = line_problem(data=b'indikator;andel\ndagligrygning;"16,3\ndagligrygning;17,0\n')
    assert problem.line == 2
    assert "lukkes aldrig" in problem.message


def test_it_names_a_header_written_twice():
    problem = read_error(data=b"indikator;andel;andel\ndagligrygning;16,3;17,0\n")
    assert (problem.line, problem.column) == (1, "andel")
    assert problem.message == (
        "Kolonnen »andel« står flere gange i overskriften. Slet eller omdøb de ekstra kolonner."
    )


def test_it_names_an_unnamed_column_that_holds_data_by_its_excel_letter():
    raw = read_bytes(b"indikator;;andel\ndagligrygning;x;16,3\n")
    assert list(raw.frame.columns) == ["indikator", "Kolonne B", "andel"]


# --- Layouts ---------------------------------------------------------------------------------------


def test_it_recognises_the_wide_layout_by_its_year_columns():
    raw = read("good-wide.csv")
    assert raw.layout == "wide"
    assert list(raw.frame.columns) == ["indikator", "område", "køn", "alder", "2010", "2013", "2017", "2021"]


def test_a_file_with_a_year_column_is_long_even_with_a_year_as_a_header():
    raw = read_bytes(b"indikator;omraade;aar;andel;2021\ndagligrygning;461;2021;16,3;x\n")
    assert raw.layout == "long"


# --- Workbooks -------------------------------------------------------------------------------------


def test_it_reads_the_first_sheet_of_a_workbook_as_excel_shows_it():
    raw = read("good-long.xlsx")
    assert raw.encoding == "xlsx"
    assert raw.separator is None
    assert list(raw.frame.columns) == LONG_HEADER
    assert rows(raw) == [
        # 16.3 as Excel stores it, a whole number without ".0", a code typed as text keeps its zero.
        ["dagligrygning", "0461", "2021", "Alle", "16+", "Alle", "16.3", "15.1", "17.6", "4812"],
        # 16.299999999999997 from a formula shows as 16.3; 1020.0 as 1020.
        [
            "Svær overvægt",
            "Region Syddanmark",
            "2019-2021",
            "Kvinder",
            "16-24",
            "Videregående uddannelse",
            "16.3",
            "14.2",
            "18.5",
            "1020",
        ],
        # Cells formatted as percentages (0.098 shown as 9,8 %) are read as the analyst sees them.
        ["dagligrygning", "Ærø", "2021", "Mænd", "75+", "Alle", "9.8", "7.9", "12", "311"],
        ["dagligrygning", "Sundhedsklynge Fyn", "2021", "Alle", "16+", "Alle", "-", "", "", ""],
    ]
    assert raw.lines.tolist() == [2, 3, 5, 6]  # row 4 is empty


def test_it_knows_a_workbook_by_its_content_whatever_its_name():
    data = (DATA / "good-long.xlsx").read_bytes()
    assert read_table(data, "eksport.csv", max_bytes=MAX_BYTES).encoding == "xlsx"


def test_it_reads_a_csv_file_misnamed_as_xlsx():
    raw = read_table((DATA / "good-long-utf8.csv").read_bytes(), "eksport.xlsx", max_bytes=MAX_BYTES)
    assert raw.encoding == "utf-8"


def test_it_rejects_a_broken_workbook():
    problem = read_error("bad-corrupt.xlsx")
    assert problem.message.startswith("Filen kan ikke åbnes som Excel-projektmappe (.xlsx)")


def test_it_asks_for_xlsx_instead_of_the_old_excel_format():
    problem = read_error("bad-old-excel.xls")
    assert problem.message == (
        "Filen er i Excels gamle format (.xls) eller er et andet Office-dokument. Åbn den i Excel, gem den "
        "som Excel-projektmappe (.xlsx) eller CSV, og upload den igen."
    )


# --- Files that cannot be read ---------------------------------------------------------------------


def test_it_rejects_an_empty_file():
    problem = read_error("bad-empty.csv")
    assert (problem.line, problem.column, problem.value) == (None, None, None)
    assert (
        problem.message
        == "Filen er tom. Vælg en CSV- eller Excel-fil med en overskriftslinje og data under den."
    )


def test_it_rejects_a_file_of_blank_lines():
    problem = read_error(data=b"\xef\xbb\xbf\r\n  \r\n")
    assert problem.message.startswith("Filen er tom.")


def test_it_rejects_a_file_with_only_a_header():
    problem = read_error("bad-header-only.csv")
    assert problem.line == 1
    assert problem.message == (
        "Filen har kun en overskriftslinje og ingen data. Tilføj en linje pr. værdi under overskriften."
    )


def test_it_rejects_a_pdf():
    problem = read_error("bad-not-csv.pdf")
    assert problem.message == (
        "Filen er en PDF-fil, ikke en tabel. Upload data som CSV-fil (fx semikolonsepareret) eller "
        "Excel-projektmappe (.xlsx)."
    )


def test_it_rejects_binary_garbage():
    problem = read_error("bad-binary.bin")
    assert problem.message == (
        "Filen er hverken en CSV-fil eller en Excel-projektmappe (.xlsx). Gem data fra Excel som »CSV UTF-8« "
        "eller .xlsx, og upload filen igen."
    )


def test_it_rejects_bytes_that_are_not_windows_1252_text():
    # 0x81 and 0x8d are undefined in Windows-1252, and the file is not UTF-8 either.
    problem = read_error(data=b"indikator;andel\ndagligrygning;\x81\x8d\n")
    assert problem.message.startswith("Filen er hverken en CSV-fil")


def test_it_rejects_a_file_larger_than_the_maximum():
    data = b"indikator;andel\n" + b"dagligrygning;16,3\n" * 120_000  # 2,280,016 bytes
    with pytest.raises(ReadError) as caught:
        read_table(data, "stor.csv", max_bytes=1_000_000)
    assert caught.value.problem.message == (
        "Filen fylder 2,3 MB, men en fil må højst fylde 1,0 MB. Del den op i flere mindre filer."
    )


def test_it_rejects_a_line_cut_short_instead_of_storing_its_missing_values_as_not_published():
    problem = line_problem("bad-short-row.csv")
    assert problem.line == 3
    assert problem.message == (
        "Linje 3 har kun 3 felter, men overskriften har 10. Linjen kan være afkortet: tilføj de manglende "
        "felter adskilt med »;«. Et tal, der ikke er offentliggjort, skrives som - eller et tomt felt."
    )


@pytest.mark.parametrize("quote", ["", '"'])
@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_a_short_line_is_found_with_any_line_ends_and_quotes(quote, newline):
    text = newline.join(
        ["indikator;andel;antal", f"{quote}dagligrygning{quote};16,3;12", "", "dagligrygning", ""]
    )
    problem = line_problem(data=text.encode())
    assert problem.line == 4 and problem.message.startswith("Linje 4 har kun 1 felt, men overskriften har 3.")


def test_blank_lines_and_trailing_separators_are_not_short_lines():
    raw = read_bytes(
        b"indikator;andel;antal;\r\n\r\ndagligrygning;16,3;12\r\n;;\r\n   \r\ndagligrygning;1;2;;\r\n"
    )
    assert rows(raw) == [["dagligrygning", "16,3", "12"], ["dagligrygning", "1", "2"]]


def test_a_number_formatted_with_a_literal_percent_sign_is_read_as_written():
    # 0,163 formatted 0.0% shows as 16,3 %; 16,3 formatted 0.0" %" or 0.0\% shows as 16,3 % too.
    assert [row[-1] for row in rows(read("good-literal-percent.xlsx"))] == ["16.3", "16.3", "16.3"]


def test_a_web_page_saved_with_an_excel_name_is_named_for_what_it_is():
    problem = read_error("bad-html-saved-as-xls.xls")
    assert problem.message == (
        "Filen er en webside (HTML) eller et XML-regneark, som kun ligner en Excel-fil. Åbn den i Excel, gem "
        "den som Excel-projektmappe (.xlsx) eller CSV, og upload den igen."
    )
