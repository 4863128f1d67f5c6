"""The status method itself (docs/status-method.md): a measure's status from its values and target, the
roll-ups, the comparison with a benchmark area, and cluster values."""

import math
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import replace
from operator import attrgetter

# The units are the indicators' (Indicator.Unit); the method accepts exactly those the charts can print.
from indicators.charts.style import UNIT_SUFFIXES

from .core import (
    _HEADLINE_ORDER,
    ABSOLUTE,
    ACHIEVED,
    BEHIND,
    BETTER,
    DIRECTION,
    ESTIMATED,
    IMPROVING,
    NO_CHANGE,
    NO_DATA,
    NOT_COMPARED,
    ON_TRACK,
    RELATIVE,
    SIMILAR,
    STATUS_ORDER,
    TEN_PERCENT,
    TEN_PERCENT_RULE,
    UNCERTAIN,
    WORSE,
    WORSENING,
    Z_95,
    Z_RULE,
    Evaluation,
    Point,
    Rollup,
    TargetSpec,
    _at_least,
    _baseline_met,
)
from .explain import _explain, _explain_missing


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
    explain: bool = True,
) -> Evaluation:
    """The status of one measure for one area and breakdown at `evaluation_year`, with its explanation
    unless `explain` is false (the upload preview compares statuses only; the words cost half the time)."""
    return SeriesEvaluation(
        polarity=polarity,
        target=target,
        points=points,
        agreement_start_year=agreement_start_year,
        agreement_end_year=agreement_end_year,
        unit=unit,
        next_data_year=next_data_year,
        explain=explain,
    ).at(evaluation_year)


class SeriesEvaluation:
    """`evaluate` for one series at any number of evaluation years. What does not depend on the year (the
    checks, the usable points, the baseline and the target) is worked out once: a status refresh evaluates
    every series at each of its years."""

    def __init__(
        self,
        *,
        polarity: int,
        target: TargetSpec,
        points: Sequence[Point],
        agreement_start_year: int,
        agreement_end_year: int,
        unit: str = "percent",
        next_data_year: int | None = None,
        explain: bool = True,
    ):
        if polarity not in (1, -1):
            raise ValueError(
                f"Polariteten skal være 1 (højere er bedre) eller -1 (lavere er bedre), ikke {polarity!r}."
            )
        if unit not in UNIT_SUFFIXES:
            raise ValueError(f"Ukendt enhed {unit!r}; brug en af {', '.join(UNIT_SUFFIXES)}.")
        self.polarity, self.target, self.unit = polarity, target, unit
        self.agreement_start_year, self.next_data_year, self.explain = (
            agreement_start_year,
            next_data_year,
            explain,
        )
        # The points with a value, in year order: the years a status can be evaluated at.
        self.usable = _usable_points(points)
        self._years = [p.year for p in self.usable]
        self.baseline = _find_baseline(self.usable, target.baseline_year, agreement_start_year)
        self.target_value = _target_value(target, self.baseline.value if self.baseline else None)
        self.target_year = agreement_end_year if target.kind == DIRECTION else target.target_year

    def _latest(self, evaluation_year: int) -> Point | None:
        """The last value after the baseline and in or before `evaluation_year`."""
        if self.baseline is None:
            return None
        index = bisect_right(self._years, evaluation_year) - 1
        if index < 0 or self._years[index] <= self.baseline.year:
            return None
        return self.usable[index]

    def at(self, evaluation_year: int) -> Evaluation:
        polarity, baseline, target_value = self.polarity, self.baseline, self.target_value
        latest = self._latest(evaluation_year)
        if baseline is None or latest is None:
            return Evaluation(
                status=NO_DATA,
                flags=_flags(NO_DATA, polarity, target_value, baseline, None),
                baseline=baseline,
                target_value=target_value,
                target_year=self.target_year,
                next_data_year=self.next_data_year,
                explanation=_explain_missing(
                    self.target,
                    baseline,
                    self.agreement_start_year,
                    evaluation_year,
                    self.unit,
                    self.next_data_year,
                )
                if self.explain
                else "",
            )

        delta = latest.value - baseline.value
        rule, z, certain = _certainty(baseline, latest, delta)
        baseline_met = _baseline_met(polarity, target_value, baseline.value)
        share_achieved = (
            None if target_value is None or baseline_met else delta / (target_value - baseline.value)
        )
        share_time = _share_time_elapsed(baseline.year, latest.year, self.target_year)
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
            target_year=self.target_year,
            delta=delta,
            z=z,
            certainty_rule=rule,
            share_achieved=share_achieved,
            share_time_elapsed=share_time,
            next_data_year=self.next_data_year,
        )
        if not self.explain:
            return evaluation
        return replace(evaluation, explanation=_explain(evaluation, polarity, self.unit))


def _usable_points(points: Sequence[Point]) -> list[Point]:
    """The points with a value; two points in one year would make baseline and latest ambiguous."""
    years = [p.year for p in points]
    # The set first: counting every year in the list is quadratic, and this runs for every year of every
    # series when statuses are refreshed.
    if len(set(years)) != len(years):
        duplicates = sorted({y for y in years if years.count(y) > 1})
        raise ValueError(f"Flere værdier for samme år: {', '.join(map(str, duplicates))}.")
    return sorted((p for p in points if p.value is not None), key=_year)


_year = attrgetter("year")


def _find_baseline(points: list[Point], baseline_year: int | None, agreement_start_year: int) -> Point | None:
    """The target's baseline year when it names one, else the latest value in or before the agreement's start."""
    if baseline_year is not None:
        return next((p for p in points if p.year == baseline_year), None)
    earlier = [p for p in points if p.year <= agreement_start_year]
    return earlier[-1] if earlier else None


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
    status: str,
    polarity: int,
    target_value: float | None,
    baseline: Point | None,
    latest: Point | None,
) -> tuple[str, ...]:
    flags = []
    if status == ACHIEVED:
        wrong_side_bound = latest.ci_low if polarity > 0 else latest.ci_high
        if wrong_side_bound is not None and not _at_least(polarity * (wrong_side_bound - target_value), 0):
            flags.append(UNCERTAIN)
    if any(p.estimated for p in (baseline, latest) if p is not None):
        flags.append(ESTIMATED)
    return tuple(flags)


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
