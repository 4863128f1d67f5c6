"""Sample data ("eksempeldata") shaped like Sundhedsprofilen: pure, deterministic, no ORM.

`sample_rows` takes plain descriptions of indicators and areas and yields one `SampleRow` per
indicator, area, survey round and breakdown. The same seed always gives the same rows; nothing
here reads the database or the clock, so the service in `services/sample_data.py` only translates to and from
the ORM.

How a value comes about, so the charts look like survey data and not like noise:

- Each indicator has a national level per survey round (`PROFILES`; dagligrygning ~17 % in 2017 and
  falling, dårligt mentalt helbred rising fastest among young women as the 2024-2027 agreement says).
- Every sex x age cell has an effect on the logit scale (log scale for years and rates); the
  intercept is calibrated each round so the national total hits the level.
- Every region and municipality has a persistent offset, partly shared across indicators (a
  municipality that smokes more also has more obesity and poorer self-rated health), a smooth trend
  of its own and a small shock per round. Offsets are centred so Denmark stays on its level.
- A region's or Denmark's true value is the population-weighted mean of its municipalities'; every
  published value is that truth plus sampling noise for its respondent count, with a 95 % CI from the
  binomial standard error and a design effect. Cells with fewer than 20 respondents are suppressed.
- A health cluster is not sampled on its own: its value is the population-weighted mean of its full
  members' published values, and its CI comes from their combined respondents.
"""

from __future__ import annotations

import math
import random
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import NamedTuple

from ..models import ALL
from .profiles import AGE_GROUPS, PROFILES, SEXES, SURVEY_ROUNDS

MIN_RESPONDENTS = 20
DESIGN_EFFECT = 1.5
Z_95 = 1.96
# For rates and years there is no binomial SE; this coefficient of variation per respondent gives
# CIs of a few per cent of the value for a municipality and well under one per cent for Denmark.
RELATIVE_SD = 1.0

# Adults 16+ by age group and the share of women in each (Statistics Denmark, rounded).
AGE_POPULATION = (0.135, 0.155, 0.14, 0.165, 0.155, 0.135, 0.115)
WOMEN_SHARE_POPULATION = (0.49, 0.49, 0.5, 0.5, 0.5, 0.51, 0.57)
# Respondents are older and more often women than the population: young men answer least.
AGE_RESPONDENTS = (0.085, 0.11, 0.14, 0.18, 0.185, 0.185, 0.115)
WOMEN_SHARE_RESPONDENTS = 0.54
# Response fell in 2013 and recovered with the 2017 digital survey.
RESPONSE_BY_YEAR = {2010: 0.96, 2013: 0.88, 2017: 1.0, 2021: 1.02, 2025: 0.97}
FALLBACK_RESPONDENTS = {"region": 30_000, "country": 180_000, "cluster": 8_000, "municipality": 1_800}

# (keyword in the label, position on the social gradient, share of respondents). Checked in order:
# "mellemlang videregående" contains "lang videregående".
EDUCATION_LEVELS = (
    ("grundskole", 1.0, 0.16),
    ("erhvervsfaglig", 0.4, 0.33),
    ("gymnasi", 0.1, 0.08),
    ("ungdomsuddannelse", 0.3, 0.41),
    ("kort videregående", 0.0, 0.06),
    ("mellemlang", -0.4, 0.2),
    ("lang videregående", -0.7, 0.14),
)
UNKNOWN_EDUCATION = (0.0, 0.15)

# Offsets on the link scale: standard deviation for a region, for a municipality within its
# region, for their trend per decade and for a one-round shock.
VARIATION = {
    "logit": {"region": 0.07, "municipality": 0.13, "trend": 0.07, "shock": 0.03},
    "log": {"region": 0.035, "municipality": 0.06, "trend": 0.035, "shock": 0.015},
}
# How much of an area's offset is its shared deprivation rather than indicator-specific.
SHARED_DEPRIVATION = 0.6


class IndicatorSpec(NamedTuple):
    code: str
    unit: str = "percent"  # percent | years | per_1000 | count
    polarity: int = -1  # 1: higher is better; -1: lower is better


class AreaSpec(NamedTuple):
    code: str
    kind: str  # country | region | cluster | municipality
    parent: str | None = None
    population: int | None = None
    # A cluster's full members (municipality codes); political-only members are left out by the caller.
    members: tuple[str, ...] = ()


class Breakdown(NamedTuple):
    sex: str = ALL
    age_group: str = ALL
    education: str = ALL


