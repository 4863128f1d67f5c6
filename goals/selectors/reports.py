"""Reads for the reporting pages, the clusters' published activity status and the audit trail. Each
returns what one page needs in a fixed number of queries."""

from dataclasses import dataclass, field

from django.db.models import Case, Count, Prefetch, Q, When
from django.utils import timezone
from django.utils.translation import gettext

from clusters.models import Area

from .. import permissions
from ..models import Activity, ActivityReport, Agreement, AuditEvent, Objective, ReportingRound

Status = ActivityReport.Status


def report_is_overdue(report: ActivityReport, today=None) -> bool:
    """Still with the cluster after the round's deadline."""
    today = today or timezone.localdate()
    return report.is_editable and report.round.deadline < today


def reports_for_writer(user):
    """A cluster secretariat's reports, newest round first, with what the list shows."""
    return list(
        ActivityReport.objects.filter(cluster_id__in=permissions.user_cluster_ids(user))
        .select_related("round__agreement", "cluster", "objective")
        .annotate(activity_count=Count("activities"))
        .order_by(
            "-round__year",
            "round__agreement__slug",
            "cluster__name",
            "objective__vision__order",
            "objective__order",
        )
    )


def round_list():
    """Every round with its counts per status (the SSU secretariat's overview)."""
    counts = {s: Count("reports", filter=Q(reports__status=s)) for s in Status.values}
    return list(
        ReportingRound.objects.select_related("agreement")
        .annotate(report_count=Count("reports"), **{f"n_{s}": c for s, c in counts.items()})
        .order_by("-year", "agreement__slug")
    )


def agreements_with_activity_status():
    return (
        Agreement.objects.filter(visions__objectives__measures__kind="activity_status")
        .distinct()
        .order_by("slug")
    )


@dataclass
class CompletenessRow:
    objective: Objective
    cells: list["CompletenessCell | None"]  # one per cluster column; None: nothing reported


@dataclass(frozen=True)
class CompletenessCell:
    report: ActivityReport
    overdue: bool


@dataclass
class Completeness:
    round: ReportingRound
    clusters: list[Area]
    rows: list[CompletenessRow]
    counts: dict[str, int] = field(default_factory=dict)
    overdue: int = 0
    total: int = 0


def round_completeness(reporting_round: ReportingRound, user) -> Completeness:
    """Who has reported what for each objective: one row per objective, one column per cluster the user
    may see (all for the SSU secretariat, its own for a cluster secretariat)."""
    reports = ActivityReport.objects.filter(round=reporting_round).select_related(
        "round", "cluster", "objective__vision"
    )
    if not permissions.can_review_reports(user):
        reports = reports.filter(cluster_id__in=permissions.user_cluster_ids(user))
    reports = list(reports.annotate(activity_count=Count("activities")))
    today = timezone.localdate()
    clusters = sorted({r.cluster for r in reports}, key=lambda a: a.name)
    objectives = sorted({r.objective for r in reports}, key=lambda o: (o.vision.order, o.order))
    by_key = {(r.objective_id, r.cluster_id): r for r in reports}
    overdue = {r.pk for r in reports if report_is_overdue(r, today)}
    rows = [
        CompletenessRow(
            objective=objective,
            cells=[
                CompletenessCell(report, report.pk in overdue) if report is not None else None
                for report in (by_key.get((objective.pk, cluster.pk)) for cluster in clusters)
            ],
        )
        for objective in objectives
    ]
    counts = {s: sum(1 for r in reports if r.status == s) for s in Status.values}
    return Completeness(
        round=reporting_round,
        clusters=clusters,
        rows=rows,
        counts=counts,
        overdue=len(overdue),
        total=len(reports),
    )


def report_activities(report: ActivityReport) -> list:
    """The report page's activities, in order, fetched once."""
    return list(report.activities.order_by("order", "id"))


def history(scope: str, limit: int = 200):
    """The audit trail shown on one page, newest first."""
    return list(AuditEvent.objects.filter(scope=scope).select_related("actor").order_by("-at", "-id")[:limit])


@dataclass
class ActivityStatusSummary:
    """The clusters' published (approved) activity status in an agreement's newest round up to a year."""

    year: int | None  # the round's year; None when no round has been opened
    cluster_count: int
    by_objective: dict[int, list[ActivityReport]]

    def report_of(self, objective_id: int, area) -> ActivityReport | None:
        """The approved report of `area` (a cluster) for the objective, or None (another kind of area, or no
        approved report from it)."""
        area_id = getattr(area, "pk", area)
        return next((r for r in self.by_objective.get(objective_id, []) if r.cluster_id == area_id), None)

    def note(self, objective_id: int) -> str:
        """One line for the objective on the agreement page: how many clusters have reported, and what."""
        if self.year is None:
            return gettext(
                "Opfølges med sundhedsklyngernes årlige aktivitetsstatus; der er endnu ingen runde."
            )
        reports = self.by_objective.get(objective_id, [])
        text = gettext("%(n)s af %(total)s klynger har en godkendt status for %(year)s") % {
            "n": len(reports),
            "total": self.cluster_count,
            "year": self.year,
        }
        if reports:
            text += ": " + "; ".join(f"{r.cluster.name}: {r.get_assessment_display()}" for r in reports)
        return text + "."


def activity_status_summary(agreement: Agreement, *, year: int | None = None) -> ActivityStatusSummary:
    """The approved reports of the agreement's newest round up to `year`, by objective. Three queries
    whatever the number of objectives or clusters."""
    rounds = ReportingRound.objects.filter(agreement=agreement)
    if year is not None:
        rounds = rounds.filter(year__lte=year)
    # The newest round with something published; a round just opened must not hide last year's statuses.
    latest = (
        rounds.annotate(approved=Count("reports", filter=Q(reports__status=Status.APPROVED)))
        .order_by(Case(When(approved__gt=0, then=0), default=1), "-year")
        .first()
    )
    cluster_count = Area.objects.filter(kind=Area.Kind.CLUSTER, parent_id=agreement.area_id).count()
    by_objective: dict[int, list[ActivityReport]] = {}
    if latest is not None:
        reports = (
            ActivityReport.objects.filter(round=latest, status=Status.APPROVED)
            .select_related("cluster")
            .order_by("cluster__name")
        )
        for report in reports:
            by_objective.setdefault(report.objective_id, []).append(report)
    return ActivityStatusSummary(
        year=latest.year if latest else None, cluster_count=cluster_count, by_objective=by_objective
    )


def approved_reports_for_cluster(cluster: Area):
    """A cluster's published activity status: its approved reports of each agreement's newest round."""
    reports = list(
        ActivityReport.objects.filter(cluster=cluster, status=Status.APPROVED)
        .select_related("round__agreement", "objective")
        .prefetch_related(Prefetch("activities", queryset=Activity.objects.order_by("order", "id")))
        .order_by("-round__year", "objective__vision__order", "objective__order")
    )
    newest = {}
    for report in reports:
        newest.setdefault(report.round.agreement_id, report.round.year)
    return [r for r in reports if r.round.year == newest[r.round.agreement_id]]
