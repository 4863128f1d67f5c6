"""Computing and storing every measure's status (services.measure_statuses_refresh delegates here).

For each indicator measure, each area its agreement covers and each breakdown, the status method in
`goals/progress/` is run once per data year after the baseline and the results are stored as `MeasureStatus`
rows, so pages read a status instead of computing it. The observations of one indicator are read in one
query for all areas and breakdowns; everything after that is plain Python over tuples.
"""

import datetime
import json
import operator
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache, reduce
from itertools import groupby

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from clusters.models import Area, ClusterMembership
from indicators.hooks import OBSERVATION_ROW, AfterReader, ReadPattern
from indicators.models import ALL, Observation

from . import progress
from .models import Measure, MeasureStatus, Target

BATCH_SIZE = 5000
TOTAL = (ALL, ALL, ALL)

# (sex, age_group, education)
Breakdown = tuple[str, str, str]
# year -> (value, ci_low, ci_high)
Series = dict[int, tuple[float, float | None, float | None]]


@dataclass(frozen=True)
class _Geography:
    """All areas and full cluster memberships as plain values, read once per refresh."""

    kind: dict[int, str]
    parent: dict[int, int | None]
    population: dict[int, int | None]
    children: dict[int, list[int]]
    # cluster id -> [(municipality id, first year, last year or None)]
    members: dict[int, list[tuple[int, int, int | None]]]
    country_id: int | None

    @classmethod
    def load(cls) -> "_Geography":
        kind, parent, population, children = {}, {}, {}, defaultdict(list)
        country_id = None
        for pk, code, area_kind, parent_id, people in Area.objects.values_list(
            "pk", "code", "kind", "parent_id", "population"
        ):
            kind[pk], parent[pk], population[pk] = area_kind, parent_id, people
            if parent_id is not None:
                children[parent_id].append(pk)
            if code == Area.COUNTRY_CODE:
                country_id = pk
        members = defaultdict(list)
        for cluster_id, municipality_id, valid_from, valid_to in ClusterMembership.objects.filter(
            kind=ClusterMembership.Kind.FULL
        ).values_list("cluster_id", "municipality_id", "valid_from", "valid_to"):
            members[cluster_id].append(
                (municipality_id, valid_from.year, valid_to.year if valid_to else None)
            )
        return cls(kind, parent, population, dict(children), dict(members), country_id)

    def scope(self, area_id: int) -> list[int]:
        """The areas an agreement for `area_id` is followed up in.

        A region: the region, its clusters and its municipalities. Denmark: Denmark and the regions.
        """
        if self.kind[area_id] == Area.Kind.COUNTRY:
            return [area_id, *(c for c in self.children.get(area_id, []) if self.kind[c] == Area.Kind.REGION)]
        if self.kind[area_id] == Area.Kind.REGION:
            below = self.children.get(area_id, [])
            clusters = [c for c in below if self.kind[c] == Area.Kind.CLUSTER]
            municipalities = [c for c in below if self.kind[c] == Area.Kind.MUNICIPALITY]
            return [area_id, *clusters, *municipalities]
        return [area_id]

    def benchmark(self, area_id: int) -> int | None:
        """Municipality and cluster against their region, region against Denmark; Denmark has none."""
        if self.kind[area_id] in (Area.Kind.MUNICIPALITY, Area.Kind.CLUSTER, Area.Kind.REGION):
            return self.parent[area_id]
        return None

    def members_in(self, cluster_id: int, year: int) -> list[int]:
        """The cluster's full members in `year`.

        A year before the cluster's first membership uses its first members: the clusters began in 2019,
        but agreements measure from baselines such as 2017 for the same municipalities.
        """
        memberships = self.members.get(cluster_id, [])
        valid = [m for m, start, end in memberships if start <= year and (end is None or year <= end)]
        if valid or not memberships:
            return valid
        first = min(start for _, start, _ in memberships)
        if year < first:
            return [m for m, start, _ in memberships if start == first]
        return []


