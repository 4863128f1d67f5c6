"""Reads for agreement pages: each returns what one page needs in a fixed number of queries."""

from dataclasses import dataclass

from django.db.models import Count, F, Prefetch, Q, prefetch_related_objects
from django.shortcuts import get_object_or_404

from clusters.models import Area
from clusters.selectors import areas_in_picker_order
from indicators import charts
from indicators.models import ALL, Observation

from .. import progress, status_store
from ..models import Agreement, Measure, MeasureStatus, Objective, Vision
from .reports import activity_status_summary

# Measures across agreements in the pages' order: the newest agreement first, then its visions, objectives
# and measures; the ids make the order total where titles or orders tie.
MEASURE_ORDER = (
    "-objective__vision__agreement__period_start",
    "objective__vision__agreement__title",
    "objective__vision__order",
    "objective__vision_id",
    "objective__order",
    "objective_id",
    "order",
    "pk",
)


def agreement_list():
    """Agreements newest first, with how many visions, objectives and measures each holds."""
    return Agreement.objects.select_related("area").annotate(
        vision_count=Count("visions", filter=Q(visions__is_vision=True), distinct=True),
        objective_count=Count("visions__objectives", distinct=True),
        measure_count=Count("visions__objectives__measures", distinct=True),
    )


def agreement_areas(agreement: Agreement) -> list[Area]:
    """The areas an agreement is followed up in, in picker order: its own area first, then clusters, then
    municipalities (for a region), or the regions (for Denmark). One query."""
    below = (
        [Area.Kind.REGION]
        if agreement.area.kind == Area.Kind.COUNTRY
        else [Area.Kind.CLUSTER, Area.Kind.MUNICIPALITY]
    )
    areas = Area.objects.filter(Q(pk=agreement.area_id) | Q(parent_id=agreement.area_id, kind__in=below))
    return areas_in_picker_order(areas)


def agreement_get(slug: str) -> Agreement:
    """One agreement with its whole tree (visions, focus areas, objectives, measures with indicator
    and target), its national goals and sections. 404 for an unknown slug."""
    measures = Measure.objects.select_related("indicator", "target").order_by("order")
    objectives = (
        Objective.objects.select_related("focus_area")
        .prefetch_related(Prefetch("measures", queryset=measures), "national_goals")
        .order_by("order")
    )
    visions = Vision.objects.prefetch_related(
        "focus_areas", Prefetch("objectives", queryset=objectives)
    ).order_by("order")
    queryset = Agreement.objects.select_related("area").prefetch_related(
        Prefetch("visions", queryset=visions), "national_goals", "sections"
    )
    return get_object_or_404(queryset, slug=slug)


# Stored statuses and roll-ups (the rows are written by services.measure_statuses_refresh).

_STATUS_RELATED = (
    "measure__target",
    "measure__indicator__source",
    "measure__objective__vision__agreement",
    "benchmark_area",
)
ACTIVITY_STATUS_NOTE = (
    "Opfølges med sundhedsklyngernes årlige aktivitetsstatus; tælles som »Mangler data«, "
    "indtil klyngernes rapporter indgår."
)


def measure_status_for(*, measure_ids, area, year: int, sex=ALL, age_group=ALL, education=ALL):
    """measure id -> the MeasureStatus in force in `year` (the newest with as_of_year <= year), in one query.

    The default breakdown (everyone) also finds a measure's own breakdown, so a measure that follows
    "kvinder 16-24" gets its status without the caller knowing that. Measures without a stored status
    (never refreshed, or an area outside the agreement) are absent from the result.
    """
    area_id = getattr(area, "pk", area)
    rows = (
        MeasureStatus.objects.filter(measure_id__in=list(measure_ids), area_id=area_id, as_of_year__lte=year)
        .filter(_breakdown(sex, age_group, education))
        .select_related(*_STATUS_RELATED)
        .order_by("measure_id", "-as_of_year")
    )
    found = {}
    for row in rows:
        if row.measure_id not in found:
            found[row.measure_id] = _for_year(row, year)
    return found


def _breakdown(sex, age_group, education) -> Q:
    breakdown = Q(sex=sex, age_group=age_group, education=education)
    if (sex, age_group, education) == (ALL, ALL, ALL):
        breakdown |= Q(
            sex=F("measure__sex"), age_group=F("measure__age_group"), education=F("measure__education")
        )
    return breakdown


def measure_statuses_for(*, measure_ids, area_ids, year: int, sex=ALL, age_group=ALL, education=ALL):
    """(measure id, area id) -> the MeasureStatus in force in `year`, as `measure_status_for` finds it, for
    several areas (the open data API's statuses for all municipalities of a region). Two queries."""
    newest = measure_status_ids(
        measure_ids=measure_ids,
        area_ids=area_ids,
        year=year,
        sex=sex,
        age_group=age_group,
        education=education,
    )
    return {(row.measure_id, row.area_id): row for row in measure_status_rows(newest.values(), year=year)}


