"""Writes for status reports: create a draft, write its foreword and comments, publish, correct, render the
PDF, and run every area of an agreement in one go. Every step is recorded in the audit trail."""

import logging

import kombu.exceptions
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from clusters.models import Area
from goals.audit import audit_record
from goals.models import Agreement, AuditEvent
from goals.progress import in_danish
from goals.selectors import page_data_changed

from . import pdf, rendering, selectors
from .models import ReportBatch, StatusReport, canonical_json, content_digest

logger = logging.getLogger(__name__)

Status = StatusReport.Status


def _status_change(before: str, after: str) -> dict:
    # The trail is written once, in Danish, whatever language the secretary uses (goals.audit).
    return {"Status": [in_danish(Status(before).label), in_danish(Status(after).label)]}


def status_report_create(
    *,
    agreement: Agreement,
    year: int,
    area: Area | None = None,
    kind: str = StatusReport.Kind.ANNUAL,
    user=None,
) -> StatusReport:
    """A draft report for the agreement, year, area (the agreement's own by default) and kind; the existing
    draft when there is one (there is at most one per agreement, year, area and kind)."""
    area = area or agreement.area
    if area.pk not in {a.pk for a in selectors.report_areas(agreement)}:
        raise ValidationError(_("%(area)s er ikke et af aftalens områder.") % {"area": area.name})
    if not agreement.first_year - 1 <= year <= agreement.last_year + 1:
        raise ValidationError(
            _("Vurderingsåret skal ligge i aftalens periode (%(first)s-%(last)s).")
            % {"first": agreement.first_year, "last": agreement.last_year}
        )
    if kind not in StatusReport.Kind.values:
        raise ValidationError(_("Ukendt rapporttype %(kind)s.") % {"kind": kind})
    with transaction.atomic():
        report, created = StatusReport.objects.get_or_create(
            agreement=agreement,
            year=year,
            area=area,
            kind=kind,
            status=Status.DRAFT,
            defaults={"created_by": user if getattr(user, "is_authenticated", False) else None},
        )
        if created:
            audit_record(obj=report, action=AuditEvent.Action.CREATED, actor=_actor(user))
    return report


def _actor(user):
    return user if getattr(user, "is_authenticated", False) else None


def status_report_update(*, report_id: int, user, foreword: str, comments: dict[str, str]) -> StatusReport:
    """The draft's foreword and its comments per objective (empty comments are dropped)."""
    with transaction.atomic():
        report = StatusReport.objects.select_for_update().get(pk=report_id)
        if not report.is_draft:
            raise ValidationError(
                _("Rapporten er offentliggjort og kan ikke ændres; ret den med en ny udgave.")
            )
        comments = {str(k): v.strip() for k, v in comments.items() if v and v.strip()}
        changes = {}
        if report.foreword != foreword.strip():
            changes["Forord"] = [report.foreword, foreword.strip()]
        if report.objective_comments != comments:
            changes["Kommentarer til målsætninger"] = [
                "\n".join(report.objective_comments.values()),
                "\n".join(comments.values()),
            ]
        report.foreword, report.objective_comments = foreword.strip(), comments
        report.save(update_fields=["foreword", "objective_comments"])
        if changes:
            audit_record(
                obj=report,
                action=AuditEvent.Action.CHANGED,
                changes=changes,
                actor=_actor(user),
                coalesce=True,
            )
    return report


def status_report_publish(*, report_id: int, user=None, render_pdf: bool = True) -> StatusReport:
    """Store the draft's content as it reads now, with its SHA-256, and publish it. A correction replaces
    the report it supersedes in the same transaction. The PDF is rendered afterwards by a task."""
    with transaction.atomic():
        report = (
            StatusReport.objects.select_for_update().select_related("agreement", "area").get(pk=report_id)
        )
        if not report.is_draft:
            raise ValidationError(_("Rapporten er allerede offentliggjort."))
        now = timezone.now()
        content = selectors.report_live_content(report)
        content["published_at"] = timezone.localtime(now).isoformat(timespec="seconds")
        content["supersedes"] = (
            {"id": report.supersedes_id, "reason": report.supersede_reason} if report.supersedes_id else None
        )
        text = canonical_json(content)
        if report.supersedes_id:
            replaced = StatusReport.objects.filter(pk=report.supersedes_id, status=Status.PUBLISHED).update(
                status=Status.SUPERSEDED
            )
            if replaced != 1:
                raise ValidationError(
                    _("Den rapport, der skulle rettes, er ikke længere den offentliggjorte.")
                )
            old = StatusReport.objects.get(pk=report.supersedes_id)
            audit_record(
                obj=old,
                action=AuditEvent.Action.CHANGED,
                changes=_status_change(Status.PUBLISHED, Status.SUPERSEDED),
                comment=report.supersede_reason,
                actor=_actor(user),
            )
        # Claimed by a conditional update, so two clicks (or two workers) publish once.
        claimed = StatusReport.objects.filter(pk=report.pk, status=Status.DRAFT).update(
            status=Status.PUBLISHED,
            content=text,
            content_sha256=content_digest(text),
            published_at=now,
            published_by=_actor(user),
        )
        if claimed != 1:
            raise ValidationError(_("Rapporten er allerede offentliggjort."))
        report.refresh_from_db()
        audit_record(
            obj=report,
            action=AuditEvent.Action.CHANGED,
            changes=_status_change(Status.DRAFT, Status.PUBLISHED),
            comment=f"SHA-256 {report.content_sha256}",
            actor=_actor(user),
        )
        # The agreement and area pages list published reports inside their cached fragments.
        page_data_changed()
        if render_pdf:
            from .tasks import status_report_pdf_task

            report_pk = report.pk
            transaction.on_commit(lambda: _send(status_report_pdf_task, report_pk))
    return report


