"""The status method (shared/STATUS-METHOD.md) as pure functions over plain values.

Pages, reports, the API and exports all call this module, so a measure gets the same status and the same
explanation everywhere. It uses no ORM, no request and no settings: callers load the data, this module decides.
The texts are Danish, the project's source language, and built here so that every caller shows the same words.
"""

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal

NO_DATA = "no_data"
ACHIEVED = "achieved"
ON_TRACK = "on_track"
BEHIND = "behind"
IMPROVING = "improving"
NO_CHANGE = "no_change"
WORSENING = "worsening"

# The order of the method's table, used for counts and legends.
STATUS_ORDER = (NO_DATA, ACHIEVED, ON_TRACK, BEHIND, IMPROVING, NO_CHANGE, WORSENING)
STATUS_LABELS = {
    NO_DATA: "Mangler data",
    ACHIEVED: "Mål nået",
    ON_TRACK: "På rette vej",
    BEHIND: "Fremgang, men for langsomt",
    IMPROVING: "Udvikling i ønsket retning",
    NO_CHANGE: "Ingen sikker ændring",
    WORSENING: "Forværring",
}

# Weakest first. on_track and improving share a rank; on_track is listed first so that it is the headline
# when both occur, because it was measured against a target.
_HEADLINE_ORDER = (WORSENING, NO_CHANGE, BEHIND, ON_TRACK, IMPROVING, ACHIEVED)
ROLLUP_RULE = (
    "Overskriften er den svageste status blandt målingerne i rækkefølgen Forværring < Ingen sikker ændring "
    "< Fremgang, men for langsomt < På rette vej = Udvikling i ønsket retning < Mål nået. "
    "»Mangler data« tælles med, men er kun overskrift, når ingen af målingerne har data."
)

UNCERTAIN = "uncertain"
ESTIMATED = "estimated"

Z_RULE = "z"
TEN_PERCENT_RULE = "ten_percent"
Z_95 = 1.96
TEN_PERCENT = 0.10

ABSOLUTE = "absolute"
RELATIVE = "relative"
POINTS = "points"
DIRECTION = "direction"
TARGET_KINDS = (ABSOLUTE, RELATIVE, POINTS, DIRECTION)

UNIT_SUFFIXES = {"percent": " %", "years": " år", "per_1000": " pr. 1.000", "count": ""}

BETTER = "better"
WORSE = "worse"
SIMILAR = "similar"
NOT_COMPARED = "not_compared"

# Inputs are decimals stored as floats, so 12.3 x 1.1 is 13.530000000000001: a published 13.53 must still
# count as reaching that target. Comparisons forgive differences this small, relative to the numbers.
_TOLERANCE = 1e-9


@dataclass(frozen=True)
class Point:
    """One value of a measure in one year, with its 95 % confidence interval when the source publishes one."""

    year: int
    value: float | None
    ci_low: float | None = None
    ci_high: float | None = None
    estimated: bool = False

    def __post_init__(self):
        bounds = [x for x in (self.ci_low, self.value, self.ci_high) if x is not None]
        if self.ci_low is not None and self.ci_high is not None and bounds != sorted(bounds):
            raise ValueError(
                f"{self.year}: konfidensintervallet skal opfylde nedre <= værdi <= øvre "
                f"(fik {self.ci_low}, {self.value}, {self.ci_high})."
            )

    @property
    def se(self) -> float | None:
        """The standard error, recovered from the 95 % CI because that is all the sources publish."""
        if self.ci_low is None or self.ci_high is None:
            return None
        return (self.ci_high - self.ci_low) / (2 * Z_95)


@dataclass(frozen=True)
class TargetSpec:
    """What a measure aims for. `value` is the level (absolute), the fraction (relative, -0.15), the change
    in points (points), or None (direction only)."""

    kind: str
    value: float | None
    target_year: int | None
    baseline_year: int | None

    def __post_init__(self):
        if self.kind not in TARGET_KINDS:
            raise ValueError(f"Ukendt måltype {self.kind!r}; brug en af {', '.join(TARGET_KINDS)}.")
        if self.kind == DIRECTION and self.value is not None:
            raise ValueError("Et mål, der kun angiver retning, har ingen værdi.")
        if self.kind != DIRECTION and (self.value is None or self.target_year is None):
            raise ValueError(f"Et mål af typen {self.kind!r} skal have både en værdi og et målår.")