def measure_status_ids(*, measure_ids, area_ids, year: int, sex=ALL, age_group=ALL, education=ALL):
    """(measure id, area id) -> the id of the MeasureStatus in force in `year`. One query over plain tuples:
    loading every older row as a model with its relations cost seconds for many areas."""
    keys = (
        MeasureStatus.objects.filter(
            measure_id__in=list(measure_ids), area_id__in=list(area_ids), as_of_year__lte=year
        )
        .filter(_breakdown(sex, age_group, education))
        .order_by("measure_id", "area_id", "-as_of_year", "pk")
        .values_list("measure_id", "area_id", "pk")
    )
    newest = {}
    for measure_id, area_id, pk in keys:
        newest.setdefault((measure_id, area_id), pk)
    return newest


def measure_status_rows(ids, *, year: int) -> list[MeasureStatus]:
    """The MeasureStatus rows with these ids (from `measure_status_ids`), with what they name, each worded
    for `year`. One query."""
    rows = MeasureStatus.objects.filter(pk__in=list(ids)).select_related(*_STATUS_RELATED)
    return [_for_year(row, year) for row in rows]


def _for_year(row: MeasureStatus, year: int) -> MeasureStatus:
    """A no_data row with a baseline says "no newer value up to <year>": word it for the year asked."""
    row.evaluation_year = year
    if row.status != MeasureStatus.Status.NO_DATA or row.baseline_year is None:
        return row
    baseline = progress.Point(
        year=row.baseline_year, value=row.baseline_value, estimated=progress.ESTIMATED in row.flags
    )
    evaluation = progress.evaluate(
        points=[baseline], evaluation_year=year, **status_store.evaluation_arguments(row.measure)
    )
    row.explanation = evaluation.explanation
    return row


@dataclass
class MeasureLine:
    """One measure in a roll-up: its stored status (None when there is none) and the status counted."""

    measure: Measure
    status_row: MeasureStatus | None
    status: str
    note: str = ""
    # An activity-status follow-up with a cluster chosen: that cluster's approved report, whose assessment is
    # the line's status (it has no place on the method's ladder, so the roll-ups leave the line out).
    report: object = None

    @property
    def label(self) -> str:
        return progress.STATUS_LABELS[self.status]

    @property
    def counted(self) -> bool:
        return self.report is None


@dataclass
class ObjectiveStatus:
    objective: Objective
    measures: list[MeasureLine]
    rollup: progress.Rollup


@dataclass
class VisionStatus:
    vision: Vision
    objectives: list[ObjectiveStatus]
    rollup: progress.Rollup


@dataclass
class AgreementStatus:
    agreement: Agreement
    area: object
    year: int
    visions: list[VisionStatus]
    rule: str = progress.ROLLUP_RULE

    @property
    def measures(self) -> list[MeasureLine]:
        return [line for v in self.visions for o in v.objectives for line in o.measures]

    @property
    def objectives(self) -> list[ObjectiveStatus]:
        return [o for v in self.visions for o in v.objectives]

    @property
    def status_counts(self) -> list[tuple[str, str, int]]:
        """(code, Danish label, number of follow-ups) for every status, in the method's table order: the
        overview's "how many are on track" line."""
        counts = progress.rollup(line.status for line in self.measures if line.counted).counts
        return [(code, progress.STATUS_LABELS[code], counts[code]) for code in progress.STATUS_ORDER]


def agreement_status(*, agreement: Agreement, area, year: int) -> AgreementStatus:
    """Every vision and objective of the agreement rolled up from its measures' statuses in `area` and
    `year` (progress.rollup, rule in progress.ROLLUP_RULE).

    Walks the agreement's own tree: when it came from `agreement_get` the tree is already loaded and only
    the statuses are read (one query); otherwise the tree is loaded here (three more).
    """
    measures = Measure.objects.select_related("indicator").order_by("order")
    objectives = Objective.objects.prefetch_related(Prefetch("measures", queryset=measures)).order_by("order")
    # Skipped by Django for lookups the instance already has prefetched.
    prefetch_related_objects(
        [agreement],
        Prefetch("visions", queryset=Vision.objects.order_by("order")),
        Prefetch("visions__objectives", queryset=objectives),
    )
    visions = list(agreement.visions.all())
    indicator_ids = [
        m.pk
        for v in visions
        for o in v.objectives.all()
        for m in o.measures.all()
        if m.kind == Measure.Kind.INDICATOR
    ]
    rows = measure_status_for(measure_ids=indicator_ids, area=area, year=year)
    has_activity = any(
        m.kind == Measure.Kind.ACTIVITY_STATUS
        for v in visions
        for o in v.objectives.all()
        for m in o.measures.all()
    )
    activity = activity_status_summary(agreement, year=year) if has_activity else None
    vision_statuses = []
    for vision in visions:
        objective_statuses = []
        for objective in vision.objectives.all():
            lines = [_measure_line(m, rows.get(m.pk), activity, area) for m in objective.measures.all()]
            objective_statuses.append(
                ObjectiveStatus(
                    objective, lines, progress.rollup(line.status for line in lines if line.counted)
                )
            )
        headlines = (o.rollup.headline for o in objective_statuses if o.rollup.headline)
        vision_statuses.append(VisionStatus(vision, objective_statuses, progress.rollup(headlines)))
    return AgreementStatus(agreement=agreement, area=area, year=year, visions=vision_statuses)