class _IndicatorData:
    """The observations of one indicator, indexed by area and breakdown, with cluster estimates."""

    def __init__(self, rows: Iterable[tuple], geography: _Geography):
        """`rows`: the indicator's observations with a value, as OBSERVATION_ROW (the indicator id first)."""
        self.geography = geography
        # The loop runs once per observation (a million in a large upload's preview): nothing in it that
        # could be done once per series.
        series: dict[tuple[int, Breakdown], Series] = defaultdict(dict)
        for _indicator_id, area_id, sex, age_group, education, year, value, ci_low, ci_high in rows:
            series[area_id, (sex, age_group, education)][year] = (value, ci_low, ci_high)
        self.series = series
        self.breakdowns: dict[int, set[Breakdown]] = defaultdict(set)
        for area_id, breakdown in series:
            self.breakdowns[area_id].add(breakdown)
        self._points: dict[tuple[int, Breakdown], list[progress.Point]] = {}

    def breakdowns_with_data(self, area_id: int) -> set[Breakdown]:
        found = set(self.breakdowns.get(area_id, ()))
        if self.geography.kind[area_id] == Area.Kind.CLUSTER:
            for municipality_id, _, _ in self.geography.members.get(area_id, []):
                found |= self.breakdowns.get(municipality_id, set())
        return found

    def points(self, area_id: int, breakdown: Breakdown) -> list[progress.Point]:
        key = (area_id, breakdown)
        if key not in self._points:
            uploaded = self.series.get(key, {})
            points = [
                progress.Point(year=year, value=value, ci_low=low, ci_high=high)
                for year, (value, low, high) in uploaded.items()
            ]
            if self.geography.kind[area_id] == Area.Kind.CLUSTER:
                points += self._estimated(area_id, breakdown, skip=uploaded.keys())
            self._points[key] = sorted(points, key=lambda p: p.year)
        return self._points[key]

    def _estimated(self, cluster_id: int, breakdown: Breakdown, skip) -> list[progress.Point]:
        """Years without an uploaded cluster value: the population-weighted mean of the full members."""
        geography = self.geography
        member_series = {
            m: self.series.get((m, breakdown), {}) for m, _, _ in geography.members.get(cluster_id, [])
        }
        years = {year for series in member_series.values() for year in series} - set(skip)
        points = []
        for year in years:
            members = geography.members_in(cluster_id, year)
            value = progress.cluster_value(
                [
                    (
                        member_series[m][year][0] if year in member_series[m] else None,
                        geography.population[m] or 0,
                    )
                    for m in members
                ]
            )
            if value is not None:
                points.append(progress.Point(year=year, value=value, estimated=True))
        return points

    def value(self, area_id: int, breakdown: Breakdown, year: int) -> float | None:
        """A benchmark's published value (regions and Denmark are never estimated)."""
        found = self.series.get((area_id, breakdown), {}).get(year)
        return found[0] if found else None


def _target_spec(measure: Measure) -> progress.TargetSpec:
    try:
        target = measure.target
    except Target.DoesNotExist:
        return progress.TargetSpec(kind=progress.DIRECTION, value=None, target_year=None, baseline_year=None)
    return progress.TargetSpec(
        kind=target.kind,
        value=target.value,
        target_year=target.target_year,
        baseline_year=target.baseline_year,
    )


def _breakdowns(measure: Measure, data: _IndicatorData, area_id: int) -> list[Breakdown]:
    """The measure's own breakdown, and for a total-population measure each sex and age group with data."""
    own = (measure.sex, measure.age_group, measure.education)
    if own != TOTAL:
        return [own]
    extra = sorted(
        b
        for b in data.breakdowns_with_data(area_id)
        if b != TOTAL and b[2] == ALL and (b[0] == ALL or b[1] == ALL)
    )
    return [own, *extra]


def _observation_filter(measures: list[Measure]) -> Q:
    """Only the breakdowns some measure of the indicator needs, so millions of other rows stay in the table."""
    return reduce(
        operator.or_,
        (
            Q(**{f: v for f, v in zip(("sex", "age_group", "education"), c, strict=True) if v is not None})
            for _indicator, *c in read_patterns(measures)
        ),
    )


def evaluation_arguments(measure: Measure) -> dict:
    """What `progress.evaluate` needs from a measure besides its points and the evaluation year.

    Reads measure.target, measure.indicator.source and measure.objective.vision.agreement: select them.
    """
    agreement = measure.objective.vision.agreement
    indicator = measure.indicator
    return {
        "polarity": measure.effective_polarity,
        "target": _target_spec(measure),
        "agreement_start_year": agreement.period_start.year,
        "agreement_end_year": agreement.period_end.year,
        "unit": indicator.unit,
        "next_data_year": indicator.source.next_round_year,
    }