class SampleRow(NamedTuple):
    indicator: str
    area: str
    year: int
    sex: str
    age_group: str
    education: str
    value: float | None
    ci_low: float | None
    ci_high: float | None
    respondents: int
    suppressed: bool


TOTAL = Breakdown()
SMALL_BREAKDOWNS = (
    TOTAL,
    *(Breakdown(sex=sex) for sex in SEXES),
    *(Breakdown(age_group=age) for age in AGE_GROUPS),
)
FULL_BREAKDOWNS = (
    *SMALL_BREAKDOWNS,
    *(Breakdown(sex=sex, age_group=age) for sex in SEXES for age in AGE_GROUPS),
)


class _Profile(NamedTuple):
    scale: str  # "logit" (percentages) or "log" (years, rates, counts)
    levels: dict[int, float]
    sex: tuple[float, float]
    age: tuple[float, ...]
    scope: tuple[str, ...]
    gradient: float
    anchors: dict[int, dict[int, float]]  # cell index -> {year: national level}


class _Weights(NamedTuple):
    population: tuple[float, ...]  # per cell, for the true value
    population_sum: float
    respondent_share: float  # of the area's respondents
    education_shift: float  # on the link scale, already signed for the indicator


CELLS = tuple((sex, age) for sex in SEXES for age in AGE_GROUPS)


def sample_rows(
    *,
    indicators: Iterable[IndicatorSpec],
    areas: Iterable[AreaSpec],
    seed: int,
    breakdowns: Mapping[str, Iterable[Breakdown]] | None = None,
    years: Iterable[int] = SURVEY_ROUNDS,
) -> Iterator[SampleRow]:
    """Yield sample rows for every indicator, area, year and breakdown.

    Denmark and regions get the total, each sex, each age group and sex x age; municipalities and
    clusters the total, each sex and each age group. `breakdowns` adds, per indicator code, the
    breakdowns that measures follow (kvinder 16-24, education "Grundskole", age "0-29") for every area.
    """
    geography = _Geography(list(areas))
    years = tuple(sorted(set(years)))
    breakdowns = breakdowns or {}
    for spec in indicators:
        extra = tuple(sorted(set(breakdowns.get(spec.code, ()))))
        yield from _indicator_rows(spec, geography, seed, extra, years)


# --- Geography ------------------------------------------------------------------------------------


class _Geography:
    def __init__(self, areas: list[AreaSpec]):
        # Sorted by code so that sums (and so the rounded values) never depend on the caller's order.
        areas = sorted(areas, key=lambda a: a.code)
        self.areas = areas
        self.municipalities = [a for a in areas if a.kind == "municipality"]
        self.regions = [a for a in areas if a.kind == "region"]
        self.countries = [a for a in areas if a.kind == "country"]
        self.clusters = [a for a in areas if a.kind == "cluster"]
        known = {a.code for a in self.municipalities}
        self.members = {c.code: sorted(set(c.members) & known) for c in self.clusters}
        self.population = {a.code: a.population or _fallback_population(a.code) for a in areas}
        self.municipalities_of: dict[str, list[str]] = {r.code: [] for r in self.regions}
        for municipality in self.municipalities:
            if municipality.parent in self.municipalities_of:
                self.municipalities_of[municipality.parent].append(municipality.code)


def _fallback_population(code: str) -> int:
    """A plausible municipal population for areas stored without one (only Syddanmark's are loaded)."""
    rng = random.Random(f"population|{code}")
    return int(min(max(rng.lognormvariate(math.log(45_000), 0.6), 2_000), 600_000))


def _respondents(seed: int, area: AreaSpec, population: int, year: int) -> float:
    """An area's total respondents in a round: a municipality's sample grows slowly with its size."""
    base = max(min(700 + 0.02 * population, 5_000), 1_000)
    base *= 1 + 0.08 * random.Random(f"{seed}|respondents|{area.code}").gauss(0, 1)
    yearly = RESPONSE_BY_YEAR.get(year, 1.0)
    yearly *= 1 + 0.04 * random.Random(f"{seed}|respondents|{area.code}|{year}").gauss(0, 1)
    return max(base * yearly, 100.0)


# --- One indicator ----------------------------------------------------------------------------------


