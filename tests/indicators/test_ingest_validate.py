"""Validating uploaded files: the values a good file gives, and the Danish problem each bad file gets.

Every bad file in tests/data/ holds one kind of mistake; its test asserts the whole problem (line,
column, value, message), since that is exactly what the analyst reads to fix the file.
"""

import datetime
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from clusters.models import Area
from indicators.ingest import names
from indicators.ingest.problems import PER_KIND, Problem
from indicators.ingest.read import read_table
from indicators.ingest.validate import COLUMNS, Lookup, validate
from indicators.models import Indicator

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parent.parent / "data"
NEXT_YEAR = datetime.date.today().year + 1


def check(name, *, progress=None):
    raw = read_table((DATA / name).read_bytes(), name, max_bytes=10 * 1024 * 1024)
    return validate(raw, Lookup.from_db(), progress=progress)


def check_text(text: str):
    raw = read_table(text.encode(), "upload.csv", max_bytes=10 * 1024 * 1024)
    return validate(raw, Lookup.from_db())


def values(validation):
    """The validated rows with codes instead of ids, NaN and <NA> as None: easy to compare."""
    assert validation.problems == []
    indicators = dict(Indicator.objects.values_list("pk", "code"))
    areas = dict(Area.objects.values_list("pk", "code"))
    result = []
    for row in validation.frame.to_dict("records"):
        row = {
            name: None if value is pd.NA or (isinstance(value, float) and math.isnan(value)) else value
            for name, value in row.items()
        }
        row["indicator"] = indicators[row.pop("indicator_id")]
        row["area"] = areas[row.pop("area_id")]
        result.append(row)
    return result


def value(
    indicator,
    area,
    year,
    value,
    line,
    *,
    period="",
    sex="alle",
    age="alle",
    education="alle",
    low=None,
    high=None,
    respondents=None,
    suppressed=False,
):
    return {
        "indicator": indicator,
        "area": area,
        "year": year,
        "period_label": period,
        "sex": sex,
        "age_group": age,
        "education": education,
        "value": value,
        "ci_low": low,
        "ci_high": high,
        "respondents": respondents,
        "suppressed": suppressed,
        "line": line,
    }


# --- Good files ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "last_line"),
    [
        ("good-long-utf8.csv", 4),
        ("good-long-utf8-bom.csv", 4),
        ("good-long-cp1252.csv", 5),
        ("good-long.xlsx", 5),
    ],
)
def test_it_reads_the_canonical_long_layout_in_every_encoding(name, last_line):
    validation = check(name)
    assert validation.warnings == []
    rows = values(validation)
    if name.endswith(".xlsx"):
        # The workbook's own rows: a percentage-formatted cell and a suppressed value (see make_xlsx.py).
        assert rows == [
            value("dagligrygning", "461", 2021, 16.3, 2, low=15.1, high=17.6, respondents=4812),
            value(
                "svaer-overvaegt",
                "1083",
                2021,
                16.3,
                3,
                period="2019-2021",
                sex="kvinder",
                age="16-24",
                education="Videregående uddannelse",
                low=14.2,
                high=18.5,
                respondents=1020,
            ),
            value(
                "dagligrygning",
                "492",
                2021,
                9.8,
                5,
                sex="maend",
                age="75+",
                low=7.9,
                high=12.0,
                respondents=311,
            ),
            value("dagligrygning", "fyn", 2021, None, 6, suppressed=True),
        ]
        return
    assert rows == [
        # "16,3" is 16.3, "4.812" respondents are 4812, "0461" is Odense.
        value("dagligrygning", "461", 2021, 16.3, 2, low=15.1, high=17.6, respondents=4812),
        # "Region Syddanmark" is region 1083.
        value(
            "dagligrygning",
            "1083",
            2021,
            9.8,
            3,
            sex="kvinder",
            age="16-24",
            low=7.9,
            high=12.0,
            respondents=1020,
        ),
        # A period is stored as its end year; æøå survive in names and labels.
        value(
            "svaer-overvaegt",
            "492",
            2021,
            18.8,
            last_line,
            period="2019-2021",
            sex="maend",
            age="75+",
            education="Videregående uddannelse",
            low=15.0,
            high=22.9,
            respondents=311,
        ),
    ]


