"""Reads for the measure page: one follow-up's values, status, comparisons, map and breakdowns."""

import functools
import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext

from clusters.models import Area
from indicators import charts
from indicators.models import ALL, Observation

from .. import progress
from ..models import Agreement, Measure, MeasureStatus, Target
from .agreements import measure_status_for

COUNTRY_CODE = Area.COUNTRY_CODE


def measure_get(pk: int) -> Measure:
    """One measure with everything its page names: objective, vision, agreement (and its area), indicator,
    data source and target. One query; 404 for an unknown id."""
    queryset = Measure.objects.select_related(
        "objective__vision__agreement__area", "objective__focus_area", "indicator__source", "target"
    )
    return get_object_or_404(queryset, pk=pk)


@dataclass
class ComparisonGroup:
    """The areas one level below the agreement's area in one year, each with its benchmark result."""

    key: str
    title: str
    rows: list
    benchmark_name: str
    benchmark_value: float | None


@dataclass
class MeasurePageData:
    measure: Measure
    area: Area
    year: int
    region: Area | None = None
    country: Area | None = None
    series: object = None
    comparisons: list = field(default_factory=list)
    status: MeasureStatus | None = None
    comparison_year: int | None = None
    groups: list = field(default_factory=list)
    map_rows: list = field(default_factory=list)
    # Whether the map's areas are the agreement's own (so they have stored statuses and benchmarks).
    map_has_statuses: bool = False
    breakdown_year: int | None = None
    by_sex: list = field(default_factory=list)
    by_age: list = field(default_factory=list)
    breakdown_total: object = None

    @property
    def agreement(self) -> Agreement:
        return self.measure.objective.vision.agreement

    @property
    def indicator(self):
        return self.measure.indicator

    @property
    def target(self):
        try:
            return self.measure.target
        except Target.DoesNotExist:
            return None

    @property
    def provenance(self) -> list[str]:
        """Where the follow-up, the target and the baseline year come from, when the agreement's text does
        not give them: the reader must be able to tell the agreement's words from our choices."""
        if self.measure.kind != Measure.Kind.INDICATOR:
            return []
        found = []
        if not self.measure.follow_up_is_quote:
            found.append(gettext("Opfølgningen er skrevet af os; den er ikke citeret fra aftaleteksten."))
        target = self.target
        if target is not None and target.note:
            found.append(gettext("Om målet: %(note)s") % {"note": target.note})
        baseline_used = self.status.baseline_year if self.status is not None else None
        if target is not None and target.baseline_year is not None:
            if not target.baseline_year_in_text:
                found.append(
                    gettext("Basisåret står ikke i aftaleteksten; vi har valgt %(year)s.")
                    % {"year": target.baseline_year}
                )
        elif baseline_used is not None:
            found.append(
                gettext(
                    "Aftaleteksten nævner intet basisår; vi måler fra det seneste tal i %(start)s eller før, "
                    "her %(year)s."
                )
                % {"start": self.agreement.period_start.year, "year": baseline_used}
            )
        else:
            found.append(
                gettext(
                    "Aftaleteksten nævner intet basisår; vi måler fra det seneste tal i %(start)s eller før."
                )
                % {"start": self.agreement.period_start.year}
            )
        if self.indicator is not None and self.indicator.notes:
            found.append(gettext("Om indikatoren: %(notes)s") % {"notes": self.indicator.notes})
        return found

    @property
    def unit(self) -> str:
        return self.indicator.unit if self.indicator else "percent"

    @property
    def has_data(self) -> bool:
        return bool(self.series and any(p.value is not None for p in self.series.points))

    @property
    def next_data_year(self) -> int | None:
        return self.indicator.source.next_round_year if self.indicator else None

    @property
    def all_series(self) -> list:
        return [self.series, *self.comparisons] if self.series else []

    @property
    def sample_series(self) -> list[str]:
        """Names of the series that hold generated values ("eksempeldata")."""
        return [s.name for s in self.all_series if s.is_sample]

    @property
    def before_start(self) -> bool:
        """The evaluation year is before the agreement starts: the page says so instead of "Mangler data"."""
        return self.year < self.measure.objective.vision.agreement.period_start.year

    @property
    def trend_rows(self) -> list[tuple[int, list]]:
        """(year, [the area's point, each comparison's point or None]) for every year any series has."""
        by_year = [{p.year: p for p in s.points} for s in self.all_series]
        years = sorted({year for points in by_year for year in points})
        return [(year, [points.get(year) for points in by_year]) for year in years]


