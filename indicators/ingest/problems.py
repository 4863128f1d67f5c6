"""What the importer tells the analyst: `Problem`, the capped list they are collected in, and every
message, in Danish, each saying what is wrong and how to fix it.

The messages live together so they read alike and can be reviewed (and translated) in one place;
read.py and validate.py only decide *when* to say them.
"""

import dataclasses
from collections.abc import Callable
from dataclasses import asdict, dataclass
from decimal import Decimal

import numpy as np
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from .names import compact_number, danish_int

# Of each kind of problem (and of warning), report the first this many lines; then one entry saying how
# many more there are of that kind. Every line of the file is checked, so the counts are complete.
PER_KIND = 20
# The most kinds a report shows (there are fewer kinds than this).
MAX_KINDS = 50
MAX_PROBLEMS = PER_KIND  # the contract's name: report at most this many of one kind


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an uploaded file (or, as a warning, worth a second look).

    `line` is the row number the analyst sees in Excel (header = line 1), None for the file as a whole;
    `column` is the header as written in the file; `value` the offending cell as written; `kind` groups
    problems of the same sort in the report (see KINDS); `more`, on the entry that ends a group, is how
    many more lines of that kind there are.
    """

    line: int | None
    column: str | None
    value: str | None
    message: str
    kind: str = dataclasses.field(default="", compare=False)
    more: int = dataclasses.field(default=0, compare=False)

    def as_dict(self) -> dict:
        return asdict(self)


class ProblemList:
    """Collects problems by kind, each kind in the order the analyst reads the file (line, then column),
    keeping the first `per_kind` of each and counting the rest, so that a file with a million bad rows costs
    a million-row count, not a million `Problem` objects. Chunks of a file are added in file order."""

    def __init__(self, *, per_kind: int = PER_KIND, more: Callable[[int], str] | None = None):
        self.per_kind = per_kind
        self.total = 0
        self.counts: dict[str, int] = {}
        self._more = more or more_problems
        self._found: dict[str, list[tuple[int, int, int, Problem]]] = {}
        self._sequence = 0

    def __bool__(self):
        return self.total > 0

    def add(self, problem: Problem, *, position: int = -1, kind: str | None = None):
        """One problem; `position` is its column's place in the file, to sort by after the line."""
        self._count(kind or problem.kind or "other", 1)
        self._keep(problem, problem.line or 0, position, kind)

    def add_rows(
        self,
        mask: np.ndarray,
        lines: np.ndarray,
        make: Callable[[int], Problem],
        *,
        kind: str,
        position=-1,
    ):
        """One problem per row where `mask` is true; `make(i)` builds the problem of row i.

        Rows come in line order, so only the first `per_kind` are built: no more of a kind are shown.
        `position` is a number or an array (wide layout).
        """
        rows = np.flatnonzero(mask)
        if not len(rows):
            return
        self._count(kind, len(rows))
        kept = self._found.get(kind, [])
        if len(kept) >= self.per_kind and kept[self.per_kind - 1][0] <= int(lines[rows[0]]):
            return  # this kind's first lines are all earlier
        for i in rows[: self.per_kind]:
            where = position if np.isscalar(position) else int(position[i])
            self._keep(make(int(i)), int(lines[i]), where, kind)

    def add_many(self, problems: list[Problem], *, total: int, kind: str):
        """The first problems of a kind found all at once (in line order), and how many there are in all."""
        self._count(kind, total)
        for problem in problems[: self.per_kind]:
            self._keep(problem, problem.line or 0, -1, kind)

    def _count(self, kind: str, count: int):
        self.total += count
        self.counts[kind] = self.counts.get(kind, 0) + count

    def _keep(self, problem: Problem, line: int, position: int, kind: str | None):
        kind = kind or problem.kind or "other"
        if problem.kind != kind:
            problem = dataclasses.replace(problem, kind=kind)
        kept = self._found.setdefault(kind, [])
        kept.append((line, position, self._sequence, problem))
        self._sequence += 1
        if len(kept) > 4 * self.per_kind:
            kept.sort(key=lambda item: item[:3])
            del kept[self.per_kind :]

    def as_list(self) -> list[Problem]:
        """The report: kind by kind (the kind met first in the file first), each kind's first lines and,
        when there are more, one entry saying how many."""
        groups = []
        for kind, kept in self._found.items():
            shown = sorted(kept, key=lambda item: item[:3])[: self.per_kind]
            groups.append((shown[0][:3], kind, shown))
        found = []
        for _first, kind, shown in sorted(groups, key=lambda group: group[0])[:MAX_KINDS]:
            found.extend(dataclasses.replace(problem, value=shorten(problem.value)) for *_, problem in shown)
            if (more := self.counts[kind] - len(shown)) > 0:
                found.append(Problem(None, None, None, self._more(more), kind=kind, more=more))
        return found


