"""Writes for the clusters' activity status: opening rounds, saving and sending reports, reviewing them,
and the reminders before a deadline. Every step checks permission through `goals.permissions`, runs in
one transaction and leaves an event in the audit trail.

Workflow of a report: draft -> submitted -> (returned with a comment -> resubmitted)* -> approved (locked);
an approved report can be reopened with a reason, which sends it back to the cluster as returned.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from clusters.models import Area, SecretariatAssignment

from .. import permissions
from ..audit import audit_record, danish, display
from ..models import Activity, ActivityReport, Agreement, AuditEvent, Measure, Objective, ReportingRound
from ..selectors.page_cache import page_data_changed

Status = ActivityReport.Status


class ReportConflict(Exception):
    """The report was saved elsewhere after this page was loaded; saving would overwrite newer text."""


@dataclass
class ActivityInput:
    """One activity row as the form sends it; `id` is None for a new row."""

    title: str
    description: str = ""
    status: str = Activity.Status.PLANNED
    partners: list[str] = field(default_factory=list)
    link: str = ""
    id: int | None = None
    key: str = ""  # the form row's prefix, so autosave can tell the page which id a new row got


def activity_objectives(agreement: Agreement):
    """The objectives of an agreement that are followed up by the clusters' activity status."""
    return (
        Objective.objects.filter(vision__agreement=agreement, measures__kind=Measure.Kind.ACTIVITY_STATUS)
        .distinct()
        .order_by("vision__order", "order")
    )


def agreement_clusters(agreement: Agreement):
    return Area.objects.filter(kind=Area.Kind.CLUSTER, parent=agreement.area).order_by("name")


@transaction.atomic
def reporting_round_open(
    *,
    agreement: Agreement,
    year: int,
    deadline,
    user,
    reminder_days: int = 14,
    note: str = "",
    copy_previous=True,
) -> ReportingRound:
    """Open a round: one draft report per cluster and activity-followed objective. With `copy_previous`,
    each report starts from the activities the same cluster reported for the same objective in the latest
    earlier round, except those it reported as finished."""
    if not permissions.can_open_rounds(user):
        raise PermissionDenied
    objectives = list(activity_objectives(agreement))
    clusters = list(agreement_clusters(agreement))
    if not objectives or not clusters:
        raise ValidationError(
            _("Aftalen har ingen målsætninger, som klyngerne rapporterer aktivitetsstatus på.")
        )
    if ReportingRound.objects.filter(agreement=agreement, year=year).exists():
        raise ValidationError(_("Der er allerede en rapporteringsrunde for %(year)s.") % {"year": year})
    try:
        with transaction.atomic():
            reporting_round = ReportingRound.objects.create(
                agreement=agreement,
                year=year,
                deadline=deadline,
                reminder_days=reminder_days,
                note=note,
                opened_by=user,
            )
    except IntegrityError:  # opened at the same moment in another tab
        raise ValidationError(
            _("Der er allerede en rapporteringsrunde for %(year)s.") % {"year": year}
        ) from None
    reports = ActivityReport.objects.bulk_create(
        ActivityReport(round=reporting_round, cluster=c, objective=o, updated_by=user)
        for o in objectives
        for c in clusters
    )
    if copy_previous:
        previous = ReportingRound.objects.filter(agreement=agreement, year__lt=year).order_by("-year").first()
        if previous:
            by_key = {(r.cluster_id, r.objective_id): r for r in reports}
            copies = []
            for old in (
                Activity.objects.filter(report__round=previous)
                .select_related("report")
                .exclude(status=Activity.Status.FINISHED)
            ):
                report = by_key.get((old.report.cluster_id, old.report.objective_id))
                if report is not None:
                    copies.append(
                        Activity(
                            report=report,
                            order=old.order,
                            title=old.title,
                            description=old.description,
                            status=old.status,
                            partners=old.partners,
                            link=old.link,
                        )
                    )
            Activity.objects.bulk_create(copies)
    audit_record(
        obj=agreement,
        action=AuditEvent.Action.CREATED,
        changes={"Rapporteringsrunde": ["", f"{year}, frist {deadline:%d.%m.%Y}"]},
        actor=user,
    )
    return reporting_round


def _activity_line(a) -> str:
    """One activity as the history shows it (in Danish, like the rest of the trail): every field, so any
    edit shows as a difference."""
    with translation.override("da"):
        labels = dict(Activity.Status.choices)
        partners = ", ".join(str(p) for p in Activity(partners=a.partners).partner_labels)
        details = "; ".join(
            x for x in (str(labels.get(a.status, a.status)), partners, a.description[:200], a.link) if x
        )
    return f"{a.title} ({details})"


