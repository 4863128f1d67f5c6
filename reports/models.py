"""The yearly status report to the SSU (and the midway and final status to Sundhedsstyrelsen).

A `StatusReport` is a draft, built from the live data every time it is shown, until the SSU secretariat
publishes it. Publishing stores everything the report shows as one canonical JSON text (`content`) with its
SHA-256, so nothing that happens later (uploads, rollbacks, target or text edits, a new status method)
changes what the committee was told. A published report is never edited or deleted: a correction is a new
report that supersedes it, with a reason, and both stay readable. Writes go through `reports.services`.
"""

import hashlib
import json

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from clusters.models import Area
from goals.models import Agreement


def canonical_json(data) -> str:
    """One text for one content: sorted keys, no insignificant whitespace, letters as they are (æøå). Stored
    as text, not as a JSON column, because PostgreSQL's jsonb reorders keys and the export must be the same
    bytes for as long as the report is published."""
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def _user_field(verbose_name):
    """Who did something to a report or batch. The record outlives the user's account (set to NULL), and
    nobody asks a user for their reports, so there is no reverse accessor."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )


def content_digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class StatusReport(models.Model):
    """One status report on one agreement, for one evaluation year, one area and one kind."""

    class Kind(models.TextChoices):
        ANNUAL = "annual", _("Årlig status")
        MIDWAY = "midway", _("Midtvejsstatus")
        FINAL = "final", _("Slutstatus")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Kladde")
        PUBLISHED = "published", _("Offentliggjort")
        SUPERSEDED = "superseded", _("Erstattet af en rettet udgave")

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("aftale"), on_delete=models.PROTECT, related_name="status_reports"
    )
    year = models.PositiveSmallIntegerField(_("vurderingsår"))
    area = models.ForeignKey(
        Area, verbose_name=_("område"), on_delete=models.PROTECT, related_name="status_reports"
    )
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, default=Kind.ANNUAL)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    foreword = models.TextField(_("forord"), blank=True)
    # {"<objective id>": "comment"}: the secretariat's optional comment per objective.
    objective_comments = models.JSONField(_("kommentarer til målsætninger"), default=dict, blank=True)
    # Empty while a draft; at publication the canonical JSON (see `canonical_json`) of everything shown.
    content = models.TextField(_("indhold"), blank=True)
    content_sha256 = models.CharField(_("SHA-256 af indholdet"), max_length=64, blank=True)
    supersedes = models.OneToOneField(
        "self",
        verbose_name=_("erstatter"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="superseded_by",
    )
    supersede_reason = models.TextField(_("begrundelse for rettelsen"), blank=True)
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)
    created_by = _user_field(_("oprettet af"))
    published_at = models.DateTimeField(_("offentliggjort"), null=True, blank=True)
    published_by = _user_field(_("offentliggjort af"))
    pdf = models.FileField(_("PDF"), upload_to="statusrapporter/", blank=True)
    # Why there is no PDF (the engine is not installed, or it failed); empty when there is one or it is coming.
    pdf_error = models.TextField(_("PDF-fejl"), blank=True)

    # Columns a published report may still change: its status (to superseded) and its PDF. Everything
    # else is frozen; the database refuses it too (migration 0002's triggers).
    MUTABLE_WHEN_PUBLISHED = frozenset({"status", "pdf", "pdf_error", "published_by"})

    class Meta:
        verbose_name = _("statusrapport")
        verbose_name_plural = _("statusrapporter")
        ordering = ["-year", "agreement__slug", "kind", "area__code", "-published_at"]
        permissions = [("publish_statusreport", _("Kan offentliggøre statusrapporter"))]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "year", "area", "kind"],
                condition=Q(status="published"),
                name="status_report_one_published",
            ),
            models.UniqueConstraint(
                fields=["agreement", "year", "area", "kind"],
                condition=Q(status="draft"),
                name="status_report_one_draft",
            ),
            models.CheckConstraint(
                name="status_report_published_has_content",
                condition=Q(status="draft", published_at__isnull=True, content="")
                | (
                    ~Q(status="draft")
                    & Q(published_at__isnull=False)
                    & ~Q(content="")
                    & ~Q(content_sha256="")
                ),
            ),
            models.CheckConstraint(
                name="status_report_correction_has_reason",
                condition=Q(supersedes__isnull=True) | ~Q(supersede_reason=""),
            ),
            models.CheckConstraint(
                name="status_report_year_range", condition=Q(year__gte=1990, year__lte=2100)
            ),
        ]
        indexes = [
            # The published reports of one agreement (its list, the agreement and area pages' links).
            models.Index(fields=["agreement", "status", "-year"], name="status_report_agreement_idx"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.year}: {self.agreement} – {self.area}"

    def save(self, *args, **kwargs):
        """Refuse to change a published report's frozen columns (the services never try; the admin and
        stray code must not either)."""
        if self.pk is not None:
            stored = StatusReport.objects.filter(pk=self.pk).values("status", "content_sha256").first()
            if stored and stored["status"] != self.Status.DRAFT:
                fields = kwargs.get("update_fields")
                if fields is None or not set(fields) <= self.MUTABLE_WHEN_PUBLISHED:
                    raise FrozenReportError(self)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("reports:detail", args=[self.pk])

    def delete(self, *args, **kwargs):
        if self.is_frozen:
            raise FrozenReportError(self)
        return super().delete(*args, **kwargs)

    # The audit trail (goals.audit.scope_of asks for this, so goals need not import reports).
    @property
    def audit_scope(self) -> str:
        return f"statusreport:{self.pk}"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_frozen(self) -> bool:
        return self.status != self.Status.DRAFT

    @property
    def content_data(self) -> dict:
        return json.loads(self.content) if self.content else {}


class FrozenReportError(Exception):
    """Something tried to change or delete a published report."""

    def __init__(self, report):
        super().__init__(
            f"Statusrapport {report.pk} er offentliggjort og kan ikke ændres eller slettes; "
            "ret den med en ny udgave, der erstatter den."
        )


class ReportBatch(models.Model):
    """One "every area in one go" run: the year's report for the agreement's region, each cluster and each
    municipality, created and published by a background task that counts its progress here."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("I kø")
        RUNNING = "running", _("I gang")
        DONE = "done", _("Færdig")
        FAILED = "failed", _("Fejlet")

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("aftale"), on_delete=models.PROTECT, related_name="report_batches"
    )
    year = models.PositiveSmallIntegerField(_("vurderingsår"))
    kind = models.CharField(
        _("type"), max_length=20, choices=StatusReport.Kind.choices, default=StatusReport.Kind.ANNUAL
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.QUEUED)
    # Steps: one per area to publish, one per PDF to render.
    steps_total = models.PositiveIntegerField(_("trin i alt"), default=0)
    steps_done = models.PositiveIntegerField(_("trin udført"), default=0)
    error = models.TextField(_("fejl"), blank=True)
    reports = models.ManyToManyField(StatusReport, verbose_name=_("rapporter"), blank=True, related_name="+")
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)
    created_by = _user_field(_("oprettet af"))
    finished_at = models.DateTimeField(_("færdig"), null=True, blank=True)

    class Meta:
        verbose_name = _("samlet kørsel af statusrapporter")
        verbose_name_plural = _("samlede kørsler af statusrapporter")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                name="report_batch_steps_within_total", condition=Q(steps_done__lte=models.F("steps_total"))
            ),
        ]

    def __str__(self):
        return f"{self.agreement} {self.year} ({self.get_kind_display()})"

    def get_absolute_url(self):
        return reverse("reports:batch_detail", args=[self.pk])

    @property
    def progress(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return int(100 * self.steps_done / self.steps_total) if self.steps_total else 0

    @property
    def is_working(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)