class _RowBuilder:
    """Turns evaluations into MeasureStatus rows (as tuples) for one measure."""

    def __init__(self, measure: Measure, computed_at: datetime.datetime, *, explain: bool = True):
        self.measure = measure
        self.computed_at = computed_at
        self.arguments = {**evaluation_arguments(measure), "explain": explain}

    def rows(self, data: _IndicatorData, area_id: int, breakdown: Breakdown, benchmark_id: int | None):
        series = progress.SeriesEvaluation(points=data.points(area_id, breakdown), **self.arguments)
        baseline = series.baseline
        if baseline is None:
            # Year 0: no latest value, so the row says why there is no status.
            yield self._row(series.at(0), area_id, breakdown, 0, None, None)
            return
        yield self._row(series.at(baseline.year), area_id, breakdown, 0, None, None)
        polarity = self.arguments["polarity"]
        for point in series.usable:
            if point.year <= baseline.year:
                continue
            evaluation = series.at(point.year)
            comparison = ""
            if benchmark_id is not None:
                comparison = progress.compare_with_benchmark(
                    polarity=polarity,
                    area_value=point.value,
                    area_ci_low=point.ci_low,
                    area_ci_high=point.ci_high,
                    benchmark_value=data.value(benchmark_id, breakdown, point.year),
                )
            yield self._row(evaluation, area_id, breakdown, point.year, comparison, benchmark_id)

    def _row(self, evaluation, area_id, breakdown, as_of_year, comparison, benchmark_id) -> tuple:
        """One row as a tuple in COLUMNS order: building 100,000 model instances would cost seconds."""
        baseline, latest = evaluation.baseline, evaluation.latest
        return (
            self.measure.pk,
            area_id,
            *breakdown,
            as_of_year,
            evaluation.status,
            _flags_json(evaluation.flags),
            baseline.year if baseline else None,
            baseline.value if baseline else None,
            latest.year if latest else None,
            latest.value if latest else None,
            latest.ci_low if latest else None,
            latest.ci_high if latest else None,
            evaluation.target_value,
            evaluation.target_year,
            evaluation.delta,
            evaluation.z,
            evaluation.share_achieved,
            evaluation.share_time_elapsed,
            evaluation.explanation,
            comparison or "",
            benchmark_id,
            self.computed_at,
        )


@lru_cache(maxsize=256)
def _flags_json(flags: tuple[str, ...]) -> str:
    """The flags as stored; a handful of combinations, written once each instead of once per row."""
    return json.dumps(list(flags))


# MeasureStatus's columns in the order _RowBuilder._row builds them.
COLUMNS = (
    "measure_id",
    "area_id",
    "sex",
    "age_group",
    "education",
    "as_of_year",
    "status",
    "flags",
    "baseline_year",
    "baseline_value",
    "latest_year",
    "latest_value",
    "latest_ci_low",
    "latest_ci_high",
    "target_value",
    "target_year",
    "delta",
    "z",
    "share_achieved",
    "share_time_elapsed",
    "explanation",
    "benchmark",
    "benchmark_area_id",
    "computed_at",
)


def _insert(rows: list[tuple]) -> None:
    """Write the rows: COPY on PostgreSQL, batched executemany elsewhere (SQLite in development)."""
    table = connection.ops.quote_name(MeasureStatus._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in COLUMNS)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        stamp = COLUMNS.index("computed_at")
        placeholders = ", ".join(["%s"] * len(COLUMNS))
        for start in range(0, len(rows), BATCH_SIZE):
            batch = [
                (*row[:stamp], connection.ops.adapt_datetimefield_value(row[stamp]))
                for row in rows[start : start + BATCH_SIZE]
            ]
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", batch)


def _measures_by_indicator(measures=None) -> dict[int, list[Measure]]:
    """`measures` (Measures or ids; default every indicator measure of every agreement), grouped by
    indicator, with what the computation reads of them selected."""
    queryset = Measure.objects.filter(kind=Measure.Kind.INDICATOR).select_related(
        "indicator__source", "target", "objective__vision__agreement"
    )
    if measures is not None:
        queryset = queryset.filter(pk__in=[getattr(m, "pk", m) for m in measures])
    by_indicator: dict[int, list[Measure]] = defaultdict(list)
    for measure in queryset.order_by("pk"):
        by_indicator[measure.indicator_id].append(measure)
    return by_indicator


def _scopes(
    indicator_measures: list[Measure], geography: _Geography
) -> tuple[dict[int, list[int]], set[int]]:
    """Per measure the areas it is followed up in, and every area whose values those statuses read (the
    areas themselves, their benchmarks and the clusters' members)."""
    scopes = {m.pk: geography.scope(m.objective.vision.agreement.area_id) for m in indicator_measures}
    area_ids = set()
    for scope in scopes.values():
        for area_id in scope:
            area_ids.add(area_id)
            if (benchmark := geography.benchmark(area_id)) is not None:
                area_ids.add(benchmark)
            area_ids.update(m for m, _, _ in geography.members.get(area_id, []))
    return scopes, area_ids