def status_report_correct(*, report_id: int, user, reason: str) -> StatusReport:
    """A new draft that will supersede the published report once published; the foreword and comments are
    carried over. The published report stays as it is until then."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Skriv, hvorfor rapporten rettes."))
    with transaction.atomic():
        old = StatusReport.objects.select_for_update().get(pk=report_id)
        if old.status != Status.PUBLISHED:
            raise ValidationError(_("Kun den offentliggjorte udgave kan rettes."))
        if StatusReport.objects.filter(
            agreement_id=old.agreement_id,
            year=old.year,
            area_id=old.area_id,
            kind=old.kind,
            status=Status.DRAFT,
        ).exists():
            raise ValidationError(
                _("Der findes allerede en kladde til denne rapport; offentliggør eller slet den først.")
            )
        report = StatusReport.objects.create(
            agreement_id=old.agreement_id,
            year=old.year,
            area_id=old.area_id,
            kind=old.kind,
            foreword=old.foreword,
            objective_comments=old.objective_comments,
            supersedes=old,
            supersede_reason=reason,
            created_by=_actor(user),
        )
        audit_record(obj=report, action=AuditEvent.Action.CREATED, comment=reason, actor=_actor(user))
    return report


def status_report_delete(*, report_id: int, user) -> None:
    """Delete a draft; a published report is never deleted."""
    with transaction.atomic():
        report = StatusReport.objects.select_for_update().get(pk=report_id)
        if not report.is_draft:
            raise ValidationError(_("En offentliggjort rapport kan ikke slettes; ret den med en ny udgave."))
        audit_record(obj=report, action=AuditEvent.Action.DELETED, actor=_actor(user))
        report.delete()


def status_report_pdf_render(*, report_id: int, printer=None) -> StatusReport:
    """Print the published report's stored content to PDF and keep it with the report. Without the engine the
    report says why, and its page offers print instead. Safe to run twice: a second run replaces the file."""
    report = StatusReport.objects.select_related("agreement", "area").get(pk=report_id)
    if not report.is_frozen:
        raise ValidationError(_("Kun en offentliggjort rapport får en PDF."))
    html = rendering.report_document_html(report, report.content_data)
    try:
        data = printer.pdf(html) if printer is not None else pdf.html_to_pdf(html)
    except pdf.PdfEngineMissing as missing:
        StatusReport.objects.filter(pk=report.pk).update(pdf_error=str(missing))
        report.pdf_error = str(missing)
        return report
    name = f"statusrapport-{report.agreement.slug}-{report.year}-{report.area.code}-{report.kind}-{report.pk}.pdf"
    old_name = report.pdf.name
    report.pdf.save(name, ContentFile(data), save=False)
    report.pdf_error = ""
    report.save(update_fields=["pdf", "pdf_error"])
    if old_name and old_name != report.pdf.name:
        report.pdf.storage.delete(old_name)
    return report


# Every area in one go.


def report_batch_create(*, agreement: Agreement, year: int, kind: str, user) -> ReportBatch:
    """Queue the year's report for the region, each cluster and each municipality; a task publishes them and
    renders their PDFs, counting progress on the batch."""
    areas = selectors.report_areas(agreement)
    if not agreement.first_year - 1 <= year <= agreement.last_year + 1:
        raise ValidationError(
            _("Vurderingsåret skal ligge i aftalens periode (%(first)s-%(last)s).")
            % {"first": agreement.first_year, "last": agreement.last_year}
        )
    batch = ReportBatch.objects.create(
        agreement=agreement, year=year, kind=kind, steps_total=2 * len(areas), created_by=_actor(user)
    )
    from .tasks import report_batch_task

    transaction.on_commit(lambda: _send(report_batch_task, batch.pk))
    return batch


def report_batch_run(*, batch_id: int) -> ReportBatch:
    """Create (or reuse the draft of) and publish the report of every area that has no published one yet, then
    render every PDF with one Chromium. Safe to run twice: the batch is claimed, and published reports are kept."""
    claimed = ReportBatch.objects.filter(pk=batch_id, status=ReportBatch.Status.QUEUED).update(
        status=ReportBatch.Status.RUNNING
    )
    batch = ReportBatch.objects.select_related("agreement__area", "created_by").get(pk=batch_id)
    if not claimed:
        return batch
    try:
        reports = []
        for area in selectors.report_areas(batch.agreement):
            published = StatusReport.objects.filter(
                agreement=batch.agreement,
                year=batch.year,
                area=area,
                kind=batch.kind,
                status=Status.PUBLISHED,
            ).first()
            if published is None:
                draft = status_report_create(
                    agreement=batch.agreement,
                    year=batch.year,
                    area=area,
                    kind=batch.kind,
                    user=batch.created_by,
                )
                published = status_report_publish(report_id=draft.pk, user=batch.created_by, render_pdf=False)
            reports.append(published)
            batch.reports.add(published)
            _step(batch)
        _render_pdfs(batch, reports)
    except Exception as error:
        logger.exception("Report batch %s failed", batch_id)
        ReportBatch.objects.filter(pk=batch_id).update(
            status=ReportBatch.Status.FAILED,
            error=f"{type(error).__name__}: {error}",
            finished_at=timezone.now(),
        )
        raise
    ReportBatch.objects.filter(pk=batch_id).update(
        status=ReportBatch.Status.DONE, steps_done=F("steps_total"), finished_at=timezone.now()
    )
    batch.refresh_from_db()
    return batch


def _step(batch: ReportBatch) -> None:
    ReportBatch.objects.filter(pk=batch.pk, steps_done__lt=F("steps_total")).update(
        steps_done=F("steps_done") + 1
    )


def _render_pdfs(batch: ReportBatch, reports: list[StatusReport]) -> None:
    """All PDFs with one Chromium (starting it costs a second per report otherwise), each saved and counted as
    soon as it is printed so the progress bar moves."""
    if missing := pdf.engine_missing():
        StatusReport.objects.filter(pk__in=[r.pk for r in reports], pdf="").update(pdf_error=missing)
        return
    with pdf.PdfPrinter() as printer:
        for report in reports:
            with pdf.orm_allowed():
                status_report_pdf_render(report_id=report.pk, printer=printer)
                _step(batch)


# No job stuck without a way forward.


def _send(task, pk: int) -> bool:
    """Send a task after the commit. With the broker down the request must not fail after its work is stored:
    the report or batch is left as it is, and `reports_watch` sends the task once the broker is back."""
    try:
        task.delay(pk)
    except kombu.exceptions.OperationalError:
        logger.warning("Broker unavailable: %s for %s waits for reports_watch", task.name, pk)
        return False
    return True


def reports_watch(*, stall_seconds: int | None = None) -> dict[str, int]:
    """The beat job: a published report without its PDF (the task was never sent, or its worker died) gets its
    task again; a batch never started is sent again; a batch running far longer than a task may run (its
    worker died) is marked failed with a Danish reason, so the secretariat can start a new one (published
    reports are kept, so that one only does what is left). Sending twice is harmless: the PDF is rendered
    again, and a batch is claimed before it runs. Returns how many of each were handled."""
    from .tasks import report_batch_task, status_report_pdf_task

    stall_seconds = settings.UPLOAD_STALL_SECONDS if stall_seconds is None else stall_seconds
    cutoff = timezone.now() - timezone.timedelta(seconds=stall_seconds)
    counts = {"pdfs": 0, "batches": 0, "failed": 0}
    waiting = StatusReport.objects.filter(
        status__in=[Status.PUBLISHED, Status.SUPERSEDED], pdf="", pdf_error="", published_at__lt=cutoff
    )
    for report_id in waiting.values_list("pk", flat=True):
        counts["pdfs"] += _send(status_report_pdf_task, report_id)
    for batch_id in ReportBatch.objects.filter(
        status=ReportBatch.Status.QUEUED, created_at__lt=cutoff
    ).values_list("pk", flat=True):
        counts["batches"] += _send(report_batch_task, batch_id)
    counts["failed"] = ReportBatch.objects.filter(
        status=ReportBatch.Status.RUNNING,
        created_at__lt=timezone.now()
        - timezone.timedelta(seconds=stall_seconds + settings.CELERY_TASK_TIME_LIMIT),
    ).update(
        status=ReportBatch.Status.FAILED,
        error=_(
            "Kørslen stoppede uventet (serveren blev genstartet). Start en ny kørsel; "
            "de rapporter, der allerede er offentliggjort, beholdes."
        ),
        finished_at=timezone.now(),
    )
    if any(counts.values()):
        logger.info("Reports watched: %s", counts)
    return counts