def test_it_reads_english_headers_and_decimal_points():
    assert values(check("good-comma-separated.csv")) == [
        value("dagligrygning", "461", 2021, 16.3, 2, low=15.1, high=17.6, respondents=4812),
        value(
            "dagligrygning",
            "1083",
            2021,
            9.8,
            3,
            sex="kvinder",
            age="16-24",
            low=7.9,
            high=12.0,
            respondents=1020,
        ),
    ]


def test_it_reads_header_aliases_percent_signs_and_spaces_as_thousands_separators():
    assert values(check("good-tab-separated.tsv")) == [
        value(
            "dagligrygning",
            "461",
            2021,
            16.3,
            2,
            sex="kvinder",
            age="25-34",
            low=15.1,
            high=17.6,
            respondents=4812,
        ),
    ]


def test_it_melts_the_wide_layout_into_one_value_per_year():
    validation = check("good-wide.csv")
    assert validation.rows == 8
    assert values(validation) == [
        value("svaer-overvaegt", "461", 2010, 14.2, 2),
        value("svaer-overvaegt", "461", 2013, 15.0, 2),
        value("svaer-overvaegt", "461", 2017, 16.9, 2),
        value("svaer-overvaegt", "461", 2021, 18.8, 2),
        value("svaer-overvaegt", "000", 2010, 13.6, 3),
        value("svaer-overvaegt", "000", 2013, 14.9, 3),
        value("svaer-overvaegt", "000", 2017, None, 3, suppressed=True),
        value("svaer-overvaegt", "000", 2021, 18.5, 3),
    ]


def test_it_stores_every_not_published_mark_as_suppressed_and_never_as_zero():
    rows = values(check("good-suppressed.csv"))
    assert [(row["year"], row["value"], row["suppressed"]) for row in rows] == [
        (2016, None, True),  # empty
        (2017, None, True),  # -
        (2018, None, True),  # ..
        (2019, None, True),  # *
        (2020, None, True),  # NA
        (2021, 0.0, False),  # a real zero
    ]
    assert rows[-1]["ci_low"] == 0.0 and rows[-1]["ci_high"] == 1.2
    assert all(row["ci_low"] is None for row in rows[:-1])


def test_it_reads_quoted_names_with_commas_and_warns_about_the_extra_column():
    validation = check("good-quoted.csv")
    assert values(validation) == [
        value("fastholdelse-arbejdsmarked-somatisk", "1083", 2021, 61.5, 2, low=60.1, high=62.9),
        value("dagligrygning", "461", 2021, 16.3, 3, low=15.1, high=17.6),
        value("dagligrygning", "492", 2021, 12.0, 4, low=9.9, high=14.1),
    ]
    assert validation.warnings == [
        Problem(1, "note", None, "Kolonnen »note« kendes ikke og er ikke indlæst."),
    ]


def test_a_misspelt_column_is_named_with_what_it_probably_means():
    # "aldr" is not a column the importer knows, so every row is read as all ages and the two lines become
    # one value twice: the warning says which column was meant.
    validation = check("bad-misspelt-age-column.csv")
    assert [p.kind for p in validation.problems] == ["duplicate"]
    assert validation.warnings == [
        Problem(1, "aldr", None, "Kolonnen »aldr« kendes ikke og er ikke indlæst. Mente du »alder«?"),
    ]


def test_an_unknown_column_is_not_taken_for_one_the_file_already_has():
    validation = check_text("indikator;område;år;alder;aldr;andel\ndagligrygning;0461;2021;16-24;x;16,3\n")
    assert validation.problems == []
    assert validation.warnings == [
        Problem(1, "aldr", None, "Kolonnen »aldr« kendes ikke og er ikke indlæst.")
    ]


def test_the_frame_has_the_columns_and_types_of_the_contract():
    frame = check("good-long-utf8.csv").frame
    assert list(frame.columns) == COLUMNS
    dtypes = {name: str(dtype) for name, dtype in frame.dtypes.items()}
    assert dtypes == {
        "indicator_id": "int64",
        "area_id": "int64",
        "year": "int64",
        "period_label": "str",
        "sex": "str",
        "age_group": "str",
        "education": "str",
        "value": "float64",
        "ci_low": "float64",
        "ci_high": "float64",
        "respondents": "Int64",
        "suppressed": "bool",
        "line": "int64",
    }


