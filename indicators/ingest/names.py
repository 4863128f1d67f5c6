"""How the importer reads the words and numbers analysts write: headers, names and codes (`Lookup`),
years, breakdowns and Danish numbers.

Every parser here takes one cell text and is called once per *distinct* value of a column (`validate`
factorises the column first), so they may be plain Python without costing time per row.
"""

import difflib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from clusters.models import Area

from .. import fileformat
from ..models import ALL, Indicator, Observation

# æ/ø/å may be written ae/oe/aa (and Swedish/German ä/ö turn up in hand-typed files); every dash is "-".
_FOLD = str.maketrans(
    {
        "æ": "ae",
        "ø": "oe",
        "å": "aa",
        "ä": "ae",
        "ö": "oe",
        "–": "-",
        "—": "-",
        "‐": "-",
        "‑": "-",
        "−": "-",
    }
)
_PUNCTUATION = re.compile(r"[^\w+]|_")


def fold(text: str) -> str:
    """Lowercase, trimmed, single-spaced, with æøå as ae/oe/aa and every dash as "-"."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().translate(_FOLD).split())


def key(text: str) -> str:
    """The form names and codes are compared in: `fold` without punctuation ("Lyngby-Taarbæk" ->
    "lyngby taarbaek"), so that hyphens, commas and underscores never decide a match."""
    return " ".join(_PUNCTUATION.sub(" ", fold(text)).split())


def danish_int(number: int) -> str:
    """1234567 -> "1.234.567"."""
    return f"{number:,}".replace(",", ".")


# --- Columns ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Field:
    """One column the importer understands: its canonical Danish header and the other names it accepts."""

    name: str  # internal name
    label: str  # the canonical Danish header, used in messages
    required: bool
    aliases: tuple[str, ...]


_LABEL = fileformat.LABELS
FIELDS = (
    Field("indicator", _LABEL["indicator"], True, ("indicator",)),
    Field("area", _LABEL["area"], True, ("area", "områdekode")),
    Field("year", _LABEL["year"], True, ("year", "periode")),
    Field("sex", _LABEL["sex"], False, ("sex", "gender")),
    Field("age", _LABEL["age"], False, ("age", "aldersgruppe", "age group")),
    Field("education", _LABEL["education"], False, ("education",)),
    Field("value", _LABEL["value"], True, ("value", "værdi", "procent", "pct")),
    Field(
        "ci_low",
        _LABEL["ci_low"],
        False,
        (
            "ci_low",
            "nedre grænse",
            "sikkerhedsgrænse nedre",
            "nedre sikkerhedsgrænse",
            "nedre konfidensgrænse",
        ),
    ),
    Field(
        "ci_high",
        _LABEL["ci_high"],
        False,
        ("ci_high", "øvre grænse", "sikkerhedsgrænse øvre", "øvre sikkerhedsgrænse", "øvre konfidensgrænse"),
    ),
    Field("respondents", _LABEL["respondents"], False, ("n", "antal", "respondents", "svarpersoner")),
    # The columns downloads add to describe a value (fileformat.DESCRIPTIVE): known, so that a download
    # uploads again without a warning, and never read.
    *(Field(name, label, False, ()) for name, label in fileformat.DESCRIPTIVE.items()),
)
FIELDS_BY_NAME = {field.name: field for field in FIELDS}
_HEADER_KEYS = {key(name): field.name for field in FIELDS for name in (field.label, *field.aliases)}
_PARENTHESIS = re.compile(r"\([^)]*\)")


def match_column(header: str) -> str | None:
    """The field a header means ("Øvre grænse" -> "ci_high"), or None. A unit in brackets is ignored
    ("andel (%)")."""
    return _HEADER_KEYS.get(key(header)) or _HEADER_KEYS.get(key(_PARENTHESIS.sub(" ", header)))


_PERIOD = re.compile(r"(\d{4})(?:\s*-\s*(\d{4}))?")


def parse_period(text: str) -> tuple[int, int, str] | None:
    """ "2021" -> (2021, 2021, ""); "2019-2021" -> (2019, 2021, "2019-2021"); anything else -> None."""
    match = _PERIOD.fullmatch(fold(text))
    if not match:
        return None
    start, end = match.groups()
    if end is None:
        return int(start), int(start), ""
    return int(start), int(end), f"{start}-{end}"


def year_header(header: str) -> tuple[int, int, str] | None:
    """A wide layout's year column ("2021", also a period "2019-2021"), else None."""
    return parse_period(header)


