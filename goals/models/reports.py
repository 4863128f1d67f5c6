"""The clusters' yearly activity status: reporting rounds, reports and their activities.

The SSU secretariat opens a `ReportingRound` for an agreement and a year; each health cluster then has one
`ActivityReport` per objective followed up by activity status, which its secretariat fills in with
`Activity` rows, an overall assessment and a narrative, and sends for review. Writes go through
`goals.services.reporting`, permissions through `goals.permissions`.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from clusters.models import Area

from .agreements import Agreement, Objective


class ReportingRound(models.Model):
    """One year's request to the clusters for a status on their activities under one agreement."""

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("aftale"), on_delete=models.CASCADE, related_name="reporting_rounds"
    )
    year = models.PositiveSmallIntegerField(_("år"))
    deadline = models.DateField(_("frist"))
    # Reminders go out this many days before the deadline (Celery beat, goals.tasks).
    reminder_days = models.PositiveSmallIntegerField(_("påmindelse dage før fristen"), default=14)
    note = models.TextField(_("besked til klyngerne"), blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("åbnet af"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    opened_at = models.DateTimeField(_("åbnet"), auto_now_add=True)

    class Meta:
        verbose_name = _("rapporteringsrunde")
        verbose_name_plural = _("rapporteringsrunder")
        ordering = ["-year", "agreement__slug"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "year"], name="round_unique_agreement_year"),
        ]

    def __str__(self):
        return f"{self.agreement} – {self.year}"

    def get_absolute_url(self):
        return reverse("goals:round_detail", args=[self.pk])


class ActivityReport(models.Model):
    """One cluster's status on its activities for one objective in one reporting round."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Kladde")
        SUBMITTED = "submitted", _("Indsendt")
        RETURNED = "returned", _("Sendt retur")
        RESUBMITTED = "resubmitted", _("Genindsendt")
        APPROVED = "approved", _("Godkendt")

    class Assessment(models.TextChoices):
        ON_PLAN = "on_plan", _("På plan")
        PARTLY = "partly_on_plan", _("Delvist på plan")
        NOT_ON_PLAN = "not_on_plan", _("Ikke på plan")

    # The cluster's secretariat may write while the report is with them; the SSU secretariat reviews
    # while it is with the secretariat; an approved report is locked until it is reopened.
    EDITABLE = (Status.DRAFT, Status.RETURNED)
    IN_REVIEW = (Status.SUBMITTED, Status.RESUBMITTED)

    round = models.ForeignKey(
        ReportingRound, verbose_name=_("runde"), on_delete=models.CASCADE, related_name="reports"
    )
    cluster = models.ForeignKey(
        Area,
        verbose_name=_("sundhedsklynge"),
        on_delete=models.PROTECT,
        related_name="activity_reports",
        limit_choices_to={"kind": Area.Kind.CLUSTER},
    )
    objective = models.ForeignKey(
        Objective, verbose_name=_("målsætning"), on_delete=models.CASCADE, related_name="activity_reports"
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    assessment = models.CharField(
        _("samlet vurdering"), max_length=20, choices=Assessment.choices, blank=True
    )
    narrative = models.TextField(_("beskrivelse af status"), blank=True)
    # The SSU secretariat's latest comment when returning or reopening; shown to the cluster.
    review_comment = models.TextField(_("kommentar fra SSU-sekretariatet"), blank=True)
    # Bumped on every save, so a save from a stale page (another tab, another person) is refused
    # instead of silently overwriting newer text.
    version = models.PositiveIntegerField(_("version"), default=1)
    submitted_at = models.DateTimeField(_("indsendt"), null=True, blank=True)
    approved_at = models.DateTimeField(_("godkendt"), null=True, blank=True)
    updated_at = models.DateTimeField(_("senest gemt"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("senest gemt af"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reminder_sent_at = models.DateTimeField(_("påmindelse sendt"), null=True, blank=True)

    class Meta:
        verbose_name = _("aktivitetsrapport")
        verbose_name_plural = _("aktivitetsrapporter")
        ordering = ["round", "objective__vision__order", "objective__order", "cluster__name"]
        permissions = [
            ("review_activityreport", _("Kan godkende, sende retur og genåbne aktivitetsrapporter")),
            ("write_own_activityreport", _("Kan skrive sin egen klynges aktivitetsrapporter")),
        ]
        constraints = [
            models.UniqueConstraint(fields=["round", "cluster", "objective"], name="report_unique_per_round"),
            models.CheckConstraint(
                name="report_approved_has_assessment",
                condition=~Q(status="approved") | ~Q(assessment=""),
            ),
        ]
        indexes = [
            # Cluster and area pages: the approved reports of one cluster, newest round first.
            models.Index(fields=["cluster", "status"], name="report_cluster_status_idx"),
        ]

    def __str__(self):
        return f"{self.cluster} – {self.round.year}: {self.objective}"

    def get_absolute_url(self):
        return reverse("goals:report_detail", args=[self.pk])

    @property
    def is_editable(self):
        return self.status in self.EDITABLE

    @property
    def is_in_review(self):
        return self.status in self.IN_REVIEW


class Activity(models.Model):
    """One activity a cluster reports on under one objective."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planlagt")
        STARTED = "started", _("Igangsat")
        IMPLEMENTED = "implemented", _("Implementeret")
        FINISHED = "finished", _("Afsluttet")
        PAUSED = "paused", _("Sat i bero")

    class Partner(models.TextChoices):
        MUNICIPALITIES = "kommuner", _("Kommuner")
        REGION = "region", _("Region")
        GENERAL_PRACTICE = "almen_praksis", _("Almen praksis")
        CIVIL_SOCIETY = "civilsamfund", _("Civilsamfund")

    report = models.ForeignKey(
        ActivityReport, verbose_name=_("rapport"), on_delete=models.CASCADE, related_name="activities"
    )
    order = models.PositiveSmallIntegerField(_("rækkefølge"), default=0)
    title = models.CharField(_("titel"), max_length=300)
    description = models.TextField(_("beskrivelse"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PLANNED)
    # A list of Partner values (at most four; a JSON list keeps the report one table lighter).
    partners = models.JSONField(_("parter"), default=list, blank=True)
    link = models.URLField(_("link"), blank=True)

    class Meta:
        verbose_name = _("aktivitet")
        verbose_name_plural = _("aktiviteter")
        ordering = ["report", "order", "id"]

    def __str__(self):
        return self.title

    @property
    def partner_labels(self):
        labels = dict(self.Partner.choices)
        return [labels[p] for p in self.partners if p in labels]