def test_it_reports_progress_up_to_the_end():
    fractions = []
    check("good-long-utf8.csv", progress=fractions.append)
    assert len(fractions) >= 3
    assert fractions == sorted(fractions)
    assert fractions[-1] == 1.0


# --- Bad files: one rule each ----------------------------------------------------------------------


def test_it_rejects_a_value_that_is_not_a_number():
    validation = check("bad-value-not-a-number.csv")
    assert validation.frame is None
    assert validation.problems == [
        Problem(
            3,
            "andel",
            "16,3x",
            "Værdien »16,3x« er ikke et tal. Skriv et tal med komma som decimaltegn, fx 16,3. Er tallet ikke "
            "offentliggjort, så skriv - eller lad feltet stå tomt.",
        )
    ]


def test_it_rejects_a_value_above_100_for_a_percentage():
    assert check("bad-percent-above-100.csv").problems == [
        Problem(
            3,
            "andel",
            "123,4",
            "Værdien 123,4 ligger uden for 0-100, men »Dagligrygning« måles i procent. Skriv andelen i procent, "
            "fx 16,3.",
        )
    ]


def test_it_accepts_a_value_above_100_for_an_indicator_that_is_not_a_percentage():
    validation = check_text("indikator;område;år;andel\nbehov-for-behandling;461;2021;123,4\n")
    assert validation.problems == []
    assert validation.frame["value"].tolist() == [123.4]


def test_it_rejects_a_confidence_interval_that_does_not_contain_the_value():
    assert check("bad-ci-order.csv").problems == [
        Problem(
            2,
            "nedre",
            "17,1",
            "Den nedre grænse (17,1) er større end værdien (16,3). Tjek, at tallene står i de rigtige kolonner: "
            "nedre ≤ andel ≤ øvre.",
        ),
        Problem(
            3,
            "øvre",
            "15,9",
            "Værdien (16,3) er større end den øvre grænse (15,9). Tjek, at tallene står i de rigtige kolonner: "
            "nedre ≤ andel ≤ øvre.",
        ),
    ]


def test_it_rejects_a_confidence_interval_with_only_one_bound():
    assert check("bad-ci-one-bound.csv").problems == [
        Problem(
            2,
            "øvre",
            "",
            "Kun den nedre grænse (15,1) er udfyldt. Udfyld også den øvre grænse, eller lad begge grænser stå "
            "tomme.",
        ),
        Problem(
            3,
            "nedre",
            "",
            "Kun den øvre grænse (17,6) er udfyldt. Udfyld også den nedre grænse, eller lad begge grænser stå "
            "tomme.",
        ),
    ]


def test_it_rejects_a_fractional_respondent_count():
    assert check("bad-respondents-fractional.csv").problems == [
        Problem(
            3,
            "antal svarpersoner",
            "48,5",
            "Antallet af svarpersoner skal være et helt tal, men »48,5« har decimaler. Skriv fx 4812 eller 4.812.",
        )
    ]


def test_it_rejects_a_negative_respondent_count():
    assert check("bad-respondents-negative.csv").problems == [
        Problem(
            3,
            "antal svarpersoner",
            "-48",
            "Antallet af svarpersoner kan ikke være negativt (-48). Skriv antallet som et helt tal, fx 4812.",
        )
    ]


def test_it_rejects_two_rows_for_the_same_breakdown_however_they_are_spelled():
    # Line 4 says "Dagligrygning", "Odense" and "I alt" where line 2 says "dagligrygning", "461" and "Alle".
    assert check("bad-duplicate-rows.csv").problems == [
        Problem(
            4,
            None,
            None,
            "Linje 2 og linje 4 har samme indikator, område, år, køn, alder og uddannelse. Slet den ene, eller "
            "ret den, der er forkert.",
        )
    ]


def test_it_rejects_an_unknown_indicator_and_suggests_the_closest():
    assert check("bad-unknown-indicator.csv").problems == [
        Problem(
            3,
            "indikator",
            "Dagligrygnig",
            "Indikatoren »Dagligrygnig« kendes ikke. Mente du »Dagligrygning«? Skriv indikatorens kode eller navn, "
            "som det står i indikatorkataloget.",
        )
    ]