def _indicator_rows(
    indicator_measures: list[Measure],
    scopes: dict[int, list[int]],
    data: _IndicatorData,
    geography: _Geography,
    computed_at: datetime.datetime,
    *,
    explain: bool = True,
) -> Iterator[tuple]:
    for measure in indicator_measures:
        builder = _RowBuilder(measure, computed_at, explain=explain)
        for area_id in scopes[measure.pk]:
            benchmark_id = geography.benchmark(area_id)
            for breakdown in _breakdowns(measure, data, area_id):
                yield from builder.rows(data, area_id, breakdown, benchmark_id)


@transaction.atomic
def refresh(*, measures=None) -> int:
    """Recompute and replace the stored statuses of `measures` (Measures or ids; default every indicator
    measure of every agreement). Returns the number of rows stored."""
    by_indicator = _measures_by_indicator(measures)
    geography = _Geography.load()
    computed_at = timezone.now()

    rows: list[tuple] = []
    for indicator_id, indicator_measures in by_indicator.items():
        scopes, area_ids = _scopes(indicator_measures, geography)
        observations = (
            Observation.objects.filter(indicator_id=indicator_id, area_id__in=area_ids, value__isnull=False)
            .filter(_observation_filter(indicator_measures))
            .order_by()
            .values_list(*OBSERVATION_ROW)
        )
        data = _IndicatorData(observations, geography)
        rows.extend(_indicator_rows(indicator_measures, scopes, data, geography, computed_at))

    MeasureStatus.objects.filter(measure__in=[m for ms in by_indicator.values() for m in ms]).delete()
    _insert(rows)
    return len(rows)


# What `statuses_after` reads: indicators' reader of the observations after a load (hooks.AfterReader).
ObservationReader = AfterReader
# (measure id, area id, sex, age group, education, data year) -> (status, comparison)
StatusKeys = dict[tuple[int, int, str, str, str, int], tuple[str, str]]


def read_patterns(measures: Iterable[Measure]) -> list[ReadPattern]:
    """The observation rows the statuses of `measures` read, as `_observation_filter` selects them."""
    patterns = set()
    for measure in measures:
        if (measure.sex, measure.age_group, measure.education) == TOTAL:
            patterns |= {(measure.indicator_id, ALL, None, ALL), (measure.indicator_id, None, ALL, ALL)}
        else:
            patterns.add((measure.indicator_id, measure.sex, measure.age_group, measure.education))
    return sorted(patterns, key=str)


def statuses_after(*, measures, read: ObservationReader) -> StatusKeys:
    """The status and comparison `refresh(measures=measures)` would store if the observations were the
    ones `read(patterns, area_ids)` gives, keyed as MeasureStatus rows; nothing is written.

    The same code computes the rows as `refresh` does, one indicator at a time, without the explanations
    (which the keys do not hold): the upload preview's "after" (status_preview.py)."""
    by_indicator = _measures_by_indicator(measures)
    geography = _Geography.load()
    computed_at = timezone.now()
    scopes, area_ids = {}, set()
    for indicator_id, indicator_measures in by_indicator.items():
        scopes[indicator_id], areas = _scopes(indicator_measures, geography)
        area_ids |= areas
    patterns = read_patterns(m for ms in by_indicator.values() for m in ms)
    status, benchmark = COLUMNS.index("status"), COLUMNS.index("benchmark")
    found: StatusKeys = {}
    for indicator_id, rows in groupby(read(patterns, sorted(area_ids)), key=operator.itemgetter(0)):
        if indicator_id not in by_indicator:
            raise ValueError(f"indicator {indicator_id}: not asked for, or its rows are not together")
        data = _IndicatorData(rows, geography)
        for row in _indicator_rows(
            by_indicator.pop(indicator_id), scopes[indicator_id], data, geography, computed_at, explain=False
        ):
            found[row[:6]] = (row[status], row[benchmark])
    # Indicators without any value after the load still have their "no data" rows.
    empty = _IndicatorData((), geography)
    for indicator_id, indicator_measures in by_indicator.items():
        for row in _indicator_rows(
            indicator_measures, scopes[indicator_id], empty, geography, computed_at, explain=False
        ):
            found[row[:6]] = (row[status], row[benchmark])
    return found
