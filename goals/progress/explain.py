"""The sentences that explain a status ("Hvorfor denne vurdering?"), built in one place so that every page,
export and command shows the same words.

An explanation has two parts: `plain`, what moved, from what to what, and whether that is more than chance,
in words a politician reads in ten seconds; and `details`, the target, the rule and its numbers (standard
errors, the 10 % rule), which pages fold behind "Detaljer". The sentences are gettext messages with Danish
source text: `explain`/`explain_missing` give them in the active language (pages re-render a stored status
with `explanation_of_row`), `_explain`/`_explain_missing` give the Danish text that is stored and printed by
the JSON contracts.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils import formats, translation
from django.utils.translation import gettext as _

from .core import (
    ACHIEVED,
    BEHIND,
    ESTIMATED,
    IMPROVING,
    NO_DATA,
    ON_TRACK,
    TEN_PERCENT,
    TEN_PERCENT_RULE,
    UNCERTAIN,
    WORSENING,
    Z_RULE,
    Evaluation,
    Point,
    TargetSpec,
    _baseline_met,
)


@dataclass(frozen=True)
class Explanation:
    """A status's explanation: the plain sentences first, then the numbers and rule behind them."""

    plain: str
    details: tuple[str, ...] = ()

    def __str__(self) -> str:
        return " ".join((self.plain, *self.details))


def explain_missing(
    target: TargetSpec,
    baseline: Point | None,
    agreement_start_year: int,
    evaluation_year: int,
    unit: str,
    next_data_year: int | None,
) -> Explanation:
    """Which value is missing, so the reader knows what data would give the measure a status."""
    if baseline is not None:
        missing = _(
            "Udgangspunktet er %(value)s (%(year)s), men der er ingen nyere værdi til og med %(evaluation_year)s, "
            "så udviklingen kan ikke vurderes."
        ) % {"value": _value(baseline.value, unit), "year": baseline.year, "evaluation_year": evaluation_year}
    elif target.baseline_year is not None:
        missing = _("Der er ingen værdi fra basisåret %(year)s, så udviklingen kan ikke vurderes.") % {
            "year": target.baseline_year
        }
    else:
        missing = _(
            "Der er ingen værdi fra %(year)s eller før, så der er intet udgangspunkt at måle fra."
        ) % {"year": agreement_start_year}
    if next_data_year is not None:
        missing += " " + _("Nye data forventes i %(year)s.") % {"year": next_data_year}
    return Explanation(missing)


def explain(evaluation: Evaluation, polarity: int, unit: str) -> Explanation:
    """The plain sentences, then the values, years and rule behind the status in the order a reader checks
    them."""
    plain = [_change_sentence(evaluation, unit)]
    chance = _chance_sentence(evaluation, unit)
    if chance:
        plain.append(chance)
    # The plain sentences of these statuses already name the target.
    details = []
    if evaluation.status not in (ACHIEVED, ON_TRACK, BEHIND):
        details.append(_target_sentence(evaluation, polarity, unit))
    verdict = _verdict_sentence(evaluation, polarity, unit)
    if verdict:
        details.append(verdict)
    if ESTIMATED in evaluation.flags:
        details.append(_("Mindst ét af tallene er beregnet ud fra kommunernes tal og ikke offentliggjort."))
    if evaluation.next_data_year is not None:
        details.append(
            _("Vurderingen bygger på data fra %(year)s; nye data forventes i %(next)s.")
            % {"year": evaluation.data_year, "next": evaluation.next_data_year}
        )
    return Explanation(" ".join(plain), tuple(details))


def _explain(evaluation: Evaluation, polarity: int, unit: str) -> str:
    """The Danish text that is stored and printed by the JSON contracts, whatever language is active."""
    with translation.override("da"):
        return str(explain(evaluation, polarity, unit))


def _explain_missing(*args) -> str:
    with translation.override("da"):
        return str(explain_missing(*args))