def test_it_rejects_an_unknown_area_and_suggests_the_closest():
    how = (
        "Skriv en kommune- eller regionskode (fx 461 eller 1083), et kommune-, region- eller klyngenavn "
        "(fx Odense, Region Syddanmark, Sundhedsklynge Fyn) eller Hele landet."
    )
    assert check("bad-unknown-area.csv").problems == [
        Problem(2, "område", "Odnse", f"Området »Odnse« kendes ikke. Mente du »Odense«? {how}"),
        Problem(3, "område", "9999", f"Området »9999« kendes ikke. {how}"),
    ]


def test_it_rejects_a_year_that_is_not_a_year():
    assert check("bad-year.csv").problems == [
        Problem(
            3, "år", "20x1", "»20x1« er ikke et år. Skriv et årstal som 2021 eller en periode som 2019-2021."
        ),
    ]


def test_it_rejects_a_year_before_1990_or_after_next_year():
    assert check("bad-year-out-of-range.csv").problems == [
        Problem(2, "år", "1989", f"Året 1989 ligger uden for 1990-{NEXT_YEAR}. Ret årstallet."),
        Problem(3, "år", "2099", f"Året 2099 ligger uden for 1990-{NEXT_YEAR}. Ret årstallet."),
    ]


def test_it_rejects_a_period_that_ends_before_it_begins():
    validation = check_text("indikator;område;år;andel\ndagligrygning;461;2021-2019;16,3\n")
    assert validation.problems == [
        Problem(
            2,
            "år",
            "2021-2019",
            "Perioden »2021-2019« slutter, før den begynder. Skriv den som fx 2019-2021.",
        ),
    ]


def test_it_names_a_missing_column_and_lists_the_columns_found():
    validation = check("bad-missing-column.csv")
    assert validation.frame is None
    assert validation.problems == [
        Problem(
            1,
            "andel",
            None,
            "Kolonnen »andel« mangler. Filen har kolonnerne »indikator«, »område«, »år«, »nedre«, »øvre«. Tilføj "
            "kolonnen, eller giv den kolonne, der har disse data, en af overskrifterne »andel«, »value«, "
            "»værdi«, »procent« eller »pct«.",
        )
    ]


def test_it_rejects_an_unknown_sex():
    assert check("bad-sex.csv").problems == [
        Problem(
            2, "køn", "Begge", "Kønnet »Begge« kendes ikke. Skriv Alle, Mænd eller Kvinder (eller M eller K)."
        ),
    ]


def test_it_rejects_an_age_group_it_cannot_read():
    assert check("bad-age.csv").problems == [
        Problem(
            2,
            "alder",
            "unge",
            "Aldersgruppen »unge« kan ikke læses. Skriv den som fx 16-24 eller 75+, eller Alle for alle aldre.",
        ),
    ]


def test_it_rejects_two_columns_that_mean_the_same():
    validation = check_text("indikator;område;år;andel;værdi\ndagligrygning;461;2021;16,3;16,3\n")
    assert validation.problems == [
        Problem(
            1, "værdi", None, "Kolonnerne »andel« og »værdi« betyder begge »andel«. Slet eller omdøb den ene."
        ),
    ]


def test_it_rejects_a_wide_year_column_outside_the_years_allowed():
    validation = check_text("indikator;område;1985;2021\ndagligrygning;461;16,3;17,0\n")
    assert validation.problems == [
        Problem(
            1,
            "1985",
            "1985",
            f"Kolonneoverskriften »1985« er ikke et år mellem 1990 og {NEXT_YEAR}. Ret årstallet.",
        ),
    ]


def test_wide_duplicates_name_each_pair_of_lines_once():
    validation = check_text(
        "indikator;område;2017;2021\ndagligrygning;461;16,3;17,0\ndagligrygning;Odense;1;2\n"
    )
    assert [(problem.line, problem.message[:22]) for problem in validation.problems] == [
        (3, "Linje 2 og linje 3 har"),
    ]