SHOWN_CHARACTERS = 80


def shorten(text: str | None, limit: int = SHOWN_CHARACTERS) -> str | None:
    """A cell as a problem quotes it: a runaway cell (a whole file in one quoted field, a 400-digit
    number) is cut, so the list stays readable."""
    if text is None or len(text) <= limit:
        return text
    return text[:limit] + "…"


def more_problems(count: int) -> str:
    return ngettext(
        "... og %(count)s linje mere med samme slags problem.",
        "... og %(count)s linjer mere med samme slags problem.",
        count,
    ) % {"count": danish_int(count)}


def more_warnings(count: int) -> str:
    return ngettext(
        "... og %(count)s advarsel mere af samme slags.",
        "... og %(count)s advarsler mere af samme slags.",
        count,
    ) % {"count": danish_int(count)}


# The title of each kind of problem or warning, as the report groups them.
KINDS = {
    "file": gettext_lazy("Filen kan ikke læses"),
    "control": gettext_lazy("Kontroltegn i filen"),
    "header": gettext_lazy("Overskriften"),
    "unclosed_quote": gettext_lazy("Anførselstegn, der ikke lukkes"),
    "too_few_fields": gettext_lazy("Linjer med for få felter"),
    "too_many_fields": gettext_lazy("Linjer med for mange felter"),
    "unknown_indicator": gettext_lazy("Ukendt indikator"),
    "unknown_area": gettext_lazy("Ukendt område"),
    "unknown_sex": gettext_lazy("Ukendt køn"),
    "unreadable_age": gettext_lazy("Aldersgruppe, der ikke kan læses"),
    "education_too_long": gettext_lazy("For lang uddannelse"),
    "year": gettext_lazy("Forkert år eller periode"),
    "value_not_a_number": gettext_lazy("Værdi, der ikke er et tal"),
    "bound_not_a_number": gettext_lazy("Grænse, der ikke er et tal"),
    "number_too_large": gettext_lazy("For store tal"),
    "outside_percent": gettext_lazy("Procent uden for 0-100"),
    "interval_incomplete": gettext_lazy("Kun én grænse udfyldt"),
    "interval_order": gettext_lazy("Grænser og værdi i forkert orden"),
    "respondents": gettext_lazy("Antal svarpersoner"),
    "duplicate": gettext_lazy("Samme måling to gange"),
    "unknown_column": gettext_lazy("Kolonner, der ikke indlæses"),
    "few_respondents": gettext_lazy("Få svarpersoner"),
    "dot_read_as_decimal": gettext_lazy("Punktum læst som decimaltegn"),
}


def kind_title(kind: str | None) -> str:
    return str(KINDS.get(kind or "", gettext_lazy("Andet")))


def problem_groups(items: list[dict]) -> list[dict]:
    """A stored report (Problem.as_dict() entries, as `as_list` orders them) as groups for the page and the
    command: [{"kind", "title", "count", "problems", "more"}], `count` being every line of that kind."""
    groups: list[dict] = []
    for item in items:
        kind = item.get("kind") or "other"
        if not groups or groups[-1]["kind"] != kind:
            groups.append({"kind": kind, "title": kind_title(kind), "count": 0, "problems": [], "more": 0})
        group = groups[-1]
        if item.get("more"):
            group["more"] += item["more"]
            group["count"] += item["more"]
            group["more_message"] = item["message"]
        else:
            group["problems"].append(item)
            group["count"] += 1
    return groups


def problem_total(items: list[dict]) -> int:
    """How many problems a stored report stands for (its entries plus the lines each "more" entry counts)."""
    return sum(item.get("more") or 1 for item in items)