def _indicator_rows(
    spec: IndicatorSpec,
    geography: _Geography,
    seed: int,
    extra: tuple[Breakdown, ...],
    years: tuple[int, ...],
) -> Iterator[SampleRow]:
    profile = _profile(spec)
    inverse = _logistic_percent if profile.scale == "logit" else math.exp
    direction = -1 if spec.polarity == 1 else 1  # +1 where more is worse
    full = tuple(dict.fromkeys((*FULL_BREAKDOWNS, *extra)))
    small = tuple(dict.fromkeys((*SMALL_BREAKDOWNS, *extra)))
    weights = {b: _breakdown_weights(b, profile, direction) for b in full}
    offsets = _offsets(spec, profile, geography, seed, years)
    n_by_municipality = {
        m.code: {y: _respondents(seed, m, geography.population[m.code], y) for y in years}
        for m in geography.municipalities
    }

    for year in years:
        base = _national_cells(profile, year)
        truth = {
            m.code: _area_truth(base, offsets[m.code][year], weights, inverse)
            for m in geography.municipalities
        }
        sampled = [(m, small, n_by_municipality[m.code][year]) for m in geography.municipalities]
        for area in (*geography.regions, *geography.countries, *geography.clusters):
            if area.kind == "cluster":
                if geography.members[area.code]:
                    continue  # derived from its members below
                members, breakdowns = [], small
            elif area.kind == "country":
                members, breakdowns = [m.code for m in geography.municipalities], full
            else:
                members, breakdowns = geography.municipalities_of[area.code], full
            if members:
                truth[area.code] = _weighted_truth(members, truth, geography.population, breakdowns)
                n = sum(n_by_municipality[m][year] for m in members)
            else:  # no municipalities (or full members) given: sample the area on its own
                truth[area.code] = _area_truth(base, offsets[area.code][year], weights, inverse)
                n = FALLBACK_RESPONDENTS[area.kind] * RESPONSE_BY_YEAR.get(year, 1.0)
            sampled.append((area, breakdowns, n))

        published: dict[str, dict[Breakdown, SampleRow]] = {}
        for area, breakdowns, n in sampled:
            rng = random.Random(f"{seed}|{spec.code}|{area.code}|{year}|sample")
            rows = published[area.code] = {}
            for breakdown in breakdowns:
                jitter = 1.0 if breakdown == TOTAL else 1 + 0.03 * rng.gauss(0, 1)
                respondents = round(n * weights[breakdown].respondent_share * jitter)
                true_value = truth[area.code][breakdown]
                rows[breakdown] = _observe(
                    spec, area.code, year, breakdown, true_value, respondents, rng, profile
                )
            yield from rows.values()

        for cluster in geography.clusters:
            if members := geography.members[cluster.code]:
                for breakdown in small:
                    yield _cluster_row(
                        spec, cluster.code, year, breakdown, members, published, truth, geography
                    )


def _profile(spec: IndicatorSpec) -> _Profile:
    scale = "logit" if spec.unit == "percent" else "log"
    data = PROFILES.get(spec.code) or _default_profile(spec)
    cell_index = {cell: i for i, cell in enumerate(CELLS)}
    return _Profile(
        scale=scale,
        levels=data["levels"],
        sex=data.get("sex", (0.0, 0.0)),
        age=data.get("age", (0.0,) * len(AGE_GROUPS)),
        scope=data.get("scope", AGE_GROUPS),
        gradient=data.get("gradient", 0.3),
        anchors={cell_index[cell]: levels for cell, levels in data.get("anchors", {}).items()},
    )


def _default_profile(spec: IndicatorSpec) -> dict:
    """An indicator without a hand-written profile: a steady level, improving slowly."""
    rng = random.Random(f"profile|{spec.code}")
    start = rng.uniform(15, 60) if spec.unit == "percent" else rng.uniform(20, 300)
    step = (0.04 if spec.unit == "percent" else 0.02) * (1 if spec.polarity == 1 else -1)
    return {
        "levels": {y: start * (1 + step * i) for i, y in enumerate(SURVEY_ROUNDS)},
        "age": tuple(rng.uniform(-0.2, 0.2) for _ in AGE_GROUPS),
    }


def _interpolate(points: Mapping[int, float], year: int) -> float:
    known = sorted(points)
    if year <= known[0]:
        return points[known[0]]
    if year >= known[-1]:
        return points[known[-1]]
    for low, high in zip(known, known[1:], strict=False):
        if low <= year <= high:
            return points[low] + (points[high] - points[low]) * (year - low) / (high - low)
    raise AssertionError("unreachable")


def _logistic_percent(x: float) -> float:
    return 100.0 / (1.0 + math.exp(-x))


def _link(level: float, scale: str) -> float:
    if scale == "log":
        return math.log(level)
    p = min(max(level / 100.0, 1e-6), 1 - 1e-6)
    return math.log(p / (1 - p))