def test_two_columns_for_the_same_year_are_one_header_problem_not_a_line_clashing_with_itself():
    validation = check_text("indikator;område;2019-2021;2021\ndagligrygning;461;16,3;17,0\n")
    assert validation.problems == [
        Problem(1, "2021", "2021", "Kolonnerne »2019-2021« og »2021« giver begge året 2021. Slet den ene."),
    ]


# --- All problems, in order, up to a cap -----------------------------------------------------------


def test_it_reports_every_problem_in_reading_order():
    validation = check_text(
        "indikator;område;år;andel;nedre;øvre\n"
        "dagligrygning;461;2021;16,3;15,1;17,6\n"
        "ukendt;461;2021;abc;;\n"
        "dagligrygning;Narnia;2021;16,3;18,0;15,0\n"
    )
    assert [(problem.line, problem.column) for problem in validation.problems] == [
        (3, "indikator"),
        (3, "andel"),
        (4, "område"),
        (4, "nedre"),
        (4, "øvre"),
    ]


def test_it_caps_each_kind_of_problem_and_says_how_many_more_lines_have_it():
    rows = "".join(f"dagligrygning;461;2021;{i}-{i + 1};x{i}\n" for i in range(PER_KIND + 50))
    validation = check_text("indikator;område;år;alder;andel\n" + rows)
    assert len(validation.problems) == PER_KIND + 1
    assert [problem.line for problem in validation.problems[:PER_KIND]] == list(range(2, PER_KIND + 2))
    assert {problem.kind for problem in validation.problems} == {"value_not_a_number"}
    assert validation.problems[-1] == Problem(
        None, None, None, "... og 50 linjer mere med samme slags problem."
    )
    assert validation.problems[-1].more == 50


# --- Warnings --------------------------------------------------------------------------------------


def test_it_warns_about_fewer_than_20_respondents_but_accepts_the_file():
    validation = check("warn-few-respondents.csv")
    assert validation.problems == []
    assert len(validation.frame) == 2
    assert validation.warnings == [
        Problem(
            3,
            "antal svarpersoner",
            "12",
            "Værdien bygger kun på 12 svarpersoner. Tal med under 20 svarpersoner er usikre; overvej at markere "
            "værdien som ikke offentliggjort (skriv -).",
        )
    ]


def test_it_warns_about_a_column_it_does_not_know_and_ignores_it():
    validation = check("warn-unknown-column.csv")
    assert validation.problems == []
    assert validation.warnings == [
        Problem(1, "kommentar", None, "Kolonnen »kommentar« kendes ikke og er ikke indlæst."),
    ]


# --- What names and codes mean ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("461", "461"),
        ("0461", "461"),
        ("Odense", "461"),
        ("ODENSE KOMMUNE", "461"),
        ("Aeroe", "492"),
        ("Faaborg-Midtfyn", "430"),
        ("Fåborg Midtfyn", "430"),
        ("1083", "1083"),
        ("083", "1083"),
        ("Region Syddanmark", "1083"),
        ("Syddanmark", "1083"),
        ("Sundhedsklynge Fyn", "fyn"),
        ("Fyn", "fyn"),
        ("Sundhedsklynge Sønderjylland", "soenderjylland"),
        ("Soenderjylland", "soenderjylland"),
        ("000", "000"),
        ("Hele landet", "000"),
        ("Danmark", "000"),
        # Genitive official names called by their stem, and Bornholm's own title.
        ("Nordfyn", "480"),
        ("Nordfyns Kommune", "480"),
        ("Vesthimmerland", "820"),
        ("Bornholms Regionskommune", "400"),
    ],
)
def test_it_knows_an_area_by_any_of_its_names(text, code):
    lookup = Lookup.from_db()
    assert lookup.areas[names.key(text)] == Area.objects.get(code=code).pk


@pytest.mark.parametrize(
    "text",
    ["svaer-overvaegt", "Svær overvægt", "SVAER OVERVAEGT", "Svært overvægtige", "Svær overvægt (BMI ≥ 30)"],
)
def test_it_knows_an_indicator_by_code_name_or_alias(text):
    lookup = Lookup.from_db()
    assert lookup.indicators[names.key(text)] == Indicator.objects.get(code="svaer-overvaegt").pk