# --- The file as a whole (read.py) -----------------------------------------------------------------


def too_big(size: str, maximum: str) -> str:
    return _("Filen fylder %(size)s, men en fil må højst fylde %(max)s. Del den op i flere mindre filer.") % {
        "size": size,
        "max": maximum,
    }


def empty_file() -> str:
    return _("Filen er tom. Vælg en CSV- eller Excel-fil med en overskriftslinje og data under den.")


def header_only() -> str:
    return _("Filen har kun en overskriftslinje og ingen data. Tilføj en linje pr. værdi under overskriften.")


def old_office_format() -> str:
    return _(
        "Filen er i Excels gamle format (.xls) eller er et andet Office-dokument. Åbn den i Excel, gem den som "
        "Excel-projektmappe (.xlsx) eller CSV, og upload den igen."
    )


def not_a_table(kind: str | None = None) -> str:
    if kind:
        return _(
            "Filen er %(kind)s, ikke en tabel. Upload data som CSV-fil (fx semikolonsepareret) eller "
            "Excel-projektmappe (.xlsx)."
        ) % {"kind": kind}
    return _(
        "Filen er hverken en CSV-fil eller en Excel-projektmappe (.xlsx). Gem data fra Excel som »CSV UTF-8« "
        "eller .xlsx, og upload filen igen."
    )


def header_further_down(line: int, cells: list[str]) -> str:
    shown = ", ".join(f"»{cell}«" for cell in cells[:4]) + (" …" if len(cells) > 4 else "")
    return _(
        "Overskriften skal stå i linje 1, men linje %(line)s ligner overskriften (%(cells)s). Slet linjerne "
        "over den (titel, kilde, tomme linjer), og upload filen igen."
    ) % {"line": line, "cells": shown}


def markup_file() -> str:
    return _(
        "Filen er en webside (HTML) eller et XML-regneark, som kun ligner en Excel-fil. Åbn den i Excel, gem "
        "den som Excel-projektmappe (.xlsx) eller CSV, og upload den igen."
    )


def broken_workbook() -> str:
    return _(
        "Filen kan ikke åbnes som Excel-projektmappe (.xlsx); den er måske beskadiget eller i et andet format. "
        "Gem den fra Excel som .xlsx eller CSV, og upload den igen."
    )


def workbook_without_sheets() -> str:
    return _("Excel-filen har ingen ark med data.")


def mixed_encodings() -> str:
    return _(
        "Filen blander to tegnsæt (UTF-8 og Windows-1252), så æ, ø og å ikke kan læses sikkert. Åbn den i "
        "Excel, og gem den igen som »CSV UTF-8«."
    )


def unclosed_quote(line: int) -> str:
    return _(
        'Et anførselstegn (") fra linje %(line)s lukkes aldrig, så resten af filen læses som én tekst. Fjern '
        'anførselstegnet, eller skriv det som to ("").'
    ) % {"line": line}


def too_few_fields(line: int, found: int, expected: int, separator: str, others: int) -> str:
    message = ngettext(
        "Linje %(line)s har kun %(found)s felt, men overskriften har %(expected)s. Linjen kan være afkortet: "
        "tilføj de manglende felter adskilt med »%(separator)s«. Et tal, der ikke er offentliggjort, skrives "
        "som - eller et tomt felt.",
        "Linje %(line)s har kun %(found)s felter, men overskriften har %(expected)s. Linjen kan være afkortet: "
        "tilføj de manglende felter adskilt med »%(separator)s«. Et tal, der ikke er offentliggjort, skrives "
        "som - eller et tomt felt.",
        found,
    ) % {"line": line, "found": found, "expected": expected, "separator": separator}
    if others:
        message += " " + _("Det samme gælder %(count)s andre linjer.") % {"count": danish_int(others)}
    return message


def too_many_fields(line: int, found: int, expected: int, separator: str, others: int) -> str:
    message = _(
        "Linje %(line)s har %(found)s felter, men overskriften har %(expected)s. Sæt anførselstegn om tekst, "
        "der indeholder separatoren »%(separator)s«, eller brug semikolon som separator, når tal har komma "
        "som decimaltegn."
    ) % {"line": line, "found": found, "expected": expected, "separator": separator}
    if others:
        message += " " + _("Det samme gælder %(count)s andre linjer.") % {"count": danish_int(others)}
    return message