def _national_cells(profile: _Profile, year: int) -> list[float]:
    """The national linear predictor per sex x age cell, calibrated so the total hits the level."""
    level = _interpolate(profile.levels, year)
    fixed = [profile.sex[s] + profile.age[a] for s in range(len(SEXES)) for a in range(len(AGE_GROUPS))]
    in_scope = [1.0 if age in profile.scope else 0.0 for _, age in CELLS]
    weights = [w * scope for w, scope in zip(_population_cells(), in_scope, strict=True)]
    interaction = [0.0] * len(CELLS)
    anchors = {i: _interpolate(points, year) for i, points in profile.anchors.items()}
    alpha = 0.0
    for _ in range(8 if anchors else 1):
        shifted = [f + x for f, x in zip(fixed, interaction, strict=True)]
        alpha = _calibrate(level, shifted, weights, profile.scale)
        for i, target in anchors.items():
            interaction[i] = _link(target, profile.scale) - alpha - fixed[i]
    return [alpha + f + x for f, x in zip(fixed, interaction, strict=True)]


def _calibrate(level: float, fixed: list[float], weights: list[float], scale: str) -> float:
    """The intercept that makes the weighted mean over cells equal `level`."""
    total = sum(weights)
    if scale == "log":
        return math.log(level * total / sum(w * math.exp(f) for w, f in zip(weights, fixed, strict=True)))
    alpha = _link(level, scale) - sum(w * f for w, f in zip(weights, fixed, strict=True)) / total
    for _ in range(50):  # Newton's method on a monotone, smooth function
        ps = [1.0 / (1.0 + math.exp(-(alpha + f))) for f in fixed]
        value = 100.0 * sum(w * p for w, p in zip(weights, ps, strict=True)) / total
        slope = 100.0 * sum(w * p * (1 - p) for w, p in zip(weights, ps, strict=True)) / total
        step = (value - level) / slope
        alpha -= step
        if abs(step) < 1e-10:
            break
    return alpha


def _population_cells() -> list[float]:
    return [
        AGE_POPULATION[a] * (WOMEN_SHARE_POPULATION[a] if sex == "kvinder" else 1 - WOMEN_SHARE_POPULATION[a])
        for sex in SEXES
        for a in range(len(AGE_GROUPS))
    ]


def _age_overlap(label: str) -> list[float] | None:
    """Share of each standard age group inside `label` ("16-24", "0-29", "65+"); None if unreadable."""
    match = re.fullmatch(r"\s*(\d+)\s*(?:-\s*(\d+)|\+)\s*", label)
    if not match:
        return None
    low, high = int(match[1]), int(match[2]) if match[2] else 120
    shares = []
    for group in AGE_GROUPS:
        g_low, g_high = (int(part) for part in group.rstrip("+").split("-")) if "-" in group else (75, 99)
        overlap = max(0, min(high, g_high) - max(low, g_low) + 1)
        shares.append(overlap / (g_high - g_low + 1))
    return shares if any(shares) else None


def _education(label: str) -> tuple[float, float]:
    lowered = label.lower()
    for keyword, position, share in EDUCATION_LEVELS:
        if keyword in lowered:
            return position, share
    return UNKNOWN_EDUCATION


def _breakdown_weights(breakdown: Breakdown, profile: _Profile, direction: int) -> _Weights:
    ages = _age_overlap(breakdown.age_group) if breakdown.age_group != ALL else None
    if ages is None:
        ages = [1.0 if age in profile.scope else 0.0 for age in AGE_GROUPS]
    population, respondents = [], 0.0
    for (sex, age), weight in zip(CELLS, _population_cells(), strict=True):
        a = AGE_GROUPS.index(age)
        include = ages[a] if breakdown.sex in (ALL, sex) else 0.0
        population.append(weight * include)
        sex_share = WOMEN_SHARE_RESPONDENTS if sex == "kvinder" else 1 - WOMEN_SHARE_RESPONDENTS
        respondents += AGE_RESPONDENTS[a] * sex_share * include
    shift = 0.0
    if breakdown.education != ALL:
        position, share = _education(breakdown.education)
        respondents *= share
        shift = direction * profile.gradient * position
    return _Weights(tuple(population), sum(population) or 1.0, respondents, shift)