@dataclass(frozen=True)
class Evaluation:
    """A measure's status with everything needed to explain it ("Hvorfor denne vurdering?")."""

    status: str
    flags: tuple[str, ...]
    baseline: Point | None
    target_value: float | None
    target_year: int | None
    # Defaults, because a no_data evaluation has none of the measured values.
    latest: Point | None = None
    delta: float | None = None
    z: float | None = None
    certainty_rule: str | None = None
    share_achieved: float | None = None
    share_time_elapsed: float | None = None
    next_data_year: int | None = None
    explanation: str = ""

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def data_year(self) -> int | None:
        """The survey year the status rests on."""
        return self.latest.year if self.latest else None


@dataclass(frozen=True)
class Rollup:
    """How many measures (or objectives) have each status, and the weakest of them as the headline."""

    counts: dict[str, int]
    headline: str | None

    @property
    def label(self) -> str | None:
        return STATUS_LABELS[self.headline] if self.headline else None


def evaluate(
    *,
    polarity: int,
    target: TargetSpec,
    points: Sequence[Point],
    evaluation_year: int,
    agreement_start_year: int,
    agreement_end_year: int,
    unit: str = "percent",
    next_data_year: int | None = None,
) -> Evaluation:
    """The status of one measure for one area and breakdown at `evaluation_year`, with its explanation."""
    if polarity not in (1, -1):
        raise ValueError(
            f"Polariteten skal være 1 (højere er bedre) eller -1 (lavere er bedre), ikke {polarity!r}."
        )
    if unit not in UNIT_SUFFIXES:
        raise ValueError(f"Ukendt enhed {unit!r}; brug en af {', '.join(UNIT_SUFFIXES)}.")
    usable = _usable_points(points)
    baseline = _find_baseline(usable, target.baseline_year, agreement_start_year)
    latest = _find_latest(usable, baseline.year, evaluation_year) if baseline else None
    target_value = _target_value(target, baseline.value if baseline else None)
    target_year = agreement_end_year if target.kind == DIRECTION else target.target_year
    if baseline is None or latest is None:
        return Evaluation(
            status=NO_DATA,
            flags=_flags(NO_DATA, polarity, target_value, baseline, None),
            baseline=baseline,
            target_value=target_value,
            target_year=target_year,
            next_data_year=next_data_year,
            explanation=_explain_missing(
                target, baseline, agreement_start_year, evaluation_year, unit, next_data_year
            ),
        )

    delta = latest.value - baseline.value
    rule, z, certain = _certainty(baseline, latest, delta)
    baseline_met = _baseline_met(polarity, target_value, baseline.value)
    share_achieved = None if target_value is None or baseline_met else delta / (target_value - baseline.value)
    share_time = _share_time_elapsed(baseline.year, latest.year, target_year)
    status = _status(
        polarity=polarity,
        target_value=target_value,
        latest_value=latest.value,
        delta=delta,
        certain=certain,
        baseline_met=baseline_met,
        share_achieved=share_achieved,
        share_time=share_time,
    )
    evaluation = Evaluation(
        status=status,
        flags=_flags(status, polarity, target_value, baseline, latest),
        baseline=baseline,
        latest=latest,
        target_value=target_value,
        target_year=target_year,
        delta=delta,
        z=z,
        certainty_rule=rule,
        share_achieved=share_achieved,
        share_time_elapsed=share_time,
        next_data_year=next_data_year,
    )
    return replace(evaluation, explanation=_explain(evaluation, polarity, unit))


def _usable_points(points: Sequence[Point]) -> list[Point]:
    """The points with a value; two points in one year would make baseline and latest ambiguous."""
    years = [p.year for p in points]
    duplicates = sorted({y for y in years if years.count(y) > 1})
    if duplicates:
        raise ValueError(f"Flere værdier for samme år: {', '.join(map(str, duplicates))}.")
    return sorted((p for p in points if p.value is not None), key=lambda p: p.year)


def _find_baseline(points: list[Point], baseline_year: int | None, agreement_start_year: int) -> Point | None:
    """The target's baseline year when it names one, else the latest value in or before the agreement's start."""
    if baseline_year is not None:
        return next((p for p in points if p.year == baseline_year), None)
    earlier = [p for p in points if p.year <= agreement_start_year]
    return earlier[-1] if earlier else None


def _find_latest(points: list[Point], baseline_year: int, evaluation_year: int) -> Point | None:
    later = [p for p in points if baseline_year < p.year <= evaluation_year]
    return later[-1] if later else None


