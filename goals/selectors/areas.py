"""Reads for the area profile: every follow-up's status for one cluster, municipality or region, its value
beside the region's and the whole country's, and its comparison with its benchmark (a municipality or cluster
with its region, a region with the whole country), in a fixed number of queries."""

from dataclasses import dataclass, field

from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext

from clusters.models import Area, ClusterMembership
from indicators import charts
from indicators.models import Observation

from .. import progress
from ..models import Agreement, Measure, MeasureStatus, Objective, Vision
from .agreements import MEASURE_ORDER, measure_status_for

# Short words and icons for the comparison with the region: never colour alone.
BENCHMARK_SHORT = {
    code: (progress.COMPARISON_SHORT_LABELS[code], progress.COMPARISON_ICONS[code])
    for code in progress.COMPARISON_ICONS
}


class StoredStatusMixin:
    """What a page line says about a stored status: the status, its words, and the comparison with the
    benchmark area. The profile's lines and the matrix's cells say it alike; each names its stored status
    (`stored_status`: a MeasureStatus or a GridStatus, None when there is none)."""

    @property
    def status(self) -> str:
        return self.stored_status.status if self.stored_status else progress.NO_DATA

    @property
    def label(self) -> str:
        return progress.STATUS_LABELS[self.status]

    @property
    def benchmark(self) -> str:
        return (self.stored_status.benchmark if self.stored_status else "") or progress.NOT_COMPARED

    @property
    def benchmark_label(self) -> str:
        return BENCHMARK_SHORT[self.benchmark][0]

    @property
    def benchmark_icon(self) -> str:
        return BENCHMARK_SHORT[self.benchmark][1]

    @property
    def benchmark_area(self) -> Area | None:
        return self.stored_status.benchmark_area if self.stored_status else None


def area_get(code: str) -> Area:
    """One area with its region, its members (a cluster) and its clusters (a municipality). 404 for an
    unknown code. Three queries whatever its kind."""
    memberships = ClusterMembership.objects.select_related("municipality").order_by(
        "kind", "municipality__name"
    )
    clusters = ClusterMembership.objects.select_related("cluster").order_by("kind", "cluster__name")
    queryset = Area.objects.select_related("parent").prefetch_related(
        Prefetch("memberships", queryset=memberships),
        Prefetch("cluster_memberships", queryset=clusters),
    )
    return get_object_or_404(queryset, code=code)


@dataclass(frozen=True)
class ProfileValue:
    """One area's value for a follow-up in the profile's comparison year, with its 95 % CI when published."""

    value: float | None
    ci_low: float | None = None
    ci_high: float | None = None


@dataclass
class AreaMeasureLine(StoredStatusMixin):
    """One indicator follow-up with its stored status for the area (None when there is none), and the values
    the profile shows beside it in `year` (the area's latest data year)."""

    measure: Measure
    status_row: MeasureStatus | None
    year: int | None = None
    value: ProfileValue | None = None
    region_value: ProfileValue | None = None
    country_value: ProfileValue | None = None
    spine: charts.Spine | None = None

    @property
    def stored_status(self) -> MeasureStatus | None:
        return self.status_row

    @property
    def data_year(self) -> int | None:
        return self.status_row.latest_year if self.status_row else None


@dataclass
class AreaObjective:
    objective: Objective
    vision: Vision
    lines: list[AreaMeasureLine] = field(default_factory=list)


@dataclass
class AreaAgreement:
    agreement: Agreement
    objectives: list[AreaObjective] = field(default_factory=list)
    # The evaluation year is before the agreement starts: the page says so instead of "Mangler data".
    before_start: bool = False

    @property
    def lines(self) -> list[AreaMeasureLine]:
        return [line for o in self.objectives for line in o.lines]


@dataclass
class AreaOverview:
    area: Area
    year: int
    agreements: list[AreaAgreement]
    # What the area is compared with: its region, or the whole country for a region.
    benchmark_name: str = ""
    region: Area | None = None
    country: Area | None = None
    peers_name: str = ""

    @property
    def compared_with_country(self) -> bool:
        return self.area.kind == Area.Kind.REGION


def _agreement_area_ids(area: Area) -> list[int]:
    """The agreements an area is followed up in: its region's (or, for a region, Denmark's) and its own."""
    return [pk for pk in (area.pk, area.parent_id) if pk is not None]


def _profile_areas(area: Area) -> tuple[Area | None, int | None, Q, str]:
    """The area's region (itself for a region), the country's id, which areas span the spine's range (the
    region's municipalities, or the regions), and their name. No query: `area_get` loaded the parent."""
    if area.kind == Area.Kind.REGION:
        return area, area.parent_id, Q(area__kind=Area.Kind.REGION), gettext("regionerne")
    if area.kind in (Area.Kind.MUNICIPALITY, Area.Kind.CLUSTER) and area.parent is not None:
        peers = Q(area__kind=Area.Kind.MUNICIPALITY, area__parent_id=area.parent_id)
        return area.parent, area.parent.parent_id, peers, gettext("regionens kommuner")
    return None, None, Q(pk__in=[]), ""