def too_many_fields_at_all(line: int, found: int, maximum: int) -> str:
    return _(
        "Linje %(line)s har %(found)s felter; en linje må højst have %(max)s. Er det den rigtige fil, og er "
        "separatoren rigtig?"
    ) % {"line": line, "found": danish_int(found), "max": danish_int(maximum)}


def too_many_columns(found: int, maximum: int) -> str:
    return _(
        "Overskriften har %(found)s kolonner; en fil må højst have %(max)s. Er det den rigtige fil, og er "
        "separatoren rigtig? Gem data fra Excel som »CSV UTF-8« eller .xlsx, og upload filen igen."
    ) % {"found": danish_int(found), "max": danish_int(maximum)}


def too_many_cells(found: int, maximum: int) -> str:
    return _(
        "Filen har mindst %(found)s celler (linjer gange kolonner); en fil må højst have %(max)s. Del den op "
        "i flere mindre filer."
    ) % {"found": danish_int(found), "max": danish_int(maximum)}


def line_too_long(line: int, maximum: int) -> str:
    return _(
        "Linje %(line)s er længere end %(max)s tegn, som er det meste, en linje må have. Er det den rigtige "
        "fil, og er separatoren rigtig? Gem data fra Excel som »CSV UTF-8« eller .xlsx, og upload filen igen."
    ) % {"line": line, "max": danish_int(maximum)}


def control_character(line: int, name: str) -> str:
    return _(
        "Linje %(line)s indeholder et kontroltegn (%(name)s), som ikke hører til i en tekstfil; filen er måske "
        "beskadiget eller ikke en CSV-fil. Slet tegnet, eller gem data fra Excel som »CSV UTF-8« eller .xlsx, "
        "og upload filen igen."
    ) % {"line": line, "name": name}


def workbook_too_big(size: str, maximum: str) -> str:
    return _(
        "Excel-filen fylder %(size)s udpakket; en projektmappe må højst fylde %(max)s udpakket. Del den op i "
        "flere mindre filer, eller gem data som CSV."
    ) % {"size": size, "max": maximum}


def repeated_header(column: str) -> str:
    return _(
        "Kolonnen »%(column)s« står flere gange i overskriften. Slet eller omdøb de ekstra kolonner."
    ) % {"column": column}


# --- The header (validate.py) ----------------------------------------------------------------------


def missing_column(column: str, found: list[str], accepted: list[str]) -> str:
    if column == "år":
        hint = _("Skriv året i en kolonne »år«, eller brug årstal som kolonneoverskrifter (fx 2017, 2021).")
    else:
        hint = _(
            "Tilføj kolonnen, eller giv den kolonne, der har disse data, en af overskrifterne %(names)s."
        ) % {"names": _either(accepted)}
    shown = ", ".join(f"»{shorten(header, 40)}«" for header in found[:12])
    if len(found) > 12:
        shown += " " + _("og %(count)s flere") % {"count": danish_int(len(found) - 12)}
    return _("Kolonnen »%(column)s« mangler. Filen har kolonnerne %(found)s. %(hint)s") % {
        "column": column,
        "found": shown,
        "hint": hint,
    }


def same_meaning(first: str, second: str, meaning: str) -> str:
    return _(
        "Kolonnerne »%(first)s« og »%(second)s« betyder begge »%(field)s«. Slet eller omdøb den ene."
    ) % {
        "first": first,
        "second": second,
        "field": meaning,
    }


def unknown_column(column: str, suggestion: str | None = None) -> str:
    if suggestion:
        return _("Kolonnen »%(column)s« kendes ikke og er ikke indlæst. Mente du »%(suggestion)s«?") % {
            "column": column,
            "suggestion": suggestion,
        }
    return _("Kolonnen »%(column)s« kendes ikke og er ikke indlæst.") % {"column": column}


def unused_in_wide_layout(column: str) -> str:
    return _(
        "Kolonnen »%(column)s« bruges ikke, når årstallene står som kolonneoverskrifter, og er ikke indlæst."
    ) % {"column": column}


def year_header_outside(header: str, first: int, last: int) -> str:
    return _(
        "Kolonneoverskriften »%(header)s« er ikke et år mellem %(first)s og %(last)s. Ret årstallet."
    ) % {
        "header": header,
        "first": first,
        "last": last,
    }


