"""Reads for the area page: every follow-up's status for one cluster, municipality or region, compared with
the region, in a fixed number of queries."""

from dataclasses import dataclass, field

from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404

from clusters.models import Area, ClusterMembership

from .. import progress
from ..models import Agreement, Measure, MeasureStatus, Objective, Vision
from .agreements import measure_status_for

# Short words and icons for the comparison with the region: never colour alone.
BENCHMARK_SHORT = {
    code: (progress.COMPARISON_SHORT_LABELS[code], progress.COMPARISON_ICONS[code])
    for code in progress.COMPARISON_ICONS
}


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


@dataclass
class AreaMeasureLine:
    """One indicator follow-up with its stored status for the area (None when there is none)."""

    measure: Measure
    status_row: MeasureStatus | None

    @property
    def status(self) -> str:
        return self.status_row.status if self.status_row else progress.NO_DATA

    @property
    def label(self) -> str:
        return progress.STATUS_LABELS[self.status]

    @property
    def data_year(self) -> int | None:
        return self.status_row.latest_year if self.status_row else None

    @property
    def benchmark(self) -> str:
        return (self.status_row.benchmark if self.status_row else "") or progress.NOT_COMPARED

    @property
    def benchmark_label(self) -> str:
        return BENCHMARK_SHORT[self.benchmark][0]

    @property
    def benchmark_icon(self) -> str:
        return BENCHMARK_SHORT[self.benchmark][1]

    @property
    def benchmark_area(self) -> Area | None:
        return self.status_row.benchmark_area if self.status_row else None


@dataclass
class AreaObjective:
    objective: Objective
    vision: Vision
    lines: list[AreaMeasureLine] = field(default_factory=list)


@dataclass
class AreaAgreement:
    agreement: Agreement
    objectives: list[AreaObjective] = field(default_factory=list)

    @property
    def lines(self) -> list[AreaMeasureLine]:
        return [line for o in self.objectives for line in o.lines]


@dataclass
class AreaOverview:
    area: Area
    year: int
    agreements: list[AreaAgreement]


def _agreement_area_ids(area: Area) -> list[int]:
    """The agreements an area is followed up in: its region's (or, for a region, Denmark's) and its own."""
    return [pk for pk in (area.pk, area.parent_id) if pk is not None]


def area_status_overview(*, area: Area, year: int) -> AreaOverview:
    """For every agreement of the area's region (Denmark for a region), its indicator follow-ups with the
    status stored for `area` in `year` and its comparison with the region, grouped by agreement and
    objective. Two queries however many agreements, measures or areas with data."""
    measures = (
        Measure.objects.filter(
            Q(objective__vision__agreement__area_id__in=_agreement_area_ids(area)),
            kind=Measure.Kind.INDICATOR,
        )
        .select_related("objective__vision__agreement", "indicator")
        .order_by(
            "-objective__vision__agreement__period_start",
            "objective__vision__agreement__title",
            "objective__vision__order",
            "objective__vision_id",
            "objective__order",
            "objective_id",
            "order",
            "pk",
        )
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
        objectives[objective.pk].lines.append(AreaMeasureLine(measure, rows.get(measure.pk)))
    return AreaOverview(area=area, year=year, agreements=list(agreements.values()))
