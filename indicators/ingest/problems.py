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
from django.utils.translation import ngettext

from .names import compact_number, danish_int

# Report at most this many problems (and as many warnings); then one extra saying how many more.
MAX_PROBLEMS = 200


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an uploaded file (or, as a warning, worth a second look).

    `line` is the row number the analyst sees in Excel (header = line 1), None for the file as a whole;
    `column` is the header as written in the file; `value` the offending cell as written.
    """

    line: int | None
    column: str | None
    value: str | None
    message: str

    def as_dict(self) -> dict:
        return asdict(self)


class ProblemList:
    """Collects problems in the order the analyst reads the file (line, then column), keeping at most
    `cap` and counting the rest, so that a file with a million bad rows costs a million-row count,
    not a million `Problem` objects."""

    def __init__(self, *, cap: int = MAX_PROBLEMS, more: Callable[[int], str] | None = None):
        self.cap = cap
        self.total = 0
        self._more = more or more_problems
        self._found: list[tuple[int, int, int, Problem]] = []

    def __bool__(self):
        return self.total > 0

    def add(self, problem: Problem, *, position: int = -1):
        """One problem; `position` is its column's place in the file, to sort by after the line."""
        self.total += 1
        self._found.append((problem.line or 0, position, len(self._found), problem))

    def add_rows(self, mask: np.ndarray, lines: np.ndarray, make: Callable[[int], Problem], *, position=-1):
        """One problem per row where `mask` is true; `make(i)` builds the problem of row i.

        Only the first `cap` rows are built: the final list keeps the first `cap` of all rules by line,
        and no rule can contribute more than that. `position` is a number or an array (wide layout).
        """
        rows = np.flatnonzero(mask)
        self.total += len(rows)
        for i in rows[: self.cap]:
            where = position if np.isscalar(position) else int(position[i])
            self._found.append((int(lines[i]), where, len(self._found), make(int(i))))

    def as_list(self) -> list[Problem]:
        found = [
            dataclasses.replace(problem, value=shorten(problem.value))
            for *_, problem in sorted(self._found, key=lambda item: item[:3])[: self.cap]
        ]
        if self.total > len(found):
            found.append(Problem(None, None, None, self._more(self.total - len(found))))
        return found


SHOWN_CHARACTERS = 80


def shorten(text: str | None, limit: int = SHOWN_CHARACTERS) -> str | None:
    """A cell as a problem quotes it: a runaway cell (a whole file in one quoted field, a 400-digit
    number) is cut, so the list stays readable."""
    if text is None or len(text) <= limit:
        return text
    return text[:limit] + "…"


def more_problems(count: int) -> str:
    return _("... og %(count)s problemer mere. Ret dem ovenfor, og upload filen igen for at se resten.") % {
        "count": danish_int(count)
    }


def more_warnings(count: int) -> str:
    return _("... og %(count)s advarsler mere.") % {"count": danish_int(count)}


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
    return _("Kolonnen »%(column)s« mangler. Filen har kolonnerne %(found)s. %(hint)s") % {
        "column": column,
        "found": ", ".join(f"»{header}«" for header in found),
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


def unknown_column(column: str) -> str:
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