def same_year_twice(first: str, second: str, year: int) -> str:
    return _("Kolonnerne »%(first)s« og »%(second)s« giver begge året %(year)s. Slet den ene.") % {
        "first": first,
        "second": second,
        "year": year,
    }


# --- One cell (validate.py) ------------------------------------------------------------------------


def unknown_indicator(text: str, suggestion: str | None) -> str:
    if not text:
        return _("Indikatoren mangler. Skriv indikatorens kode eller navn, fx dagligrygning.")
    if suggestion:
        return _(
            "Indikatoren »%(value)s« kendes ikke. Mente du »%(suggestion)s«? Skriv indikatorens kode eller navn, "
            "som det står i indikatorkataloget."
        ) % {"value": text, "suggestion": suggestion}
    return _(
        "Indikatoren »%(value)s« kendes ikke. Skriv indikatorens kode (fx dagligrygning) eller navn, som det "
        "står i indikatorkataloget."
    ) % {"value": text}


def unknown_area(text: str, suggestion: str | None) -> str:
    how = _(
        "Skriv en kommune- eller regionskode (fx 461 eller 1083), et kommune-, region- eller klyngenavn "
        "(fx Odense, Region Syddanmark, Sundhedsklynge Fyn) eller Hele landet."
    )
    if not text:
        return _("Området mangler.") + " " + how
    if suggestion:
        return (
            _("Området »%(value)s« kendes ikke. Mente du »%(suggestion)s«?")
            % {"value": text, "suggestion": suggestion}
            + " "
            + how
        )
    return _("Området »%(value)s« kendes ikke.") % {"value": text} + " " + how


def unknown_sex(text: str) -> str:
    return _("Kønnet »%(value)s« kendes ikke. Skriv Alle, Mænd eller Kvinder (eller M eller K).") % {
        "value": text
    }


def unreadable_age(text: str) -> str:
    return _(
        "Aldersgruppen »%(value)s« kan ikke læses. Skriv den som fx 16-24 eller 75+, eller Alle for alle aldre."
    ) % {"value": text}


def education_too_long(maximum: int) -> str:
    return _("Uddannelsen er længere end %(max)s tegn. Forkort den.") % {"max": maximum}


def not_a_year(text: str) -> str:
    if not text:
        return _("Året mangler. Skriv et årstal som 2021 eller en periode som 2019-2021.")
    return _("»%(value)s« er ikke et år. Skriv et årstal som 2021 eller en periode som 2019-2021.") % {
        "value": text
    }


def year_outside(year: int, first: int, last: int) -> str:
    return _("Året %(year)s ligger uden for %(first)s-%(last)s. Ret årstallet.") % {
        "year": year,
        "first": first,
        "last": last,
    }


def period_backwards(text: str) -> str:
    return _("Perioden »%(value)s« slutter, før den begynder. Skriv den som fx 2019-2021.") % {"value": text}


def value_not_a_number(text: str) -> str:
    return _(
        "Værdien »%(value)s« er ikke et tal. Skriv et tal med komma som decimaltegn, fx 16,3. Er tallet ikke "
        "offentliggjort, så skriv - eller lad feltet stå tomt."
    ) % {"value": text}


def bound_not_a_number(bound: str, text: str) -> str:
    if bound == "ci_low":
        message = _("Den nedre grænse »%(value)s« er ikke et tal.")
    else:
        message = _("Den øvre grænse »%(value)s« er ikke et tal.")
    return (
        message
        + " "
        + _("Skriv et tal med komma som decimaltegn, fx 15,1, eller lad begge grænser stå tomme.")
    ) % {"value": text}


def outside_percent(field: str, text: str, indicator: str) -> str:
    what = {"value": _("Værdien"), "ci_low": _("Den nedre grænse"), "ci_high": _("Den øvre grænse")}[field]
    return _(
        "%(what)s %(value)s ligger uden for 0-100, men »%(indicator)s« måles i procent. Skriv andelen i "
        "procent, fx 16,3."
    ) % {"what": what, "value": text, "indicator": indicator}