@transaction.atomic
def activity_report_save(
    *, report_id: int, user, version: int, assessment: str, narrative: str, activities: list[ActivityInput]
) -> tuple[ActivityReport, dict[str, int]]:
    """Save the cluster's text and activities as they stand (a draft may be incomplete). The activity list
    is the whole list in order: rows with the id of one of this report's activities update it, other rows
    are new, and the report's activities missing from the list are deleted. Returns the report and
    {row key: activity id}.

    Refused with ReportConflict if `version` is not the stored one (another tab or person saved since),
    and with PermissionDenied if the user may not edit the report."""
    report = ActivityReport.objects.select_for_update().get(pk=report_id)
    if not permissions.can_edit_report(user, report):
        raise PermissionDenied
    if report.version != version:
        raise ReportConflict
    existing = {a.pk: a for a in report.activities.all()}

    changes = {}
    assessment_labels = dict(ActivityReport.Assessment.choices)
    if report.assessment != assessment:
        changes["Samlet vurdering"] = [
            danish(assessment_labels.get(report.assessment, "")),
            danish(assessment_labels.get(assessment, "")),
        ]
    if report.narrative != narrative:
        changes["Beskrivelse af status"] = [display(report.narrative), display(narrative)]
    # Before the loop below changes these objects in place.
    before = {a.pk: (a.title, _activity_line(a)) for a in existing.values()}

    ids, kept = {}, set()
    for order, row in enumerate(activities):
        values = {
            "order": order,
            "title": row.title,
            "description": row.description,
            "status": row.status,
            "partners": row.partners,
            "link": row.link,
        }
        if row.id not in existing:
            # A new row; also a row whose activity is gone (deleted by an earlier autosave, then un-ticked,
            # or removed in another tab) or an id from another report (a forged form): the text is kept
            # as a new activity of this report, and nothing outside this report is touched.
            activity = Activity.objects.create(report=report, **values)
        else:
            activity = existing[row.id]
            if any(getattr(activity, k) != v for k, v in values.items()):
                for k, v in values.items():
                    setattr(activity, k, v)
                activity.save()
        kept.add(activity.pk)
        ids[row.key] = activity.pk
    Activity.objects.filter(report=report).exclude(pk__in=kept).delete()
    # One entry per activity added, changed or removed, named by its title, so the history shows which.
    after = {a.pk: (a.title, _activity_line(a)) for a in report.activities.order_by("order", "id")}
    for pk in [*before, *(pk for pk in after if pk not in before)]:
        old, new = before.get(pk, ("", "")), after.get(pk, ("", ""))
        if old[1] != new[1]:
            changes[f"Aktivitet: {new[0] or old[0]}"] = [display(old[1]), display(new[1])]

    report.assessment, report.narrative = assessment, narrative
    report.updated_by = user
    report.version += 1
    report.save()
    if changes:
        audit_record(obj=report, action=AuditEvent.Action.CHANGED, changes=changes, actor=user, coalesce=True)
    return report, ids


def submission_problems(report: ActivityReport) -> list[str]:
    """What is missing before a report can be sent for review (Danish, for the page)."""
    problems = []
    if not report.assessment:
        problems.append(_("Vælg en samlet vurdering."))
    if not report.narrative.strip():
        problems.append(_("Skriv en beskrivelse af status."))
    if not report.activities.exists():
        problems.append(_("Tilføj mindst én aktivitet."))
    return problems


@transaction.atomic
def activity_report_submit(*, report_id: int, user) -> ActivityReport:
    report = ActivityReport.objects.select_for_update().get(pk=report_id)
    if not permissions.can_edit_report(user, report):
        raise PermissionDenied
    problems = submission_problems(report)
    if problems:
        raise ValidationError(problems)
    resubmission = report.status == Status.RETURNED
    old = danish(report.get_status_display())
    report.status = Status.RESUBMITTED if resubmission else Status.SUBMITTED
    report.submitted_at = timezone.now()
    report.updated_by = user
    report.version += 1
    report.save()
    action = AuditEvent.Action.RESUBMITTED if resubmission else AuditEvent.Action.SUBMITTED
    audit_record(
        obj=report, action=action, changes={"Status": [old, danish(report.get_status_display())]}, actor=user
    )
    return report