def test_the_lookup_is_read_in_two_queries(django_assert_num_queries):
    with django_assert_num_queries(2):
        lookup = Lookup.from_db()
    assert Indicator.objects.get(code="dagligrygning").pk in lookup.percent_indicators
    assert Indicator.objects.get(code="forskel-middellevetid-psykisk").pk not in lookup.percent_indicators


def test_a_nickname_two_areas_share_means_neither():
    lookup = Lookup.build(
        indicators=[],
        areas=[(1, "1090", "region", "Region Nord"), (2, "klynge-nord", "cluster", "Sundhedsklynge Nord")],
    )
    assert names.key("Nord") not in lookup.areas
    assert lookup.areas[names.key("Region Nord")] == 1
    assert lookup.areas[names.key("Sundhedsklynge Nord")] == 2


def test_a_code_wins_over_another_areas_nickname():
    lookup = Lookup.build(
        indicators=[],
        areas=[(1, "1090", "region", "Region Nord"), (2, "nord", "cluster", "Sundhedsklynge Nord")],
    )
    assert lookup.areas[names.key("Nord")] == 2


# --- Reading one cell ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("16,3", 16.3),
        ("16.3", 16.3),
        (" 16,3 % ", 16.3),
        ("1.234,5", 1234.5),
        ("1,234.5", 1234.5),
        ("1.234.567", 1234567.0),
        ("-2,5", -2.5),
        ("0", 0.0),
    ],
)
def test_it_reads_danish_and_english_decimal_numbers(text, number):
    assert names.parse_number(text) == number


@pytest.mark.parametrize("text", ["", "-", "..", "*", "NA"])
def test_every_not_published_mark_is_read_as_suppressed(text):
    assert names.parse_number(text) is names.SUPPRESSED


@pytest.mark.parametrize("text", ["16,3x", "abc", "1e5", "16,3,4", "nan", "inf"])
def test_it_reads_nothing_else_as_a_number(text):
    assert names.parse_number(text) is None


@pytest.mark.parametrize(
    ("text", "count"), [("4.812", 4812.0), ("4 812", 4812.0), ("4812", 4812.0), ("48,5", 48.5)]
)
def test_a_count_reads_a_dot_as_a_thousands_separator(text, count):
    assert names.parse_count(text) == count


@pytest.mark.parametrize(
    ("text", "age"),
    [
        ("16+", "alle"),
        ("I alt", "alle"),
        ("", "alle"),
        ("16-24", "16-24"),
        ("16 – 24 år", "16-24"),
        ("75+", "75+"),
        ("75 år og derover", "75+"),
        ("0-29", "0-29"),
        ("24-16", None),
        ("unge", None),
    ],
)
def test_it_reads_age_groups(text, age):
    assert names.parse_age(text) == age


@pytest.mark.parametrize(
    ("text", "sex"),
    [
        ("Alle", "alle"),
        ("I alt", "alle"),
        ("Total", "alle"),
        ("Mænd", "maend"),
        ("Maend", "maend"),
        ("M", "maend"),
        ("Kvinder", "kvinder"),
        ("k", "kvinder"),
        ("Begge", None),
    ],
)
def test_it_reads_sexes(text, sex):
    assert names.parse_sex(text) == sex


def test_the_suppressed_flag_and_missing_values_are_typed_for_loading():
    frame = check("good-suppressed.csv").frame
    assert frame["suppressed"].dtype == np.bool_
    assert frame["respondents"].isna().all()


def test_a_dot_groups_thousands_in_a_file_whose_decimals_are_commas():
    # Danish: "4.812" is four thousand. The per-1000 indicator has no 0-100 limit.
    danish = check_text(
        "indikator;område;år;andel\nbehov-for-behandling;461;2021;4.812\nbehov-for-behandling;479;2021;16,3\n"
    )
    assert danish.frame["value"].tolist() == [4812.0, 16.3]
    # The same cell in a file whose decimals are points is four point eight.
    english = check_text(
        "indikator,område,år,andel\nbehov-for-behandling,461,2021,4.812\nbehov-for-behandling,479,2021,16.3\n"
    )
    assert english.frame["value"].tolist() == [4.812, 16.3]