def only_low_bound(low: str) -> str:
    return _(
        "Kun den nedre grænse (%(value)s) er udfyldt. Udfyld også den øvre grænse, eller lad begge grænser stå "
        "tomme."
    ) % {"value": low}


def only_high_bound(high: str) -> str:
    return _(
        "Kun den øvre grænse (%(value)s) er udfyldt. Udfyld også den nedre grænse, eller lad begge grænser stå "
        "tomme."
    ) % {"value": high}


def low_above_value(low: str, value: str) -> str:
    return _(
        "Den nedre grænse (%(low)s) er større end værdien (%(value)s). Tjek, at tallene står i de rigtige "
        "kolonner: nedre ≤ andel ≤ øvre."
    ) % {"low": low, "value": value}


def value_above_high(value: str, high: str) -> str:
    return _(
        "Værdien (%(value)s) er større end den øvre grænse (%(high)s). Tjek, at tallene står i de rigtige "
        "kolonner: nedre ≤ andel ≤ øvre."
    ) % {"value": value, "high": high}


def low_above_high(low: str, high: str) -> str:
    return _("Den nedre grænse (%(low)s) er større end den øvre (%(high)s). Byt om på dem.") % {
        "low": low,
        "high": high,
    }


def respondents_not_a_number(text: str) -> str:
    return _(
        "Antallet af svarpersoner »%(value)s« er ikke et tal. Skriv et helt tal, fx 4812 eller 4.812, eller lad "
        "feltet stå tomt."
    ) % {"value": text}


def dot_read_as_thousands(text: str) -> str:
    compact = compact_number(text)
    return _(
        "Filen skriver decimaler med komma, så punktummet i »%(value)s« er læst som tusindtalsskilletegn "
        "(%(whole)s). Er det et decimaltal, så skriv %(decimal)s."
    ) % {"value": text, "whole": compact.replace(".", ""), "decimal": compact.replace(".", ",")}


def dot_read_as_decimal(text: str) -> str:
    compact = compact_number(text)
    return _(
        "»%(value)s« er læst som %(decimal)s med punktum som decimaltegn, fordi ingen andre tal i filen har "
        "decimaler. Mente du %(whole)s, så skriv tallet uden punktum."
    ) % {
        "value": text,
        # In the reader's notation: 1,045 in Danish, 1.045 in English.
        "decimal": formats.number_format(Decimal(compact), 3, use_l10n=True),
        "whole": compact.replace(".", ""),
    }


def respondents_too_large(text: str) -> str:
    return _(
        "Antallet af svarpersoner »%(value)s« er for stort til at være rigtigt. Kontrollér tallet, og skriv "
        "det som et helt tal, fx 4812."
    ) % {"value": text}


def number_too_large(field: str, text: str) -> str:
    what = {"value": _("Værdien"), "ci_low": _("Den nedre grænse"), "ci_high": _("Den øvre grænse")}[field]
    return _(
        "%(what)s »%(value)s« er for stor: tal med mere end 15 cifre før kommaet kan ikke indlæses. "
        "Kontrollér tallet og enheden."
    ) % {"what": what, "value": text}


def respondents_negative(text: str) -> str:
    return _(
        "Antallet af svarpersoner kan ikke være negativt (%(value)s). Skriv antallet som et helt tal, fx 4812."
    ) % {"value": text}


def respondents_fractional(text: str) -> str:
    return _(
        "Antallet af svarpersoner skal være et helt tal, men »%(value)s« har decimaler. Skriv fx 4812 eller "
        "4.812."
    ) % {"value": text}


def few_respondents(text: str) -> str:
    return _(
        "Værdien bygger kun på %(value)s svarpersoner. Tal med under 20 svarpersoner er usikre; overvej at "
        "markere værdien som ikke offentliggjort (skriv -)."
    ) % {"value": text}


def duplicate(first_line: int, line: int) -> str:
    return _(
        "Linje %(first)s og linje %(line)s har samme indikator, område, år, køn, alder og uddannelse. Slet den "
        "ene, eller ret den, der er forkert."
    ) % {"first": first_line, "line": line}


def _either(words: list[str]) -> str:
    quoted = [f"»{word}«" for word in words]
    if len(quoted) == 1:
        return quoted[0]
    return ", ".join(quoted[:-1]) + " " + _("eller") + " " + quoted[-1]