def _offsets(
    spec: IndicatorSpec, profile: _Profile, geography: _Geography, seed: int, years: tuple[int, ...]
) -> dict[str, dict[int, float]]:
    """Each area's deviation from the national predictor per year, on the link scale."""
    sd = VARIATION[profile.scale]
    direction = -1 if spec.polarity == 1 else 1
    shared = SHARED_DEPRIVATION
    own = math.sqrt(1 - shared**2)

    def component(area: AreaSpec, level: str) -> dict[int, float]:
        deprivation = random.Random(f"{seed}|deprivation|{area.code}").gauss(0, 1)
        rng = random.Random(f"{seed}|{spec.code}|{area.code}|offset")
        static = sd[level] * (shared * direction * deprivation + own * rng.gauss(0, 1))
        trend = sd["trend"] * rng.gauss(0, 1)
        return {y: static + trend * (y - 2017) / 10 + sd["shock"] * rng.gauss(0, 1) for y in years}

    offsets: dict[str, dict[int, float]] = {}
    for area in (*geography.regions, *geography.clusters):
        offsets[area.code] = component(area, "region")
    for country in geography.countries:
        offsets[country.code] = dict.fromkeys(years, 0.0)
    for municipality in geography.municipalities:
        regional = offsets.get(municipality.parent, dict.fromkeys(years, 0.0))
        own_part = component(municipality, "municipality")
        offsets[municipality.code] = {y: regional[y] + own_part[y] for y in years}

    # Centre the municipalities so Denmark as a whole stays on its national level.
    if geography.municipalities:
        population = geography.population
        total = sum(population[m.code] for m in geography.municipalities)
        for year in years:
            mean = sum(population[m.code] * offsets[m.code][year] for m in geography.municipalities) / total
            for m in geography.municipalities:
                offsets[m.code][year] -= mean
    return offsets


def _area_truth(base: list[float], offset: float, weights: Mapping[Breakdown, _Weights], inverse) -> dict:
    """An area's true value for every breakdown: the weighted mean of its cells."""
    by_shift: dict[float, list[float]] = {}
    truth = {}
    for breakdown, w in weights.items():
        cells = by_shift.get(w.education_shift)
        if cells is None:
            cells = by_shift[w.education_shift] = [inverse(b + offset + w.education_shift) for b in base]
        truth[breakdown] = sum(c * p for c, p in zip(cells, w.population, strict=True)) / w.population_sum
    return truth


def _weighted_truth(members, truth, population, breakdowns) -> dict[Breakdown, float]:
    total = sum(population[m] for m in members)
    return {b: sum(population[m] * truth[m][b] for m in members) / total for b in breakdowns}


# --- Publishing one value ---------------------------------------------------------------------------


def _half_width(value: float, respondents: int, scale: str) -> float:
    if scale == "logit":
        p = value / 100.0
        return 100.0 * Z_95 * math.sqrt(DESIGN_EFFECT * p * (1 - p) / respondents)
    return Z_95 * value * RELATIVE_SD * math.sqrt(DESIGN_EFFECT / respondents)


def _publish(spec, area, year, breakdown, value, respondents, scale) -> SampleRow:
    """Round, attach the 95 % CI and suppress small cells."""
    if respondents < MIN_RESPONDENTS:
        return SampleRow(spec.code, area, year, *breakdown, None, None, None, respondents, True)
    half = _half_width(value, respondents, scale)
    upper = 100.0 if scale == "logit" else math.inf
    low, high = max(value - half, 0.0), min(value + half, upper)
    # Rounding to one decimal is monotone, so ci_low <= value <= ci_high survives it.
    return SampleRow(
        spec.code, area, year, *breakdown, round(value, 1), round(low, 1), round(high, 1), respondents, False
    )


def _observe(spec, area, year, breakdown, true_value, respondents, rng, profile) -> SampleRow:
    """A survey estimate of `true_value` from `respondents` answers."""
    noise = rng.gauss(0, 1)  # drawn for every cell so suppression never shifts later values
    if respondents >= MIN_RESPONDENTS:
        se = _half_width(true_value, respondents, profile.scale) / Z_95
        value = true_value + noise * se
        value = min(max(value, 0.0), 100.0) if profile.scale == "logit" else max(value, 0.0)
    else:
        value = true_value
    return _publish(spec, area, year, breakdown, value, respondents, profile.scale)


def _cluster_row(spec, cluster, year, breakdown, members, published, truth, geography) -> SampleRow:
    """A cluster's value: its full members' published values weighted by population."""
    population = geography.population
    weighted, weight, respondents = 0.0, 0, 0
    for member in members:
        row = published[member][breakdown]
        # A suppressed member still contributes its answers to the cluster's estimate.
        value = row.value if row.value is not None else truth[member][breakdown]
        weighted += population[member] * value
        weight += population[member]
        respondents += row.respondents
    scale = "logit" if spec.unit == "percent" else "log"
    return _publish(spec, cluster, year, breakdown, weighted / weight, respondents, scale)