def explanation_of_row(row, *, arguments: dict, evaluation_year: int | None = None) -> Explanation:
    """A stored status (a MeasureStatus) explained in the active language, from the numbers it stores.

    `arguments` is what `progress.evaluate` needs from the measure besides its points
    (status_store.evaluation_arguments). A status without data is worded for `evaluation_year`.
    """
    polarity, unit = arguments["polarity"], arguments["unit"]
    estimated = ESTIMATED in (row.flags or ())
    baseline = None
    if row.baseline_year is not None and row.baseline_value is not None:
        baseline = Point(row.baseline_year, row.baseline_value, estimated=estimated)
    if row.status == NO_DATA or baseline is None or row.latest_year is None:
        return explain_missing(
            arguments["target"],
            baseline,
            arguments["agreement_start_year"],
            evaluation_year or row.as_of_year,
            unit,
            arguments["next_data_year"],
        )
    latest = Point(
        row.latest_year,
        row.latest_value,
        getattr(row, "latest_ci_low", None),
        getattr(row, "latest_ci_high", None),
    )
    evaluation = Evaluation(
        status=row.status,
        flags=tuple(row.flags or ()),
        baseline=baseline,
        latest=latest,
        target_value=row.target_value,
        target_year=row.target_year,
        delta=row.delta,
        z=row.z,
        certainty_rule=Z_RULE if row.z is not None else TEN_PERCENT_RULE,
        share_achieved=row.share_achieved,
        share_time_elapsed=row.share_time_elapsed,
        next_data_year=arguments["next_data_year"],
    )
    return explain(evaluation, polarity, unit)


def _change_sentence(evaluation: Evaluation, unit: str) -> str:
    baseline, latest = evaluation.baseline, evaluation.latest
    share = unit == "percent"
    if evaluation.delta == 0:
        text = (
            _("Andelen er uændret: %(value)s i både %(from_year)s og %(to_year)s.")
            if share
            else _("Værdien er uændret: %(value)s i både %(from_year)s og %(to_year)s.")
        )
        return text % {
            "value": _value(latest.value, unit),
            "from_year": baseline.year,
            "to_year": latest.year,
        }
    if evaluation.delta > 0:
        text = (
            _("Andelen er steget fra %(from)s i %(from_year)s til %(to)s i %(to_year)s.")
            if share
            else _("Værdien er steget fra %(from)s i %(from_year)s til %(to)s i %(to_year)s.")
        )
    else:
        text = (
            _("Andelen er faldet fra %(from)s i %(from_year)s til %(to)s i %(to_year)s.")
            if share
            else _("Værdien er faldet fra %(from)s i %(from_year)s til %(to)s i %(to_year)s.")
        )
    return text % {
        "from": _value(baseline.value, unit),
        "from_year": baseline.year,
        "to": _value(latest.value, unit),
        "to_year": latest.year,
    }


def _chance_sentence(evaluation: Evaluation, unit: str) -> str:
    """Whether the change is more than chance, and what that means for the target, in one sentence."""
    status, rising = evaluation.status, evaluation.delta > 0
    target = {
        "target": _value(evaluation.target_value, unit) if evaluation.target_value is not None else "",
        "year": evaluation.target_year,
    }
    if status == ACHIEVED:
        if UNCERTAIN in evaluation.flags:
            return _("Målet på %(target)s er nået, men det er usikkert.") % target
        return _("Målet på %(target)s er nået.") % target
    if evaluation.delta == 0:
        # "uændret" says it all; no change is never more than chance.
        return ""
    if status == ON_TRACK:
        text = (
            _(
                "Stigningen er større, end det kan skyldes tilfældigheder, og hurtig nok til at nå målet på %(target)s i %(year)s."
            )
            if rising
            else _(
                "Faldet er større, end det kan skyldes tilfældigheder, og hurtigt nok til at nå målet på %(target)s i %(year)s."
            )
        )
        return text % target
    if status == BEHIND:
        text = (
            _(
                "Stigningen er større, end det kan skyldes tilfældigheder, men for langsom til at nå målet på %(target)s i %(year)s."
            )
            if rising
            else _(
                "Faldet er større, end det kan skyldes tilfældigheder, men for langsomt til at nå målet på %(target)s i %(year)s."
            )
        )
        return text % target
    if status == IMPROVING:
        return (
            _("Stigningen er større, end det kan skyldes tilfældigheder, og i den ønskede retning.")
            if rising
            else _("Faldet er større, end det kan skyldes tilfældigheder, og i den ønskede retning.")
        )
    if status == WORSENING:
        return (
            _("Stigningen er større, end det kan skyldes tilfældigheder, og i den forkerte retning.")
            if rising
            else _("Faldet er større, end det kan skyldes tilfældigheder, og i den forkerte retning.")
        )
    return (
        _("Stigningen er så lille, at den kan skyldes tilfældigheder.")
        if rising
        else _("Faldet er så lille, at det kan skyldes tilfældigheder.")
    )