# --- Breakdowns ------------------------------------------------------------------------------------

_SEXES = {
    **dict.fromkeys(("", "alle", "i alt", "ialt", "total", "begge koen", "all", "both"), ALL),
    **dict.fromkeys(("maend", "mand", "m", "men", "male", "males"), Observation.Sex.MEN.value),
    **dict.fromkeys(("kvinder", "kvinde", "k", "women", "female", "females"), Observation.Sex.WOMEN.value),
}


def parse_sex(text: str) -> str | None:
    return _SEXES.get(key(text))


_ALL_AGES = {"", "alle", "ialt", "total", "allealdre", "16+"}
_AGE_RANGE = re.compile(r"(\d{1,3})-(\d{1,3})")
_AGE_FROM = re.compile(r"(\d{1,3})(?:\+|ogderover|ogover|ellerderover)")
_YEARS_WORD = re.compile(r"\baar\b")


def parse_age(text: str) -> str | None:
    """ "16-24", "16 – 24 år" -> "16-24"; "75+", "75 år og derover" -> "75+"; "16+", "I alt", "" -> all."""
    compact = _YEARS_WORD.sub("", fold(text)).replace(" ", "")
    if compact in _ALL_AGES:
        return ALL
    if match := _AGE_RANGE.fullmatch(compact):
        low, high = int(match[1]), int(match[2])
        return f"{low}-{high}" if low <= high else None
    if match := _AGE_FROM.fullmatch(compact):
        return f"{int(match[1])}+"
    return None


_ALL_EDUCATION = {"", "alle", "i alt", "ialt", "total"}
EDUCATION_MAX_LENGTH = Observation._meta.get_field("education").max_length


def parse_education(text: str) -> str | None:
    """Free labels are kept as written (trimmed, single-spaced); "I alt", "Alle" and "" mean all."""
    label = " ".join(text.split())
    if key(label) in _ALL_EDUCATION:
        return ALL
    return label if len(label) <= EDUCATION_MAX_LENGTH else None


# --- Numbers ---------------------------------------------------------------------------------------

# "Not published": stored as suppressed, never as zero. Compared after trimming, case-insensitively.
SUPPRESSED_MARKS = frozenset({"", "-", "–", "..", "*", "na"})
SUPPRESSED = object()  # what the number parsers return for such a cell

_NUMBER_NOISE = str.maketrans({"%": None, " ": None, "\u00a0": None, "\u202f": None, "−": "-", "–": "-"})
_PLAIN = re.compile(r"[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)")
_DOT_THOUSANDS = re.compile(r"([+-]?\d{1,3}(?:\.\d{3})+)(?:,(\d+))?")
_COMMA_THOUSANDS = re.compile(r"([+-]?\d{1,3}(?:,\d{3})+)(?:\.(\d+))?")


def parse_number(text: str, *, dot_groups_thousands: bool = False):
    """A decimal number as Danes and Excel write it; SUPPRESSED for a "not published" mark; None if
    it is not a number.

    "16,3" and "16.3" -> 16.3; "1.234,5" and "1,234.5" -> 1234.5; "1.234.567" -> 1234567; "16,3 %" -> 16.3.
    A single dot before three digits ("4.812") is a decimal point unless `dot_groups_thousands` (the
    file writes its decimals with a comma, see `decimal_evidence`), when it is 4812.
    """
    if text.strip().casefold() in SUPPRESSED_MARKS:
        return SUPPRESSED
    compact = text.translate(_NUMBER_NOISE)
    if dot_groups_thousands and _DOT_GROUPS.fullmatch(compact):
        return float(compact.replace(".", ""))
    if _PLAIN.fullmatch(compact):
        return float(compact.replace(",", "."))
    if match := _DOT_THOUSANDS.fullmatch(compact):
        return float(f"{match[1].replace('.', '')}.{match[2] or 0}")
    if match := _COMMA_THOUSANDS.fullmatch(compact):
        return float(f"{match[1].replace(',', '')}.{match[2] or 0}")
    return None