def _measure_line(measure: Measure, row: MeasureStatus | None, activity=None, area=None) -> MeasureLine:
    if measure.kind == Measure.Kind.ACTIVITY_STATUS:
        # The clusters' approved reports are shown beside the roll-up; they have no place on its ladder
        # (docs/status-method.md: "show the clusters' reported status and how many clusters have reported").
        note = activity.note(measure.objective_id) if activity else ACTIVITY_STATUS_NOTE
        report = activity.report_of(measure.objective_id, area) if activity else None
        return MeasureLine(measure, None, progress.NO_DATA, note, report=report)
    if row is None:
        return MeasureLine(measure, None, progress.NO_DATA, "Der er ingen beregnet status for dette område.")
    return MeasureLine(measure, row, row.status)


@dataclass(frozen=True)
class MeasureNode:
    measure: Measure
    status: "MeasureLine | None"


@dataclass(frozen=True)
class ObjectiveNode:
    objective: object
    status: "ObjectiveStatus | None"
    measures: list[MeasureNode]


@dataclass(frozen=True)
class VisionNode:
    vision: object
    status: "VisionStatus | None"
    objectives: list[ObjectiveNode]


def status_tree(agreement: Agreement, status: AgreementStatus) -> list[VisionNode]:
    """The agreement's visions, objectives and measures (the tree `agreement_get` loaded) in the text's
    order, each beside its roll-up or status line from `status`, for the page template to walk; the model
    instances are left as they are."""
    visions = {v.vision.pk: v for v in status.visions}
    objectives = {o.objective.pk: o for o in status.objectives}
    lines = {line.measure.pk: line for line in status.measures}
    return [
        VisionNode(
            vision,
            visions.get(vision.pk),
            [
                ObjectiveNode(
                    objective,
                    objectives.get(objective.pk),
                    [MeasureNode(measure, lines.get(measure.pk)) for measure in objective.measures.all()],
                )
                for objective in vision.objectives.all()
            ],
        )
        for vision in agreement.visions.all()
    ]


def measure_trends(*, agreement: Agreement, area, year: int, status=None) -> dict[int, charts.Sparkline]:
    """measure id -> a sparkline of `area`'s stored values for the measure's indicator and own breakdown, up
    to `year` (as the status and the measure page see them), for every indicator measure of the agreement.
    One query for all of them, served by the observations' unique index (indicator, area, year, ...).
    Given the page's `status` (an AgreementStatus), each sparkline marks the baseline and the target its
    stored status was measured against.

    Walks the tree `agreement_get` loaded. Measures without a value in the area are absent."""
    measures = [
        m
        for v in agreement.visions.all()
        for o in v.objectives.all()
        for m in o.measures.all()
        if m.kind == Measure.Kind.INDICATOR and m.indicator_id
    ]
    if not measures:
        return {}
    keys = {(m.indicator_id, m.sex, m.age_group, m.education) for m in measures}
    wanted = Q()
    for indicator_id, sex, age_group, education in sorted(keys):
        wanted |= Q(indicator_id=indicator_id, sex=sex, age_group=age_group, education=education)
    rows = (
        Observation.objects.filter(area_id=getattr(area, "pk", area), year__lte=year, value__isnull=False)
        .filter(wanted)
        .order_by()
        .values_list(
            "indicator_id", "sex", "age_group", "education", "year", "value", "ci_low", "ci_high", "is_sample"
        )
    )
    values: dict[tuple, list[charts.Value]] = {}
    for indicator_id, sex, age_group, education, obs_year, value, low, high, sample in rows:
        values.setdefault((indicator_id, sex, age_group, education), []).append(
            charts.Value(obs_year, value, low, high, is_sample=sample)
        )
    rows_by_measure = {line.measure.pk: line.status_row for line in status.measures} if status else {}
    trends = {}
    for measure in measures:
        found = values.get((measure.indicator_id, measure.sex, measure.age_group, measure.education))
        if not found:
            continue
        name = measure.indicator.name + (f" ({measure.breakdown_label})" if measure.breakdown_label else "")
        row = rows_by_measure.get(measure.pk)
        baseline = target = None
        if row is not None and row.baseline_year and row.baseline_value is not None:
            baseline = (row.baseline_year, row.baseline_value)
        if row is not None and row.target_year and row.target_value is not None:
            target = (row.target_year, row.target_value)
        trend = charts.sparkline(
            found, name=f"{name}, {area.name}", unit=measure.indicator.unit, baseline=baseline, target=target
        )
        if trend is not None:
            trends[measure.pk] = trend
    return trends
