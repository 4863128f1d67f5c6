"""Reads for the at-a-glance pages: the front page's status counts, the area search, the agreement page's
scorecard, the matrix of follow-ups by areas and the side-by-side comparison of two areas.

Each reads all statuses it shows in one query (`status_grid`), however many areas or follow-ups there are.
"""

import datetime
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import F, Q
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from clusters.models import Area
from indicators import charts
from indicators.models import Observation

from .. import progress
from ..models import Agreement, Measure, MeasureStatus
from .agreements import MEASURE_ORDER, agreement_areas, agreement_list
from .areas import StoredStatusMixin, _agreement_area_ids

STATUS_CHOICES = frozenset(progress.STATUS_ORDER)
# As goals/includes/status_icon.html draws them.
STATUS_ICONS = {
    progress.ACHIEVED: "✓",
    progress.ON_TRACK: "↗",
    progress.IMPROVING: "↗",
    progress.BEHIND: "→",
    progress.NO_CHANGE: "≈",
    progress.WORSENING: "↘",
    progress.NO_DATA: "?",
}


def _own_breakdown() -> Q:
    """A status row of the measure's own breakdown (the one its agreement follows): the same rows
    `measure_status_for` finds, since a measure for a sub-group has rows only for that sub-group."""
    return Q(sex=F("measure__sex"), age_group=F("measure__age_group"), education=F("measure__education"))


# The front page.


@dataclass
class AgreementCard:
    """An agreement on the front page with its follow-ups counted per status in `year`."""

    agreement: Agreement
    year: int
    in_force: bool
    counts: list[tuple[str, str, int]]

    @property
    def shown_counts(self) -> list[tuple[str, str, int]]:
        return [c for c in self.counts if c[2]]


def evaluation_year(agreement: Agreement, newest_data_year: int | None, today: datetime.date) -> int:
    """The year an agreement is shown for at a glance: the newest data year with a stored status, or, without
    one, this year; in both cases kept within the agreement's period (an ended agreement is shown as it
    ended, one not yet started as it starts)."""
    year = newest_data_year or today.year
    return min(max(year, agreement.first_year), agreement.last_year)


def agreement_cards(today: datetime.date | None = None) -> list[AgreementCard]:
    """Every agreement with its status counts in its own area for its evaluation year (`evaluation_year`),
    the agreements in force first, then the newest. Three queries however many agreements and statuses.

    Counted as the agreement page counts them (`AgreementStatus.status_counts`): an activity-status
    follow-up and a follow-up without a stored status count as "Mangler data"."""
    today = today or timezone.localdate()
    agreements = list(agreement_list())
    measures = list(
        Measure.objects.filter(objective__vision__agreement__in=agreements).values_list(
            "pk", "kind", "objective__vision__agreement_id"
        )
    )
    area_of = {a.pk: a.area_id for a in agreements}
    agreement_of = {pk: agreement_id for pk, _kind, agreement_id in measures}
    rows = (
        MeasureStatus.objects.filter(
            measure_id__in=[pk for pk, kind, _a in measures if kind == Measure.Kind.INDICATOR],
            area_id__in=set(area_of.values()),
        )
        .filter(_own_breakdown())
        .values_list("measure_id", "area_id", "as_of_year", "status")
    )
    series: dict[int, list[tuple[int, str]]] = {}
    newest: dict[int, int] = {}
    for measure_id, area_id, as_of_year, status in rows:
        agreement_id = agreement_of[measure_id]
        if area_id != area_of[agreement_id]:
            continue
        series.setdefault(measure_id, []).append((as_of_year, status))
        if as_of_year:
            newest[agreement_id] = max(newest.get(agreement_id, 0), as_of_year)
    cards = []
    for agreement in agreements:
        year = evaluation_year(agreement, newest.get(agreement.pk), today)
        statuses = []
        for pk, _kind, agreement_id in measures:
            if agreement_id != agreement.pk:
                continue
            found = [row for row in series.get(pk, ()) if row[0] <= year]
            statuses.append(max(found)[1] if found else progress.NO_DATA)
        counted = Counter(statuses)
        cards.append(
            AgreementCard(
                agreement=agreement,
                year=year,
                in_force=agreement.period_start <= today <= agreement.period_end,
                counts=[(c, progress.STATUS_LABELS[c], counted[c]) for c in progress.STATUS_ORDER],
            )
        )
    # Stable: within each group the agreements keep agreement_list's order, newest first.
    return sorted(cards, key=lambda card: not card.in_force)