_DOT_GROUPS = re.compile(r"[+-]?\d{1,3}(?:\.\d{3})+")
_SURELY_COMMA = re.compile(r"[+-]?\d*(?:\.\d{3})*,(?:\d{1,2}|\d{4,})|[+-]?\d{1,3}(?:\.\d{3})+,\d+")
_SURELY_DOT = re.compile(r"[+-]?\d*(?:,\d{3})*\.(?:\d{1,2}|\d{4,})|[+-]?\d{1,3}(?:,\d{3})+\.\d+")


def decimal_evidence(texts) -> tuple[bool, bool]:
    """(some text surely has a decimal comma, some text surely has a decimal point), from a file's numbers
    (the distinct texts of its value columns). Only unambiguous texts count ("16,3", "1.234,5"; not "4.812"
    or "1,234"). With commas and no points, "4.812" is four thousand, as in a Danish export."""
    comma = dot = False
    for text in texts:
        compact = text.translate(_NUMBER_NOISE)
        comma = comma or bool(_SURELY_COMMA.fullmatch(compact))
        dot = dot or bool(_SURELY_DOT.fullmatch(compact))
        if comma and dot:
            break
    return comma, dot


def dot_or_thousands(text: str) -> bool:
    """Whether the text reads as well with a decimal point as with a thousands dot: one dot before three
    digits after a non-zero lead ("1.045", "16.325"; not "0.123", which is a decimal, nor "1.234.567",
    which is not)."""
    return bool(_ONE_DOT_GROUP.fullmatch(compact_number(text)))


def compact_number(text: str) -> str:
    """The text of a number without what `parse_number` ignores (spaces, %, a typographic minus)."""
    return text.translate(_NUMBER_NOISE)


_ONE_DOT_GROUP = re.compile(r"[+-]?[1-9]\d{0,2}\.\d{3}")


_WHOLE_THOUSANDS = re.compile(r"[+-]?\d{1,3}(?:(?:\.\d{3})+|(?:,\d{3})+)")


def parse_count(text: str):
    """A whole number such as a respondent count: "4.812", "4 812" and "4812" -> 4812.0.

    Returns a float so that "48,5" can be reported as fractional rather than as not a number.
    """
    compact = text.translate(_NUMBER_NOISE)
    if _WHOLE_THOUSANDS.fullmatch(compact):
        return float(compact.replace(".", "").replace(",", ""))
    return parse_number(text)


# --- What names and codes mean ---------------------------------------------------------------------


@dataclass(frozen=True)
class Lookup:
    """What names and codes mean, built once per validation. Keys are `key(text)`."""

    indicators: dict[str, int]  # code / Danish name / alias -> Indicator.pk
    percent_indicators: set[int]  # Indicator.pk whose values must lie in 0..100
    areas: dict[str, int]  # code or name -> Area.pk (see docs/data-format.md, "Areas")
    indicator_names: list[str]  # for "did you mean" suggestions
    area_names: list[str]

    @classmethod
    def from_db(cls) -> "Lookup":
        return cls.build(
            indicators=Indicator.objects.values_list("pk", "code", "name", "aliases", "unit"),
            areas=Area.objects.values_list("pk", "code", "kind", "name"),
        )

    @classmethod
    def build(
        cls,
        *,
        indicators: Iterable[tuple[int, str, str, list[str], str]],
        areas: Iterable[tuple[int, str, str, str]],
    ) -> "Lookup":
        """From (pk, code, name, aliases, unit) and (pk, code, kind, name) rows, without the database."""
        indicator_keys = _Keys()
        percent = set()
        indicator_names = []
        for pk, code, name, aliases, unit in indicators:
            indicator_keys.add(pk, code, name, weak=aliases or ())
            indicator_names.append(name)
            if unit == Indicator.Unit.PERCENT:
                percent.add(pk)
        area_keys = _Keys()
        area_names = []
        for pk, code, kind, name in areas:
            area_keys.add(pk, *_area_codes(code, kind), name, weak=_area_nicknames(code, name, kind))
            area_names.append(name)
        return cls(
            indicators=indicator_keys.result(),
            percent_indicators=percent,
            areas=area_keys.result(),
            indicator_names=indicator_names,
            area_names=area_names,
        )


