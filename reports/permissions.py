"""Who may see and do what with status reports. One helper per object type, used by every view, so each
rule lives in one place. Someone without access gets 404, never a hint that the object exists.

- SSU secretariat (`reports.add_statusreport` and `reports.publish_statusreport`): creates drafts, writes
  their foreword and comments, publishes, corrects, runs every area in one go.
- Everyone else, the public included: published reports (and the superseded versions they replaced).
"""

from django.http import Http404
from django.shortcuts import get_object_or_404

from .models import ReportBatch, StatusReport


def can_write_reports(user) -> bool:
    return user.is_authenticated and user.has_perm("reports.add_statusreport")


def can_publish_reports(user) -> bool:
    return user.is_authenticated and user.has_perm("reports.publish_statusreport")


def can_view_report(user, report: StatusReport) -> bool:
    return report.is_frozen or can_write_reports(user)


def report_for_user(user, pk: int, *, check=can_view_report) -> StatusReport:
    """The report with this id if `check(user, report)` allows it; 404 otherwise."""
    report = get_object_or_404(
        StatusReport.objects.select_related(
            "agreement__area", "area", "published_by", "created_by", "supersedes", "superseded_by"
        ),
        pk=pk,
    )
    if not check(user, report):
        raise Http404
    return report


def can_edit_report(user, report: StatusReport) -> bool:
    return report.is_draft and can_write_reports(user)


def can_publish_report(user, report: StatusReport) -> bool:
    return report.is_draft and can_publish_reports(user)


def can_correct_report(user, report: StatusReport) -> bool:
    return report.status == StatusReport.Status.PUBLISHED and can_publish_reports(user)


def batch_for_user(user, pk: int) -> ReportBatch:
    """A run over every area: the secretariat's only."""
    if not can_publish_reports(user):
        raise Http404
    return get_object_or_404(ReportBatch.objects.select_related("agreement"), pk=pk)