# The area search ("Find din kommune / klynge").

KIND_ORDER = {Area.Kind.REGION: 0, Area.Kind.CLUSTER: 1, Area.Kind.MUNICIPALITY: 2, Area.Kind.COUNTRY: 3}


def searchable_areas() -> list[Area]:
    """The regions, clusters and municipalities a reader may look up, regions first, then by name. One query."""
    areas = Area.objects.exclude(kind=Area.Kind.COUNTRY).only("code", "name", "kind", "parent_id")
    return sorted(areas, key=lambda a: (KIND_ORDER[a.kind], a.name))


def _folded(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold().strip()
    return " ".join(text.replace("-", " ").split())


# Words a reader may add or leave out: "Vejle Kommune", "Sundhedsklynge Fyn", "klyngen Fyn", "Region Syddanmark".
_NOISE = (
    "sundhedsklyngen",
    "sundhedsklynge",
    "klyngen",
    "klynge",
    "kommune",
    "kommunen",
    "region",
    "regionen",
)


def _core(text: str) -> str:
    return " ".join(word for word in _folded(text).split() if word not in _NOISE)


def _code_key(text: str) -> str:
    """Numeric codes compare without leading zeros ("0630" is "630")."""
    text = _folded(text)
    return text.lstrip("0") or "0" if text.isdigit() else text


def area_matches(query: str, areas: list[Area]) -> list[Area]:
    """The areas a reader's text names, best first: an exact code ("630", "0630", "fyn") or name ("Vejle",
    "Sundhedsklynge Fyn", "region syddanmark", "Vejle (630)"); else names that start with it; else names that
    contain it. Pure: `areas` comes from `searchable_areas`."""
    text = _folded(query)
    if not text:
        return []
    if text.endswith(")") and "(" in text:  # "Vejle (630)", as the picker shows an area
        code = text[text.rindex("(") + 1 : -1].strip()
        by_code = [a for a in areas if _code_key(a.code) == _code_key(code)]
        if by_code:
            return by_code
        text = text[: text.rindex("(")].strip()
    exact = [a for a in areas if _code_key(a.code) == _code_key(text) or _folded(a.name) == text]
    if exact:
        return exact
    core = _core(text)
    if not core:
        return []
    named = [a for a in areas if _core(a.name) == core]
    if named:
        return named
    starting = [a for a in areas if _core(a.name).startswith(core)]
    return starting or [a for a in areas if core in _core(a.name)]


# Every status of many follow-ups in many areas, in one query.


@dataclass(frozen=True)
class GridStatus:
    """The parts of a stored status (MeasureStatus) the matrix and the comparison show."""

    status: str
    benchmark: str
    benchmark_area: Area | None
    latest_year: int | None
    latest_value: float | None
    flags: tuple[str, ...]


def status_grid(*, measure_ids, area_ids, year: int) -> dict[tuple[int, int], GridStatus]:
    """(measure id, area id) -> the stored status in force in `year` for the measure's own breakdown (as
    `measure_status_for` finds it), with the area it was compared with. One query, whatever the number of
    measures and areas; pairs without a status are absent. Plain values, not model rows: a matrix holds
    hundreds of them."""
    rows = (
        MeasureStatus.objects.filter(
            measure_id__in=list(measure_ids), area_id__in=list(area_ids), as_of_year__lte=year
        )
        .filter(_own_breakdown())
        .order_by("measure_id", "area_id", "-as_of_year")
        .values_list(
            "measure_id",
            "area_id",
            "status",
            "benchmark",
            "benchmark_area__code",
            "benchmark_area__name",
            "latest_year",
            "latest_value",
            "flags",
        )
    )
    found: dict[tuple[int, int], GridStatus] = {}
    compared: dict[str, Area] = {}
    for measure_id, area_id, status, benchmark, code, name, latest_year, latest_value, flags in rows:
        if (measure_id, area_id) in found:
            continue
        if code and code not in compared:
            compared[code] = Area(code=code, name=name)
        found[measure_id, area_id] = GridStatus(
            status, benchmark, compared.get(code), latest_year, latest_value, tuple(flags or ())
        )
    return found


@dataclass
class StatusCell(StoredStatusMixin):
    """One area's stored status for one follow-up (None when there is none), as the matrix and the
    comparison show it."""

    area: Area
    row: GridStatus | None
    covered: bool = True
    value: charts.Value | None = None
    unit: str = ""

    @property
    def value_text(self) -> str:
        return charts.format_value(self.value.value, self.unit) if self.value else ""

    @property
    def ci_text(self) -> str:
        return charts.format_ci(self.value.ci_low, self.value.ci_high, self.unit) if self.value else ""

    @property
    def stored_status(self) -> GridStatus | None:
        return self.row

    @property
    def icon(self) -> str:
        """The status's icon, as goals/includes/status_icon.html draws it (a matrix has hundreds of cells)."""
        return STATUS_ICONS.get(self.status, "?")

    @property
    def data_year(self) -> int | None:
        if self.value is not None:
            return self.value.year
        return self.row.latest_year if self.row else None

    @property
    def estimated(self) -> bool:
        return bool(self.row and progress.ESTIMATED in self.row.flags)


def _measures(**filters) -> list[Measure]:
    """Measures in the agreements' order (newest agreement first, then vision, objective, measure)."""
    return list(
        Measure.objects.filter(**filters)
        .select_related("indicator", "target", "objective__vision__agreement")
        .order_by(*MEASURE_ORDER)
    )


# The matrix: follow-ups x areas.


@dataclass
class MatrixRow:
    measure: Measure
    cells: list[StatusCell]

    @property
    def url(self) -> str:
        """The measure page (each cell adds its area and year): reversed once per row, not per cell."""
        return reverse("goals:measure_detail", args=[self.measure.pk])


@dataclass
class AgreementMatrix:
    agreement: Agreement
    year: int
    areas: list[Area]
    rows: list[MatrixRow]
    activity_count: int = 0

    @property
    def counts(self) -> list[tuple[str, str, int]]:
        counted = Counter(cell.status for row in self.rows for cell in row.cells)
        return [(c, progress.STATUS_LABELS[c], counted[c]) for c in progress.STATUS_ORDER if counted[c]]


def agreement_for_matrix(slug: str) -> Agreement:
    """The agreement (with its area) whose matrix is asked for; 404 for an unknown slug. One query."""
    return get_object_or_404(Agreement.objects.select_related("area"), slug=slug)


def agreement_matrix(*, agreement: Agreement, year: int) -> AgreementMatrix:
    """Every indicator follow-up of the agreement (rows) in every area it is followed up in (columns: its
    own area, then the clusters, then the municipalities), each cell the status in force in `year` and the
    comparison with the region. Three queries however many areas and follow-ups: the areas, the measures and
    all their statuses."""
    areas = agreement_areas(agreement)
    every = _measures(objective__vision__agreement=agreement)
    measures = [m for m in every if m.kind == Measure.Kind.INDICATOR]
    activity_count = len(every) - len(measures)
    grid = status_grid(measure_ids=[m.pk for m in measures], area_ids=[a.pk for a in areas], year=year)
    rows = [MatrixRow(m, [StatusCell(a, grid.get((m.pk, a.pk))) for a in areas]) for m in measures]
    return AgreementMatrix(
        agreement=agreement, year=year, areas=areas, rows=rows, activity_count=activity_count
    )


# Two areas side by side.


@dataclass
class ComparisonRow:
    measure: Measure
    cells: list[StatusCell]


@dataclass
class ComparisonAgreement:
    agreement: Agreement
    rows: list[ComparisonRow] = field(default_factory=list)


@dataclass
class AreaComparison:
    areas: list[Area]
    year: int
    agreements: list[ComparisonAgreement]


def areas_by_code(codes) -> dict[str, Area]:
    """code -> area (with its region) for the codes that exist. One query."""
    return {a.code: a for a in Area.objects.filter(code__in=[c for c in codes if c]).select_related("parent")}


def area_comparison(*, areas: list[Area], year: int) -> AreaComparison:
    """Every indicator follow-up of the agreements that cover any of `areas` (their regions' and, for a
    region, Denmark's), each with every area's newest value up to `year` and its CI, its data year, its
    stored status and its comparison with the region. Three queries however many areas or follow-ups: the
    measures, their statuses, and the values."""
    area_ids = {pk for area in areas for pk in _agreement_area_ids(area)}
    measures = _measures(objective__vision__agreement__area_id__in=area_ids, kind=Measure.Kind.INDICATOR)
    grid = status_grid(measure_ids=[m.pk for m in measures], area_ids=[a.pk for a in areas], year=year)
    values = _newest_values(measures, areas, year)
    agreements: dict[int, ComparisonAgreement] = {}
    for measure in measures:
        agreement = measure.objective.vision.agreement
        cells = []
        for area in areas:
            row = grid.get((measure.pk, area.pk))
            value = values.get((measure.pk, area.pk))
            if row is not None and row.latest_year and (value is None or value.year != row.latest_year):
                # The status rests on a value this area has not published (a cluster's, estimated from
                # its municipalities): show that one.
                value = charts.Value(row.latest_year, row.latest_value)
            covered = agreement.area_id in _agreement_area_ids(area)
            cells.append(StatusCell(area, row, covered=covered, value=value, unit=measure.indicator.unit))
        agreements.setdefault(agreement.pk, ComparisonAgreement(agreement)).rows.append(
            ComparisonRow(measure, cells)
        )
    return AreaComparison(areas=areas, year=year, agreements=list(agreements.values()))


def _newest_values(
    measures: list[Measure], areas: list[Area], year: int
) -> dict[tuple[int, int], charts.Value]:
    """(measure id, area id) -> the area's newest published value up to `year` for the measure's indicator
    and own breakdown. One query."""
    keys = {(m.indicator_id, m.sex, m.age_group, m.education) for m in measures}
    if not keys or not areas:
        return {}
    wanted = Q()
    for indicator_id, sex, age_group, education in sorted(keys):
        wanted |= Q(indicator_id=indicator_id, sex=sex, age_group=age_group, education=education)
    rows = (
        Observation.objects.filter(area_id__in=[a.pk for a in areas], year__lte=year, value__isnull=False)
        .filter(wanted)
        .order_by()
        .values_list(
            "indicator_id",
            "sex",
            "age_group",
            "education",
            "area_id",
            "year",
            "value",
            "ci_low",
            "ci_high",
            "is_sample",
        )
    )
    newest: dict[tuple, charts.Value] = {}
    for indicator_id, sex, age_group, education, area_id, obs_year, value, low, high, sample in rows:
        key = (indicator_id, sex, age_group, education, area_id)
        if key not in newest or newest[key].year < obs_year:
            newest[key] = charts.Value(obs_year, value, low, high, sample)
    return {
        (m.pk, a.pk): newest[key]
        for m in measures
        for a in areas
        if (key := (m.indicator_id, m.sex, m.age_group, m.education, a.pk)) in newest
    }


# The agreement page's scorecard.


@dataclass
class ScorecardRow:
    """One follow-up on the agreement page's scorecard: its roll-up line and its sparkline."""

    line: object  # agreements.MeasureLine
    trend: charts.Sparkline | None

    @property
    def measure(self) -> Measure:
        return self.line.measure

    @property
    def latest(self) -> charts.Value | None:
        """The value the status rests on (the newest up to the evaluation year), with its CI when the area
        published one; the newest drawn value when the status has none."""
        row = self.line.status_row
        drawn = self.trend.values[-1] if self.trend else None
        if row is not None and row.latest_year and row.latest_value is not None:
            if drawn is not None and drawn.year == row.latest_year:
                return drawn
            return charts.Value(row.latest_year, row.latest_value)
        return drawn

    @property
    def unit(self) -> str:
        return self.measure.indicator.unit if self.measure.indicator_id else ""

    @property
    def value_text(self) -> str:
        latest = self.latest
        return charts.format_value(latest.value, self.unit) if latest else ""

    @property
    def ci_text(self) -> str:
        latest = self.latest
        return charts.format_ci(latest.ci_low, latest.ci_high, self.unit) if latest else ""


def scorecard(status, trends: dict, status_filter: str = "") -> list[ScorecardRow]:
    """The agreement's follow-ups in the tree's order, only those with `status_filter` when given (a line
    that shows the chosen cluster's approved report is not counted under any status, so no filter shows it)."""
    return [
        ScorecardRow(line, trends.get(line.measure.pk))
        for line in status.measures
        if not status_filter or (line.status == status_filter and line.counted)
    ]