def _target_value(target: TargetSpec, baseline_value: float | None) -> float | None:
    if target.kind == ABSOLUTE:
        return target.value
    if target.kind == DIRECTION or baseline_value is None:
        return None
    if target.kind == RELATIVE:
        return baseline_value * (1 + target.value)
    return baseline_value + target.value


def _certainty(baseline: Point, latest: Point, delta: float) -> tuple[str, float | None, bool]:
    """Whether the change is real: a z-test when both CIs are known, else the Healthy People 10 % rule.

    Two zero-width CIs give no standard error to divide by, so they fall back to the 10 % rule too. No change
    is never a certain change, even from a baseline of 0.
    """
    se_b, se_l = baseline.se, latest.se
    if se_b is not None and se_l is not None and (se_b or se_l):
        z = abs(delta) / math.hypot(se_b, se_l)
        return Z_RULE, z, _at_least(z, Z_95)
    certain = delta != 0 and _at_least(abs(delta), TEN_PERCENT * abs(baseline.value))
    return TEN_PERCENT_RULE, None, certain


def _baseline_met(polarity: int, target_value: float | None, baseline_value: float) -> bool:
    return target_value is not None and _at_least(polarity * (baseline_value - target_value), 0)


def _share_time_elapsed(baseline_year: int, latest_year: int, target_year: int) -> float:
    """The share of the time from baseline to target year that had passed at the latest value, at most 1.

    The latest year is always after the baseline, so the share is never below 0; a target year at or before
    the baseline leaves no time, so all of it has passed.
    """
    if target_year <= baseline_year:
        return 1.0
    return min((latest_year - baseline_year) / (target_year - baseline_year), 1.0)


def _status(
    *,
    polarity: int,
    target_value: float | None,
    latest_value: float,
    delta: float,
    certain: bool,
    baseline_met: bool,
    share_achieved: float | None,
    share_time: float,
) -> str:
    """The method's table, read top to bottom: the first rule that applies decides."""
    if target_value is not None and _at_least(polarity * (latest_value - target_value), 0):
        return ACHIEVED
    if baseline_met:
        # The latest value has fallen short of a target the baseline met, so any change was for the worse.
        return WORSENING if certain else NO_CHANGE
    if not certain:
        return NO_CHANGE
    if polarity * delta < 0:
        return WORSENING
    if target_value is None:
        return IMPROVING
    return ON_TRACK if _at_least(share_achieved, share_time) else BEHIND


def _flags(
    status: str, polarity: int, target_value: float | None, baseline: Point | None, latest: Point | None
) -> tuple[str, ...]:
    flags = []
    if status == ACHIEVED:
        wrong_side_bound = latest.ci_low if polarity > 0 else latest.ci_high
        if wrong_side_bound is not None and not _at_least(polarity * (wrong_side_bound - target_value), 0):
            flags.append(UNCERTAIN)
    if any(p.estimated for p in (baseline, latest) if p is not None):
        flags.append(ESTIMATED)
    return tuple(flags)


def _at_least(a: float, b: float) -> bool:
    return a >= b - _TOLERANCE * max(1.0, abs(a), abs(b))


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


def rollup(statuses: Iterable[str]) -> Rollup:
    """Counts per status and the weakest as headline; no_data is the headline only when it is all there is."""
    counts = dict.fromkeys(STATUS_ORDER, 0)
    for status in statuses:
        if status not in counts:
            raise ValueError(f"Ukendt status {status!r}.")
        counts[status] += 1
    headline = next((s for s in _HEADLINE_ORDER if counts[s]), NO_DATA if counts[NO_DATA] else None)
    return Rollup(counts=counts, headline=headline)


def compare_with_benchmark(
    *,
    polarity: int,
    area_value: float | None,
    area_ci_low: float | None,
    area_ci_high: float | None,
    benchmark_value: float | None,
) -> str:
    """The area differs from its benchmark only when the benchmark lies outside the area's 95 % CI."""
    if None in (area_value, area_ci_low, area_ci_high, benchmark_value):
        return NOT_COMPARED
    if area_ci_low <= benchmark_value <= area_ci_high:
        return SIMILAR
    return BETTER if polarity * (area_value - benchmark_value) > 0 else WORSE


def cluster_value(members: Sequence[tuple[float | None, int]]) -> float | None:
    """The population-weighted mean of a cluster's municipalities, as (value, population) pairs.

    None when a municipality has no value: a mean of the others would describe a different population.
    """
    if not members or any(value is None for value, _ in members):
        return None
    population = sum(people for _, people in members)
    if population <= 0:
        return None
    return sum(value * people for value, people in members) / population