class _Keys:
    """Normalised names -> pk. A name two rows claim is dropped as ambiguous, and a weak name (an alias,
    a nickname such as "Fyn") never overrides a strong one (a code, an official name)."""

    def __init__(self):
        self.strong: dict[str, int] = {}
        self.weak: dict[str, int] = {}
        self.ambiguous_strong: set[str] = set()
        self.ambiguous_weak: set[str] = set()

    def add(self, pk: int, *strong: str, weak: Iterable[str] = ()):
        for text in strong:
            name = key(text)
            if self.strong.setdefault(name, pk) != pk:
                self.ambiguous_strong.add(name)
        for text in weak:
            name = key(text)
            if self.weak.setdefault(name, pk) != pk:
                self.ambiguous_weak.add(name)

    def result(self) -> dict[str, int]:
        weak = {name: pk for name, pk in self.weak.items() if name not in self.ambiguous_weak}
        merged = {**weak, **self.strong}
        return {name: pk for name, pk in merged.items() if name not in self.ambiguous_strong}


def _area_codes(code: str, kind: str) -> list[str]:
    """Codes as analysts write them: 461 or 0461; 1083 or 083; 000."""
    if kind == Area.Kind.MUNICIPALITY:
        return [code, code.zfill(4)]
    if kind == Area.Kind.REGION and code.startswith("10"):
        return [code, code[1:]]
    return [code]


def _area_nicknames(code: str, name: str, kind: str) -> list[str]:
    """Names in everyday use, and codes as Excel shows them once it has taken them for numbers."""
    if kind == Area.Kind.COUNTRY:
        return ["Hele landet", "Danmark", "Hele Danmark", "Denmark", "0"]
    if kind == Area.Kind.REGION:
        return [name.removeprefix("Region "), *([code[2:]] if code.startswith("10") else [])]  # 83
    if kind == Area.Kind.CLUSTER:
        return [name.removeprefix("Sundhedsklynge ")]  # "Fyn"
    if kind == Area.Kind.MUNICIPALITY:
        official = [f"{name} Kommune"] + ([] if name.endswith("s") else [f"{name}s Kommune"])
        return official + EVERYDAY_MUNICIPALITY_NAMES.get(code, [])
    return []


# Municipalities whose official name is a genitive ("Nordfyns Kommune") but which are called by the stem
# in tables and speech, and Bornholm's own title.
EVERYDAY_MUNICIPALITY_NAMES = {
    "400": ["Bornholms Regionskommune", "Bornholm Regionskommune"],
    "480": ["Nordfyn", "Nordfyn Kommune"],
    "820": ["Vesthimmerland", "Vesthimmerland Kommune"],
}


class Suggestions:
    """ "Did you mean": the known name closest to an unknown text. `mapping`: key(name) -> what it names;
    `display_names`: how to write each of those; `cutoff`: how close (difflib's ratio) a match must be."""

    def __init__(self, mapping: dict[str, int | str], display_names: list[str], *, cutoff: float = 0.6):
        self.mapping = mapping
        self.names = {mapping[key(name)]: name for name in display_names if key(name) in mapping}
        self.cutoff = cutoff
        self._candidates = [name for name in mapping if not name.replace(" ", "").isdigit()]
        self._cache: dict[str, str | None] = {}

    def __call__(self, text: str) -> str | None:
        wanted = key(text)
        if not wanted or wanted.replace(" ", "").isdigit():
            return None  # an unknown code is not "close" to another code
        if wanted not in self._cache:
            match = difflib.get_close_matches(wanted, self._candidates, n=1, cutoff=self.cutoff)
            self._cache[wanted] = self.names.get(self.mapping[match[0]]) if match else None
        return self._cache[wanted]


# The column an unknown header is probably a misspelling of ("aldr" -> "alder"), or None. A misspelt
# optional column is otherwise read as absent, and the analyst sees only what follows from that (every age
# group read as "Alle", so hundreds of duplicates). Closer than for indicators and areas: column names are
# short, and at 0.6 "kilde" would be taken for "alder" and "kommentar" for "køn", at 0.75 "kode" for "køn".
similar_column = Suggestions(_HEADER_KEYS, [field.label for field in FIELDS], cutoff=0.8)