def _target_sentence(evaluation: Evaluation, polarity: int, unit: str) -> str:
    if evaluation.target_value is None:
        if unit == "percent":
            text = (
                _("Målet er, at andelen bliver større frem mod %(year)s.")
                if polarity > 0
                else _("Målet er, at andelen bliver mindre frem mod %(year)s.")
            )
        else:
            text = (
                _("Målet er, at værdien bliver større frem mod %(year)s.")
                if polarity > 0
                else _("Målet er, at værdien bliver mindre frem mod %(year)s.")
            )
        return text % {"year": evaluation.target_year}
    return _("Målet er %(target)s i %(year)s.") % {
        "target": _value(evaluation.target_value, unit),
        "year": evaluation.target_year,
    }


def _verdict_sentence(evaluation: Evaluation, polarity: int, unit: str) -> str:
    """The rule behind the status with its numbers; empty when the plain sentences already say it all."""
    status = evaluation.status
    if status == ACHIEVED:
        latest = evaluation.latest
        if UNCERTAIN not in evaluation.flags or latest.ci_low is None or latest.ci_high is None:
            return ""
        return _("Konfidensintervallet (%(low)s–%(high)s) rummer også værdier, der ikke når målet.") % {
            "low": _value(latest.ci_low, unit),
            "high": _value(latest.ci_high, unit),
        }
    if status in (ON_TRACK, BEHIND):
        numbers = {
            "achieved": _share(evaluation.share_achieved),
            "elapsed": _share(evaluation.share_time_elapsed),
        }
        if status == ON_TRACK:
            return (
                _(
                    "%(achieved)s af den ønskede ændring er nået, og %(elapsed)s af tiden er gået: på rette vej."
                )
                % numbers
            )
        return (
            _(
                "%(achieved)s af den ønskede ændring er nået, men %(elapsed)s af tiden er gået: fremgang, men for langsomt."
            )
            % numbers
        )
    reason = {"reason": _certainty_reason(evaluation, unit)}
    if status == IMPROVING:
        return (
            _("Ændringen er sikker (%(reason)s) og i den ønskede retning: udvikling i ønsket retning.")
            % reason
        )
    prefix = ""
    if _baseline_met(polarity, evaluation.target_value, evaluation.baseline.value):
        prefix = _("Udgangspunktet nåede allerede målet, men det seneste tal gør ikke.") + " "
    if status == WORSENING:
        return prefix + _("Ændringen er sikker (%(reason)s) og i den forkerte retning: forværring.") % reason
    return prefix + _("Ændringen er ikke sikker (%(reason)s): ingen sikker ændring.") % reason


def _certainty_reason(evaluation: Evaluation, unit: str) -> str:
    """The certainty rule with its numbers; two decimals so a near miss never reads as equal to the limit."""
    if evaluation.certainty_rule == Z_RULE:
        return _("forskellen svarer til %(z)s standardfejl, og der kræves mindst %(limit)s") % {
            "z": _number(evaluation.z, 2),
            "limit": _number(1.96, 2),
        }
    limit = TEN_PERCENT * abs(evaluation.baseline.value)
    return _(
        "uden konfidensintervaller kræves en ændring på mindst 10 %% af udgangsværdien, her %(limit)s; "
        "ændringen er %(change)s"
    ) % {"limit": _change(limit, unit), "change": _change(abs(evaluation.delta), unit)}


def _change(x: float, unit: str) -> str:
    """A change with two decimals in its unit; a change in a percentage is in percentage points."""
    number = _number(x, 2)
    if unit == "percent":
        return _("%(number)s procentpoint") % {"number": number}
    return _unit(number, unit)


def _value(x: float, unit: str) -> str:
    return _unit(_number(x, 1), unit)


def _unit(number: str, unit: str) -> str:
    if unit == "percent":
        return f"{number} %"
    if unit == "years":
        return _("%(number)s år") % {"number": number}
    if unit == "per_1000":
        return _("%(number)s pr. 1.000") % {"number": number}
    return number


def _share(x: float) -> str:
    return _number(100 * x, 0) + " %"


def _number(x: float, decimals: int) -> str:
    """The active language's notation (Danish 1.234,5; English 1,234.5), rounding halves up as readers
    expect: 9,25 shows as 9,3.

    Formatting to nine decimals first drops float noise, so 9.434999999999999 (from 11.1 x 0.85) rounds as
    9.435 would.
    """
    exact = Decimal(f"{x:.9f}").quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    text = f"{exact:,.{decimals}f}"
    decimal_sep = formats.get_format("DECIMAL_SEPARATOR")
    thousands_sep = formats.get_format("THOUSAND_SEPARATOR")
    return text.replace(",", "\0").replace(".", decimal_sep).replace("\0", thousands_sep)