def area_status_overview(*, area: Area, year: int) -> AreaOverview:
    """For every agreement of the area's region (Denmark for a region), its indicator follow-ups with the
    status stored for `area` in `year`, its value beside the region's and the country's, a spine chart and
    its comparison with its benchmark, grouped by agreement and objective. Three queries however many
    agreements, measures or areas with data."""
    measures = (
        Measure.objects.filter(
            Q(objective__vision__agreement__area_id__in=_agreement_area_ids(area)),
            kind=Measure.Kind.INDICATOR,
        )
        .select_related("objective__vision__agreement", "indicator")
        .order_by(*MEASURE_ORDER)
    )
    measures = list(measures)
    rows = measure_status_for(measure_ids=[m.pk for m in measures], area=area, year=year)
    agreements: dict[int, AreaAgreement] = {}
    objectives: dict[int, AreaObjective] = {}
    for measure in measures:
        objective = measure.objective
        agreement = objective.vision.agreement
        if agreement.pk not in agreements:
            agreements[agreement.pk] = AreaAgreement(agreement)
        if objective.pk not in objectives:
            objectives[objective.pk] = AreaObjective(objective, objective.vision)
            agreements[agreement.pk].objectives.append(objectives[objective.pk])
            agreements[agreement.pk].before_start = year < agreement.period_start.year
        objectives[objective.pk].lines.append(AreaMeasureLine(measure, rows.get(measure.pk)))
    region, country_id, peers, peers_name = _profile_areas(area)
    overview = AreaOverview(
        area=area,
        year=year,
        agreements=list(agreements.values()),
        benchmark_name=gettext("hele landet")
        if area.kind == Area.Kind.REGION
        else (region.name if region else ""),
        region=region,
        peers_name=peers_name,
    )
    _attach_values(overview, country_id, peers)
    return overview


def _attach_values(overview: AreaOverview, country_id: int | None, peers: Q) -> None:
    """Each line's values in the area's latest data year: the area's (from its stored status, which holds
    the estimate for a cluster without its own number), the region's, the country's and the spine's range.
    One query for all follow-ups, served by the observations' unique index."""
    area, region = overview.area, overview.region
    lines = [line for agreement in overview.agreements for line in agreement.lines]
    for line in lines:
        _attach_stored_value(line)
    wanted = [line for line in lines if line.year is not None and line.measure.indicator_id]
    if not wanted:
        return
    named = [pk for pk in (area.pk, region.pk if region else None, country_id) if pk is not None]
    peer_kind = Area.Kind.REGION if area.kind == Area.Kind.REGION else Area.Kind.MUNICIPALITY
    found, peer_values = _profile_values(wanted, named, peers, peer_kind)
    country_name = gettext("Hele landet")
    for line in wanted:
        m = line.measure
        key = (m.indicator_id, m.sex, m.age_group, m.education, line.year)
        values = found.get(key, {})
        if line.value is None or line.value.value is None:
            line.value = values.get(area.pk)
        if region is not None and region.pk != area.pk:
            line.region_value = values.get(region.pk)
        line.country_value = values.get(country_id)
        if line.value is None or line.value.value is None:
            continue
        line.spine = _line_spine(line, overview, peer_values.get(key, ()), country_name)


def _attach_stored_value(line: AreaMeasureLine) -> None:
    """The line's year and value from its stored status: the latest value, else the baseline."""
    row = line.status_row
    if row is not None and row.latest_year is not None:
        line.year = row.latest_year
        line.value = ProfileValue(row.latest_value, row.latest_ci_low, row.latest_ci_high)
    elif row is not None and row.baseline_year is not None:
        line.year, line.value = row.baseline_year, ProfileValue(row.baseline_value)


def _profile_values(wanted: list[AreaMeasureLine], named: list[int], peers: Q, peer_kind: str):
    """One query for the lines' values in their years: ((indicator, sex, age group, education, year) ->
    {area id: value} for the `named` areas and the peers; that key -> the peers' values, for the spine)."""
    keys = Q()
    for m, year in sorted({(line.measure, line.year) for line in wanted}, key=lambda k: (k[0].pk, k[1])):
        keys |= Q(
            indicator_id=m.indicator_id, sex=m.sex, age_group=m.age_group, education=m.education, year=year
        )
    rows = (
        Observation.objects.filter(keys)
        .filter(Q(area_id__in=named) | peers)
        .order_by()
        .values_list(
            "indicator_id",
            "sex",
            "age_group",
            "education",
            "year",
            "area_id",
            "area__kind",
            "value",
            "ci_low",
            "ci_high",
        )
    )
    found: dict[tuple, dict[int, ProfileValue]] = {}
    peer_values: dict[tuple, list[float]] = {}
    for indicator_id, sex, age_group, education, year, area_id, kind, value, ci_low, ci_high in rows:
        key = (indicator_id, sex, age_group, education, year)
        found.setdefault(key, {})[area_id] = ProfileValue(value, ci_low, ci_high)
        if kind == peer_kind and value is not None:
            peer_values.setdefault(key, []).append(value)
    return found, peer_values


def _line_spine(
    line: AreaMeasureLine, overview: AreaOverview, peers, country_name: str
) -> charts.Spine | None:
    """The spine chart of a line with a value: the area against its benchmark (the country for a region,
    else the region), the country, and the peers' range."""
    area, region, m = overview.area, overview.region, line.measure
    benchmark = (
        (country_name, _value_of(line.country_value))
        if area.kind == Area.Kind.REGION
        else (region.name if region else "", _value_of(line.region_value))
    )
    return charts.spine(
        value=line.value.value,
        ci_low=line.value.ci_low,
        ci_high=line.value.ci_high,
        polarity=m.effective_polarity or 1,
        unit=m.indicator.unit,
        comparison=line.benchmark,
        area_name=area.name,
        benchmark=benchmark,
        country=(country_name, _value_of(line.country_value)) if area.kind != Area.Kind.REGION else None,
        peers=peers,
        peers_name=overview.peers_name,
    )


def _value_of(value: ProfileValue | None) -> float | None:
    return value.value if value else None