def _review(report_id: int, user, *, allowed, new_status, action, comment="", require_comment=False):
    report = ActivityReport.objects.select_for_update().get(pk=report_id)
    if not allowed(user, report):
        raise PermissionDenied
    comment = comment.strip()
    if require_comment and not comment:
        raise ValidationError(_("Skriv en kommentar til klyngen."))
    old, old_status = danish(report.get_status_display()), report.status
    report.status = new_status
    if new_status == Status.APPROVED:
        report.approved_at = timezone.now()
    else:
        report.approved_at = None
        report.review_comment = comment
        report.reminder_sent_at = None  # with the cluster again: remind it again before the deadline
    report.updated_by = user
    report.version += 1
    report.save()
    if Status.APPROVED in (old_status, new_status):
        # Published or withdrawn: the agreement and cluster pages show approved reports.
        page_data_changed()
    audit_record(
        obj=report,
        action=action,
        changes={"Status": [old, danish(report.get_status_display())]},
        comment=comment,
        actor=user,
    )
    return report


@transaction.atomic
def activity_report_return(*, report_id: int, user, comment: str) -> ActivityReport:
    """Send a submitted report back to the cluster with a comment saying what to change."""
    return _review(
        report_id,
        user,
        allowed=permissions.can_review_report,
        new_status=Status.RETURNED,
        action=AuditEvent.Action.RETURNED,
        comment=comment,
        require_comment=True,
    )


@transaction.atomic
def activity_report_approve(*, report_id: int, user, comment: str = "") -> ActivityReport:
    """Approve and lock: the report is published on the cluster's pages and the objective's status."""
    return _review(
        report_id,
        user,
        allowed=permissions.can_review_report,
        new_status=Status.APPROVED,
        action=AuditEvent.Action.APPROVED,
        comment=comment,
    )


@transaction.atomic
def activity_report_reopen(*, report_id: int, user, reason: str) -> ActivityReport:
    """Unlock an approved report, with the reason, and give it back to the cluster."""
    return _review(
        report_id,
        user,
        allowed=permissions.can_reopen_report,
        new_status=Status.RETURNED,
        action=AuditEvent.Action.REOPENED,
        comment=reason,
        require_comment=True,
    )


def reporting_reminders_send(*, today=None) -> int:
    """E-mail each cluster secretariat whose reports are still with them when their round's deadline is
    `reminder_days` away or less (or passed). Once per report: the report is claimed by a conditional
    update, and the claim is undone if the mail cannot be sent. Returns the number of e-mails sent."""
    today = today or timezone.localdate()
    due = (
        ActivityReport.objects.filter(status__in=ActivityReport.EDITABLE, reminder_sent_at__isnull=True)
        .select_related("round__agreement", "cluster", "objective")
        .order_by("cluster_id", "round_id")
    )
    by_cluster: dict[int, list[ActivityReport]] = {}
    for report in due:
        first_day = report.round.deadline - timezone.timedelta(days=report.round.reminder_days)
        if today >= first_day:
            by_cluster.setdefault(report.cluster_id, []).append(report)
    sent = 0
    for cluster_id, reports in by_cluster.items():
        recipients = sorted(
            {
                a.user.email
                for a in SecretariatAssignment.objects.filter(cluster_id=cluster_id, user__is_active=True)
                .exclude(user__email="")
                .select_related("user")
            }
        )
        if not recipients:
            continue
        with transaction.atomic():
            now = timezone.now()
            claimed = [
                r
                for r in reports
                if ActivityReport.objects.filter(pk=r.pk, reminder_sent_at__isnull=True).update(
                    reminder_sent_at=now
                )
            ]
            if not claimed:
                continue
            send_mail(
                _reminder_subject(claimed),
                _reminder_body(claimed, today),
                settings.DEFAULT_FROM_EMAIL,
                recipients,
            )
            sent += 1
    return sent


def _reminder_subject(reports) -> str:
    first = reports[0].round
    return _("Påmindelse: aktivitetsstatus til %(agreement)s skal indsendes senest %(deadline)s") % {
        "agreement": first.agreement.title,
        "deadline": first.deadline.strftime("%d.%m.%Y"),
    }


def _reminder_body(reports, today) -> str:
    lines = [
        _("Kære klyngesekretariat for %(cluster)s") % {"cluster": reports[0].cluster.name},
        "",
        _("Følgende aktivitetsrapporter er endnu ikke sendt til godkendelse:"),
    ]
    for report in reports:
        overdue = _(" (fristen er overskredet)") if report.round.deadline < today else ""
        lines.append(
            f"- {report.round.year}: {report.objective.text[:120]} — "
            + _("frist %(deadline)s") % {"deadline": report.round.deadline.strftime("%d.%m.%Y")}
            + overdue
            + f"\n  {settings.SITE_URL}{report.get_absolute_url()}"
        )
    lines += ["", _("Venlig hilsen"), _("SSU-sekretariatet")]
    return "\n".join(lines)