@pytest.mark.parametrize(
    ("texts", "evidence"),
    [
        (["16,3", "4.812"], (True, False)),
        (["1.234,5"], (True, False)),
        (["16.3", "4.812"], (False, True)),
        (["16,3", "16.3"], (True, True)),
        (["4.812", "1,234"], (False, False)),
        (["12", "-"], (False, False)),
    ],
)
def test_it_tells_a_files_decimal_mark_only_from_unambiguous_numbers(texts, evidence):
    # (surely a decimal comma somewhere, surely a decimal point somewhere): "4.812" and "1,234" are neither.
    assert names.decimal_evidence(texts) == evidence


def test_it_rejects_a_number_too_large_to_be_real():
    # 40 ones: more digits than Excel keeps; 400 would be infinite as a float.
    assert check("bad-value-too-large.csv").problems == [
        Problem(
            3,
            "andel",
            "1" * 40,
            f"Værdien »{'1' * 40}« er for stor: tal med mere end 15 cifre før kommaet kan ikke indlæses. "
            "Kontrollér tallet og enheden.",
        )
    ]


def test_it_rejects_a_respondent_count_beyond_what_can_be_stored():
    assert check("bad-respondents-too-large.csv").problems == [
        Problem(
            3,
            "antal svarpersoner",
            "3.000.000.000",
            "Antallet af svarpersoner »3.000.000.000« er for stort til at være rigtigt. Kontrollér tallet, og "
            "skriv det som et helt tal, fx 4812.",
        )
    ]


def test_it_says_when_a_dot_was_read_as_a_thousands_separator():
    # The file's other decimals have commas, so "16.325" is sixteen thousand: say so, not just "outside".
    hint = (
        " Filen skriver decimaler med komma, så punktummet i »16.325« er læst som tusindtalsskilletegn "
        "(16325). Er det et decimaltal, så skriv 16,325."
    )
    assert check("bad-dot-read-as-thousands.csv").problems == [
        Problem(
            3,
            "andel",
            "16.325",
            "Værdien 16.325 ligger uden for 0-100, men »Dagligrygning« måles i procent. Skriv andelen i "
            "procent, fx 16,3." + hint,
        ),
        Problem(
            3,
            "øvre",
            "17,6",
            "Værdien (16.325) er større end den øvre grænse (17,6). Tjek, at tallene står i de rigtige "
            "kolonner: nedre ≤ andel ≤ øvre." + hint,
        ),
    ]


def test_it_warns_when_a_dot_could_be_either_a_decimal_point_or_a_thousands_separator():
    validation = check("warn-dot-read-as-decimal.csv")
    assert [row["value"] for row in values(validation)] == [245.0, 1.045]
    assert validation.warnings == [
        Problem(
            3,
            "andel",
            "1.045",
            "»1.045« er læst som 1,045 med punktum som decimaltegn, fordi ingen andre tal i filen har "
            "decimaler. Mente du 1045, så skriv tallet uden punktum.",
        )
    ]


def test_a_runaway_cell_is_quoted_shortened():
    text = (
        "indikator;område;år;køn;alder;uddannelse;andel\ndagligrygning;Odense;2021;Alle;16+;Alle;"
        + "x" * 5000
    )
    (problem,) = check_text(text + "\n").problems
    assert problem.value == "x" * 80 + "…"
    assert len(problem.message) < 400


def test_title_rows_above_the_header_get_one_problem_that_says_where_the_header_is():
    assert check("bad-title-rows-above-header.csv").problems == [
        Problem(
            1,
            None,
            None,
            "Overskriften skal stå i linje 1, men linje 5 ligner overskriften (»indikator«, »område«, »år«, "
            "»køn« …). Slet linjerne over den (titel, kilde, tomme linjer), og upload filen igen.",
        )
    ]


def test_a_header_repeated_lower_down_is_not_taken_for_the_real_one():
    # Line 1 is the header, only without »år«; a copy of it further down is no reason to move it.
    text = "indikator;område;andel\ndagligrygning;461;16,3\nindikator;område;andel\n"
    messages = [problem.message for problem in check_text(text).problems]
    assert messages and messages[0].startswith("Kolonnen »år« mangler.")
    assert not any("ligner overskriften" in message for message in messages)