def measure_page_data(*, measure: Measure, area: Area, year: int) -> MeasurePageData:
    """Everything the measure page draws, for `area` (one of the agreement's areas) as of `year`, in four
    queries however much data there is: the areas, the observations, the area's stored status and the stored
    statuses of the areas compared.

    `measure` comes from `measure_get`. Values after `year` are left out, as they are for the status.
    """
    data = MeasurePageData(measure=measure, area=area, year=year)
    if measure.kind != Measure.Kind.INDICATOR:
        return data
    agreement = measure.objective.vision.agreement
    areas = _page_areas(agreement)
    data.country = next((a for a in areas.values() if a.code == COUNTRY_CODE), None)
    if area.kind in (Area.Kind.MUNICIPALITY, Area.Kind.CLUSTER):
        data.region = areas.get(area.parent_id)
    polarity = measure.effective_polarity
    own = (measure.sex, measure.age_group, measure.education)
    sub_areas = [a for a in areas.values() if a.parent_id == agreement.area_id]
    municipalities = sorted(
        (a for a in areas.values() if a.kind == Area.Kind.MUNICIPALITY), key=lambda a: a.name
    )
    main_ids = {area.pk, agreement.area_id, *(a.pk for a in sub_areas), *(m.pk for m in municipalities)}
    for extra in (data.region, data.country):
        if extra is not None:
            main_ids.add(extra.pk)
    main, breakdowns = _page_values(measure, area, year, main_ids)

    data.series = _series(measure, area, main)
    data.comparisons = [
        _series(measure, a, main) for a in (data.region, data.country) if a is not None and a.pk != area.pk
    ]
    data.status = measure_status_for(measure_ids=[measure.pk], area=area, year=year).get(measure.pk)
    _attach_comparisons(data, sub_areas, municipalities, main, own, polarity)
    _attach_breakdowns(data, main, breakdowns, own)
    return data


def _page_areas(agreement) -> dict[int, Area]:
    """id -> area for every area the measure page may show: Denmark, the agreement's area, its regions or
    clusters, and the municipalities below them. One query."""
    return {
        a.pk: a
        for a in Area.objects.filter(
            Q(code=COUNTRY_CODE)
            | Q(pk=agreement.area_id)
            | Q(parent_id=agreement.area_id)
            | Q(parent__parent_id=agreement.area_id, kind=Area.Kind.MUNICIPALITY)
        )
    }


def _page_values(measure: Measure, area: Area, year: int, main_ids: set[int]):
    """The measure's values up to `year`, one query: (area id -> {year: value} in the measure's own
    breakdown, for every area in `main_ids`; (sex, age group) -> {year: value} for `area` alone)."""
    own = (measure.sex, measure.age_group, measure.education)
    observations = (
        Observation.objects.filter(indicator_id=measure.indicator_id, year__lte=year, value__isnull=False)
        # One condition on the areas, so the (indicator, area, year, ...) index serves every branch.
        .filter(area_id__in=main_ids, education=own[2])
        .filter(
            Q(sex=own[0], age_group=own[1])
            | Q(area_id=area.pk, age_group=own[1])
            | Q(area_id=area.pk, sex=own[0])
        )
        .order_by()
        .values_list("area_id", "sex", "age_group", "year", "value", "ci_low", "ci_high", "is_sample")
    )
    main: dict[int, dict[int, charts.Value]] = defaultdict(dict)
    breakdowns: dict[tuple[str, str], dict[int, charts.Value]] = defaultdict(dict)
    for area_id, sex, age_group, obs_year, value, low, high, sample in observations:
        point = charts.Value(obs_year, value, low, high, sample)
        if (sex, age_group) == own[:2]:
            main[area_id][obs_year] = point
        if area_id == area.pk:
            breakdowns[sex, age_group][obs_year] = point
    return main, breakdowns


def _series(measure: Measure, of: Area, main) -> charts.Series:
    name = of.name + (f" ({measure.breakdown_label})" if measure.breakdown_label else "")
    return charts.Series(name, tuple(point for _year, point in sorted(main.get(of.pk, {}).items())))


def _attach_comparisons(data: MeasurePageData, sub_areas, municipalities, main, own, polarity) -> None:
    """Comparisons and map: the newest year any of the agreement's areas has a value, and each area's value,
    status and comparison with the benchmark area in that year. One query (the stored statuses)."""
    measure, area, year = data.measure, data.area, data.year
    agreement = measure.objective.vision.agreement
    if area.kind == Area.Kind.COUNTRY or agreement.area.kind == Area.Kind.COUNTRY:
        group_specs = [("regions", gettext("Regioner"), [a for a in sub_areas if a.kind == Area.Kind.REGION])]
        benchmark_area = data.country
    else:
        clusters = sorted((a for a in sub_areas if a.kind == Area.Kind.CLUSTER), key=lambda a: a.name)
        group_specs = [
            ("clusters", gettext("Sundhedsklynger"), clusters),
            ("municipalities", gettext("Kommuner"), municipalities),
        ]
        benchmark_area = agreement.area
    compared = [a for *_spec, members in group_specs for a in members]
    years = [y for a in compared + municipalities for y in main.get(a.pk, {})]
    data.comparison_year = max(years, default=None)
    stored = _stored_statuses(measure, [a.pk for a in {*compared, *municipalities}], own, year)
    benchmark_value = None
    if data.comparison_year is not None and benchmark_area is not None:
        found = main.get(benchmark_area.pk, {}).get(data.comparison_year)
        benchmark_value = found.value if found else None

    benchmark_name = benchmark_area.name if benchmark_area else ""
    values = {
        a.pk: _area_value(
            a,
            main.get(a.pk, {}).get(data.comparison_year),
            stored.get(a.pk, {}),
            data.comparison_year,
            polarity,
            benchmark_value,
        )
        for a in {*compared, *municipalities}
    }
    data.groups = [
        ComparisonGroup(key, title, [values[a.pk] for a in members], benchmark_name, benchmark_value)
        for key, title, members in group_specs
        if any(values[a.pk].value is not None for a in members)
    ]
    map_rows = [values[m.pk] for m in municipalities]
    data.map_rows = map_rows if any(row.value is not None for row in map_rows) else []
    data.map_has_statuses = agreement.area.kind == Area.Kind.REGION


