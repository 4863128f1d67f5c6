"""The Danish sentences that explain a status ("Hvorfor denne vurdering?"), built in one place so that
every page, export and command shows the same words."""

from decimal import ROUND_HALF_UP, Decimal

from .core import (
    ACHIEVED,
    BEHIND,
    ESTIMATED,
    IMPROVING,
    ON_TRACK,
    TEN_PERCENT,
    UNCERTAIN,
    UNIT_SUFFIXES,
    WORSENING,
    Z_RULE,
    Evaluation,
    Point,
    TargetSpec,
    _baseline_met,
)


def _explain_missing(
    target: TargetSpec,
    baseline: Point | None,
    agreement_start_year: int,
    evaluation_year: int,
    unit: str,
    next_data_year: int | None,
) -> str:
    """Which value is missing, so the reader knows what data would give the measure a status."""
    if baseline is not None:
        missing = (
            f"Udgangspunktet er {_value(baseline.value, unit)} ({baseline.year}), men der er ingen nyere værdi "
            f"til og med {evaluation_year}, så udviklingen kan ikke vurderes."
        )
    elif target.baseline_year is not None:
        missing = (
            f"Der er ingen værdi fra basisåret {target.baseline_year}, så udviklingen kan ikke vurderes."
        )
    else:
        missing = f"Der er ingen værdi fra {agreement_start_year} eller før, så der er intet udgangspunkt at måle fra."
    if next_data_year is not None:
        missing += f" Nye data forventes i {next_data_year}."
    return missing


def _explain(evaluation: Evaluation, polarity: int, unit: str) -> str:
    """The values, years and rule behind the status, in the order a reader checks them."""
    sentences = [
        _change_sentence(evaluation, unit),
        _target_sentence(evaluation, polarity, unit),
        _verdict_sentence(evaluation, polarity, unit),
    ]
    if ESTIMATED in evaluation.flags:
        sentences.append("Mindst ét af tallene er beregnet ud fra kommunernes tal og ikke offentliggjort.")
    if evaluation.next_data_year is not None:
        sentences.append(
            f"Vurderingen bygger på data fra {evaluation.data_year}; nye data forventes i {evaluation.next_data_year}."
        )
    return " ".join(sentences)


def _subject(unit: str) -> str:
    return "Andelen" if unit == "percent" else "Værdien"


def _change_sentence(evaluation: Evaluation, unit: str) -> str:
    baseline, latest = evaluation.baseline, evaluation.latest
    if evaluation.delta == 0:
        return (
            f"{_subject(unit)} er uændret: {_value(latest.value, unit)} "
            f"i både {baseline.year} og {latest.year}."
        )
    verb = "steget" if evaluation.delta > 0 else "faldet"
    return (
        f"{_subject(unit)} er {verb} fra {_value(baseline.value, unit)} ({baseline.year}) "
        f"til {_value(latest.value, unit)} ({latest.year})."
    )


def _target_sentence(evaluation: Evaluation, polarity: int, unit: str) -> str:
    if evaluation.target_value is None:
        direction = "større" if polarity > 0 else "mindre"
        return f"Målet er, at {_subject(unit).lower()} bliver {direction} frem mod {evaluation.target_year}."
    return f"Målet er {_value(evaluation.target_value, unit)} i {evaluation.target_year}."


def _verdict_sentence(evaluation: Evaluation, polarity: int, unit: str) -> str:
    status = evaluation.status
    if status == ACHIEVED:
        if UNCERTAIN not in evaluation.flags:
            return "Målet er nået."
        latest = evaluation.latest
        return (
            f"Målet er nået, men det er usikkert: konfidensintervallet ({_value(latest.ci_low, unit)}"
            f"–{_value(latest.ci_high, unit)}) rummer også værdier, der ikke når målet."
        )
    if status in (ON_TRACK, BEHIND):
        achieved = _share(evaluation.share_achieved)
        elapsed = _share(evaluation.share_time_elapsed)
        if status == ON_TRACK:
            return f"{achieved} af den ønskede ændring er nået, og {elapsed} af tiden er gået: på rette vej."
        return f"{achieved} af den ønskede ændring er nået, men {elapsed} af tiden er gået: fremgang, men for langsomt."
    reason = _certainty_reason(evaluation, unit)
    if status == IMPROVING:
        return f"Ændringen er sikker ({reason}) og i den ønskede retning: udvikling i ønsket retning."
    prefix = ""
    if _baseline_met(polarity, evaluation.target_value, evaluation.baseline.value):
        prefix = "Udgangspunktet nåede allerede målet, men det seneste tal gør ikke. "
    if status == WORSENING:
        return f"{prefix}Ændringen er sikker ({reason}) og i den forkerte retning: forværring."
    return f"{prefix}Ændringen er ikke sikker ({reason}): ingen sikker ændring."


def _certainty_reason(evaluation: Evaluation, unit: str) -> str:
    """The certainty rule with its numbers; two decimals so a near miss never reads as equal to the limit."""
    if evaluation.certainty_rule == Z_RULE:
        return f"forskellen svarer til {_number(evaluation.z, 2)} standardfejl, og der kræves mindst 1,96"
    change_unit = " procentpoint" if unit == "percent" else UNIT_SUFFIXES[unit]
    limit = TEN_PERCENT * abs(evaluation.baseline.value)
    return (
        f"uden konfidensintervaller kræves en ændring på mindst 10 % af udgangsværdien, her "
        f"{_number(limit, 2)}{change_unit}; ændringen er {_number(abs(evaluation.delta), 2)}{change_unit}"
    )


def _value(x: float, unit: str) -> str:
    return _number(x, 1) + UNIT_SUFFIXES[unit]


def _share(x: float) -> str:
    return _number(100 * x, 0) + " %"


def _number(x: float, decimals: int) -> str:
    """Danish notation (1.234,5), rounding halves up as readers expect: 9,25 shows as 9,3.

    Formatting to nine decimals first drops float noise, so 9.434999999999999 (from 11.1 x 0.85) rounds as
    9.435 would.
    """
    exact = Decimal(f"{x:.9f}").quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return f"{exact:,.{decimals}f}".replace(",", " ").replace(".", ",").replace(" ", ".")