_POLARITIES = {"higher": 1, "lower": -1}


def evaluate_from_json(payload: Mapping) -> dict:
    """The `measure_status --json` contract: one measure's data as plain JSON in, its status out.

    Without a baseline year the earliest observation is the baseline; a direction-only target's year is the
    end of the period. Raises ValueError with a Danish message on bad input.
    """
    if not isinstance(payload, Mapping):
        raise ValueError("Input skal være ét JSON-objekt.")
    polarity = _POLARITIES.get(_field(payload, "polarity", str, "polarity"))
    if polarity is None:
        raise ValueError(f'polarity skal være "lower" eller "higher", ikke {payload["polarity"]!r}.')
    target_json = _field(payload, "target", Mapping, "target")
    kind = _field(target_json, "kind", str, "target.kind")
    target_year = _field(target_json, "year", int, "target.year")
    target_value = _field(target_json, "value", float, "target.value", required=False)
    baseline_year = _field(payload, "baseline_year", int, "baseline_year", required=False)
    evaluation_year = _field(payload, "evaluation_year", int, "evaluation_year")
    points = _points_from_json(_field(payload, "observations", list, "observations"))
    evaluation = evaluate(
        polarity=polarity,
        target=TargetSpec(
            kind=kind, value=target_value, target_year=target_year, baseline_year=baseline_year
        ),
        points=points,
        evaluation_year=evaluation_year,
        agreement_start_year=_default_start_year(baseline_year, points, evaluation_year),
        agreement_end_year=target_year,
        unit=_field(payload, "unit", str, "unit", required=False) or "percent",
        next_data_year=_field(payload, "next_data_year", int, "next_data_year", required=False),
    )
    return {
        "status": evaluation.status,
        "label": evaluation.label,
        "flags": list(evaluation.flags),
        "explanation": evaluation.explanation,
        "target_value": evaluation.target_value,
        "target_year": evaluation.target_year,
        "baseline_year": evaluation.baseline.year if evaluation.baseline else None,
        "baseline_value": evaluation.baseline.value if evaluation.baseline else None,
        "latest_year": evaluation.data_year,
        "latest_value": evaluation.latest.value if evaluation.latest else None,
        "delta": evaluation.delta,
        "z": evaluation.z,
        "certainty_rule": evaluation.certainty_rule,
        "share_achieved": evaluation.share_achieved,
        "share_time_elapsed": evaluation.share_time_elapsed,
    }


def _points_from_json(observations: list) -> list[Point]:
    points = []
    for i, row in enumerate(observations):
        where = f"observations[{i}]"
        if not isinstance(row, Mapping):
            raise ValueError(f"{where} skal være et objekt med year og value.")
        points.append(
            Point(
                year=_field(row, "year", int, f"{where}.year"),
                value=_field(row, "value", float, f"{where}.value", required=False),
                ci_low=_field(row, "ci_low", float, f"{where}.ci_low", required=False),
                ci_high=_field(row, "ci_high", float, f"{where}.ci_high", required=False),
                estimated=_field(row, "estimated", bool, f"{where}.estimated", required=False) or False,
            )
        )
    return points


def _default_start_year(baseline_year: int | None, points: list[Point], evaluation_year: int) -> int:
    """The JSON contract has no agreement period: the baseline year, or the first year with a value, stands in."""
    if baseline_year is not None:
        return baseline_year
    return min((p.year for p in points if p.value is not None), default=evaluation_year)


_TYPE_NAMES = {
    str: "en tekst",
    int: "et helt tal",
    float: "et tal",
    bool: "true eller false",
    list: "en liste",
}


def _field(data: Mapping, key: str, kind: type, where: str, *, required: bool = True):
    """One checked field: JSON's true is not a number, and "18,5" is not one either."""
    value = data.get(key)
    if value is None:
        if required:
            raise ValueError(f"{where} mangler.")
        return None
    is_bool = isinstance(value, bool)
    if kind is float:
        valid = isinstance(value, int | float) and not is_bool and math.isfinite(value)
    elif kind is int:
        valid = isinstance(value, int) and not is_bool
    else:
        valid = isinstance(value, kind)
    if not valid:
        expected = _TYPE_NAMES.get(kind, "et objekt")
        raise ValueError(f"{where} skal være {expected}, ikke {value!r}.")
    return float(value) if kind is float else value