def _area_value(of: Area, point, rows, comparison_year, polarity, benchmark_value) -> charts.AreaValue:
    """One area's value in the comparison year (`point`, None without one), its newest stored status, and
    its stored comparison with the benchmark, or one computed from the values when none is stored."""
    status = rows[max(rows)][0] if rows else ""
    benchmark = rows.get(comparison_year, (None, ""))[1]
    if not benchmark and point is not None:
        benchmark = progress.compare_with_benchmark(
            polarity=polarity,
            area_value=point.value,
            area_ci_low=point.ci_low,
            area_ci_high=point.ci_high,
            benchmark_value=benchmark_value,
        )
    return charts.AreaValue(
        code=of.code,
        name=of.name,
        value=point.value if point else None,
        ci_low=point.ci_low if point else None,
        ci_high=point.ci_high if point else None,
        benchmark=benchmark or progress.NOT_COMPARED,
        status=status or progress.NO_DATA,
        is_sample=bool(point and point.is_sample),
    )


def _attach_breakdowns(data: MeasurePageData, main, breakdowns, own) -> None:
    """Breakdowns: the area's newest year with a value for its own breakdown, and its values by sex and by
    age group in that year."""
    area = data.area
    data.breakdown_year = max(main.get(area.pk, {}), default=None)
    if data.breakdown_year is not None:
        data.breakdown_total = main[area.pk][data.breakdown_year]
        sexes = [(s, label) for s, label in Observation.Sex.choices if s != ALL]
        ages = sorted({a for (s, a) in breakdowns if s == own[0] and a != ALL})
        groups = [(str(label), (s, own[1])) for s, label in sexes]
        data.by_sex = [
            _group_value(label, breakdowns.get(key, {}).get(data.breakdown_year)) for label, key in groups
        ]
        data.by_age = [_group_value(f"{a} år", breakdowns[own[0], a].get(data.breakdown_year)) for a in ages]
        data.by_sex = [g for g in data.by_sex if g.value is not None]
        data.by_age = [g for g in data.by_age if g.value is not None]


def _group_value(label: str, point):
    if point is None:
        return charts.GroupValue(label, None)
    return charts.GroupValue(label, point.value, point.ci_low, point.ci_high, point.is_sample)


def _stored_statuses(measure, area_ids, breakdown, year) -> dict[int, dict[int, tuple[str, str]]]:
    """area id -> {as_of_year: (status, benchmark)} for the measure's own breakdown up to `year`. One query."""
    rows = MeasureStatus.objects.filter(
        measure=measure,
        area_id__in=area_ids,
        sex=breakdown[0],
        age_group=breakdown[1],
        education=breakdown[2],
        as_of_year__lte=year,
    ).values_list("area_id", "as_of_year", "status", "benchmark")
    found: dict[int, dict[int, tuple[str, str]]] = defaultdict(dict)
    for area_id, as_of_year, status, benchmark in rows:
        found[area_id][as_of_year] = (status, benchmark)
    return found


# Degrees; see charts.simplify_geojson.
MAP_TOLERANCE = 0.002


@functools.cache
def _municipality_geojson() -> dict:
    path = Path(settings.BASE_DIR) / "static" / "geo" / "kommuner.geojson"
    return charts.simplify_geojson(json.loads(path.read_text(encoding="utf-8")), MAP_TOLERANCE)


def municipality_geojson(codes) -> tuple[dict, str]:
    """The municipalities' boundaries (static/geo/kommuner.geojson) limited to `codes`, and the attribution
    that must be shown under any map drawn from them. Read from disk once per process."""
    geojson = _municipality_geojson()
    return charts.region_features(geojson, codes), geojson.get("attribution", "")


def municipality_codes_under(code: str) -> list[str]:
    """The codes of the municipalities in an area (a region: through its clusters or directly). One query."""
    return list(
        Area.objects.filter(kind=Area.Kind.MUNICIPALITY)
        .filter(Q(parent__code=code) | Q(parent__parent__code=code))
        .values_list("code", flat=True)
    )
