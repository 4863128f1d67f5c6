"""Who may see and do what with activity reports, reporting rounds and histories. One helper per object
type, used by every view, form and service, so each rule lives in one place. Someone without access gets
404, never a hint that the object exists.

- SSU secretariat (`goals.review_activityreport`): sees every round and report, reviews, approves, reopens.
- Cluster secretariat (`goals.write_own_activityreport` + a `clusters.SecretariatAssignment`): sees and
  writes its own cluster's reports, drafts included; nobody else's.
- Everyone else (SSU members, analysts, visitors): approved reports only, as published on the dashboard.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404

from .models import ActivityReport, ReportingRound


def can_review_reports(user) -> bool:
    return user.is_authenticated and user.has_perm("goals.review_activityreport")


def user_cluster_ids(user) -> frozenset[int]:
    """The clusters whose reports this user writes (cached on the user object for the request)."""
    if not user.is_authenticated or not user.has_perm("goals.write_own_activityreport"):
        return frozenset()
    if not hasattr(user, "_cluster_ids"):
        user._cluster_ids = frozenset(user.cluster_assignments.values_list("cluster_id", flat=True))
    return user._cluster_ids


def can_use_reporting(user) -> bool:
    """Whether the reporting pages (rounds, own reports) are for this user at all."""
    return can_review_reports(user) or bool(user_cluster_ids(user))


def can_view_report(user, report: ActivityReport) -> bool:
    if report.status == ActivityReport.Status.APPROVED:
        return True
    return can_review_reports(user) or report.cluster_id in user_cluster_ids(user)


def can_see_report_history(user, report: ActivityReport) -> bool:
    """The report's audit trail holds every draft and review comment: the cluster's and reviewers' only."""
    return can_review_reports(user) or report.cluster_id in user_cluster_ids(user)


def can_edit_report(user, report: ActivityReport) -> bool:
    """Write the report's text and activities, and send it for review: its own cluster, while it is theirs."""
    return report.is_editable and report.cluster_id in user_cluster_ids(user)


def can_review_report(user, report: ActivityReport) -> bool:
    return can_review_reports(user) and report.is_in_review


def can_reopen_report(user, report: ActivityReport) -> bool:
    return can_review_reports(user) and report.status == ActivityReport.Status.APPROVED


def report_for_user(user, pk: int, *, check=can_view_report) -> ActivityReport:
    """The report with this id if `check(user, report)` allows it; 404 otherwise."""
    report = get_object_or_404(
        ActivityReport.objects.select_related(
            "round__agreement", "cluster", "objective__vision", "objective__focus_area", "updated_by"
        ),
        pk=pk,
    )
    if not check(user, report):
        raise Http404
    return report


def round_for_user(user, pk: int) -> ReportingRound:
    """A round's completeness overview: the SSU secretariat sees all of it; a cluster secretariat sees the
    rounds it has reports in (its own rows only, see selectors); others get 404."""
    if not can_use_reporting(user):
        raise Http404
    reporting_round = get_object_or_404(ReportingRound.objects.select_related("agreement"), pk=pk)
    if (
        not can_review_reports(user)
        and not reporting_round.reports.filter(cluster_id__in=user_cluster_ids(user)).exists()
    ):
        raise Http404
    return reporting_round


def can_open_rounds(user) -> bool:
    return can_review_reports(user)
