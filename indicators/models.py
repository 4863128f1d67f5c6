"""Indicators and the values measured for them.

An `Indicator` is a defined quantity (share of adults who smoke daily); an `Observation` is one
published value of it for one area, year and breakdown (sex, age group, education).
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clusters.models import Area

# A load that has not moved for this long (seconds) may be started again from its page ("Godkend"); a
# second run is harmless (it waits for the first's lock, then finds the upload loaded).
STALLED_LOAD_SECONDS = 120

# The breakdown value that means "everyone": used for sex, age group and education alike.
ALL = "alle"
# What identifies an observation: one value per indicator, area, year and breakdown.
OBSERVATION_KEY = ("indicator", "area", "year", "sex", "age_group", "education")
# What an observation says, as against which one it is: the figures an upload writes and the audit trail records.
OBSERVATION_FIGURES = ("value", "ci_low", "ci_high", "respondents", "suppressed")


def _value_fields():
    """New fields for an observation's figures and sample mark, in the order of the names they are unpacked to.

    `Observation` and `ObservationHistory` share them (a rollback copies one into the other). An abstract
    model would move them before the key in both models' field order (forms, admin, audit trail); unpacking
    fresh fields in each class body keeps the order as it was.
    """
    return (
        models.FloatField(_("værdi"), null=True, blank=True),
        models.FloatField(_("nedre grænse (95 % CI)"), null=True, blank=True),
        models.FloatField(_("øvre grænse (95 % CI)"), null=True, blank=True),
        models.PositiveIntegerField(_("antal svarpersoner"), null=True, blank=True),
        models.BooleanField(_("ikke offentliggjort"), default=False),
        # Generated demonstration data ("eksempeldata"), never to be mistaken for official figures.
        models.BooleanField(_("eksempeldata"), default=False),
    )


class DataSource(models.Model):
    """One publisher's data collection an indicator is taken from (Sundhedsprofilen, a register)."""

    code = models.SlugField(_("kode"), max_length=50, unique=True)
    name = models.CharField(_("navn"), max_length=200)
    publisher = models.CharField(_("udgiver"), max_length=200, blank=True)
    description = models.TextField(_("beskrivelse"), blank=True)
    url = models.URLField(_("link"), blank=True)
    # Sundhedsprofilen is not annual: a status must say which round it rests on and when the next comes.
    rounds = models.JSONField(_("kendte runder (år)"), default=list, blank=True)
    next_round_year = models.PositiveSmallIntegerField(_("næste runde forventes"), null=True, blank=True)

    class Meta:
        verbose_name = _("datakilde")
        verbose_name_plural = _("datakilder")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Indicator(models.Model):
    """One measurable quantity, with its definition and which direction is good."""

    class Unit(models.TextChoices):
        PERCENT = "percent", _("procent")
        YEARS = "years", _("år")
        PER_1000 = "per_1000", _("pr. 1.000 indbyggere")
        COUNT = "count", _("antal")

    class Polarity(models.IntegerChoices):
        HIGHER_IS_BETTER = 1, _("Højere er bedre")
        LOWER_IS_BETTER = -1, _("Lavere er bedre")

    code = models.SlugField(_("kode"), max_length=80, unique=True)
    name = models.CharField(_("navn"), max_length=200, unique=True)
    aliases = models.JSONField(
        _("alternative navne"), default=list, blank=True, help_text=_("Navne, som importen også genkender.")
    )
    unit = models.CharField(_("enhed"), max_length=20, choices=Unit.choices, default=Unit.PERCENT)
    polarity = models.SmallIntegerField(_("god retning"), choices=Polarity.choices)
    definition = models.TextField(_("definition"), blank=True)
    source = models.ForeignKey(
        DataSource, verbose_name=_("datakilde"), on_delete=models.PROTECT, related_name="indicators"
    )
    comparable_from = models.PositiveSmallIntegerField(
        _("sammenlignelig fra"),
        null=True,
        blank=True,
        help_text=_("Første år med den nuværende definition; ældre værdier sammenlignes ikke."),
    )
    notes = models.TextField(_("bemærkninger"), blank=True)

    class Meta:
        verbose_name = _("indikator")
        verbose_name_plural = _("indikatorer")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        # The page lists the measures that follow the indicator, so it is served by goals.
        return reverse("goals:indicator_detail", args=[self.code])

    @property
    def is_percentage(self):
        return self.unit == self.Unit.PERCENT


class Observation(models.Model):
    """One published value: an indicator for one area, year and breakdown, with its 95 % CI.

    A suppressed (not published) value has `suppressed` set and no value; it is never stored as zero.
    """

    class Sex(models.TextChoices):
        ALL = ALL, _("Alle")
        MEN = "maend", _("Mænd")
        WOMEN = "kvinder", _("Kvinder")

    # Loading a million rows must run at close to COPY speed (issue #3), and a database foreign key costs
    # a trigger and a row lock per inserted row: for these two keys together more than the whole load
    # otherwise. So the references are kept by Django (on_delete, the admin's choices) and by the load,
    # which checks and locks each distinct indicator and area once (indicators/ingest/load.py,
    # `lock_references`), not by the database.
    # The indicator has no index of its own either: the unique constraint's index begins with it.
    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("indikator"),
        on_delete=models.CASCADE,
        related_name="observations",
        db_index=False,
        db_constraint=False,
    )
    # Nor has the area: every page reads values by indicator (and area), which the unique index serves; an
    # index on the area alone would only serve deleting an area (PROTECT, rare) and costs ~0.6 s per
    # million loaded rows (measured).
    area = models.ForeignKey(
        Area,
        verbose_name=_("område"),
        on_delete=models.PROTECT,
        related_name="observations",
        db_index=False,
        db_constraint=False,
    )
    year = models.PositiveSmallIntegerField(_("år"))
    # The published period when it spans several years ("2019-2021"); `year` is its end.
    period_label = models.CharField(_("periode"), max_length=20, blank=True)
    sex = models.CharField(_("køn"), max_length=10, choices=Sex.choices, default=ALL)
    age_group = models.CharField(_("aldersgruppe"), max_length=10, default=ALL)
    education = models.CharField(_("uddannelse"), max_length=100, default=ALL)
    value, ci_low, ci_high, respondents, suppressed, is_sample = _value_fields()
    # The upload that wrote this value (null: sample data, or entered before uploads existed).
    # Neither an index nor a database constraint: both would cost on every one of a million loaded rows,
    # while the only readers are a rollback (one scan, rarely) and deleting an upload (never done; Django
    # sets the field to NULL itself). The load writes only the id of the upload it has just locked.
    upload = models.ForeignKey(
        "Upload",
        verbose_name=_("upload"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="observations",
        db_index=False,
        db_constraint=False,
    )

    class Meta:
        verbose_name = _("observation")
        verbose_name_plural = _("observationer")
        ordering = ["indicator", "area", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=OBSERVATION_KEY,
                name="observation_unique_breakdown",
            ),
            models.CheckConstraint(
                name="observation_value_xor_suppressed",
                condition=Q(suppressed=True, value__isnull=True) | Q(suppressed=False, value__isnull=False),
            ),
            models.CheckConstraint(
                name="observation_ci_both_or_neither",
                condition=Q(ci_low__isnull=True, ci_high__isnull=True)
                | Q(ci_low__isnull=False, ci_high__isnull=False),
            ),
            models.CheckConstraint(
                name="observation_ci_contains_value",
                condition=Q(ci_low__isnull=True)
                | Q(value__isnull=True)
                | Q(ci_low__lte=F("value"), value__lte=F("ci_high")),
            ),
        ]
        indexes = [
            # Status engine, measure page and charts: one indicator for some areas (every year, breakdown).
            # The unique constraint's index (indicator, area, year, ...) serves those. This one serves the
            # indicator page (goals/selectors/indicator.py): `indicator_years`, a loose index scan of
            # (indicator, year), and `indicator_breakdowns` and `indicator_values`, WHERE indicator AND
            # year. Two columns only: none of those reads the breakdown from the index (the breakdowns
            # query needs education, which was never in it), and every loaded row pays for each
            # indexed column (measured: a million new rows load about 0.35 s faster than with sex and
            # age group in it).
            models.Index(fields=["indicator", "year"], name="obs_indicator_year_idx"),
            # The "eksempeldata" banner: EXISTS(... WHERE is_sample) must not scan millions of real rows.
            models.Index(fields=["is_sample"], condition=Q(is_sample=True), name="obs_sample_idx"),
        ]

    def __str__(self):
        return f"{self.indicator} · {self.area} · {self.year}"


class Upload(models.Model):
    """One data file an analyst uploaded, and what became of it: validation, preview, load, rollback.

    The file's rows live in `StagedObservation` between validation and confirmation; once loaded they are
    `Observation`s pointing back here, and the values they replaced are kept in `ObservationHistory`.
    """

    class Status(models.TextChoices):
        RECEIVED = "received", _("Modtaget")
        VALIDATING = "validating", _("Kontrolleres")
        AWAITING_CONFIRMATION = "awaiting_confirmation", _("Afventer godkendelse")
        LOADING = "loading", _("Indlæses")
        LOADED = "loaded", _("Indlæst")
        REJECTED = "rejected", _("Afvist")
        DISCARDED = "discarded", _("Kasseret")
        ROLLED_BACK = "rolled_back", _("Rullet tilbage")
        FAILED = "failed", _("Fejlet")

    WORKING = (Status.RECEIVED, Status.VALIDATING, Status.LOADING)

    file = models.FileField(_("fil"), upload_to="uploads/%Y/%m/", max_length=255)
    original_name = models.CharField(_("filnavn"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveBigIntegerField(_("størrelse (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploadet af"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="uploads",
    )
    status = models.CharField(_("status"), max_length=30, choices=Status.choices, default=Status.RECEIVED)
    progress = models.PositiveSmallIntegerField(_("fremdrift (%)"), default=0)
    rows = models.PositiveIntegerField(_("rækker"), default=0)
    new = models.PositiveIntegerField(_("nye værdier"), default=0)
    changed = models.PositiveIntegerField(_("ændrede værdier"), default=0)
    unchanged = models.PositiveIntegerField(_("uændrede værdier"), default=0)
    suppressed = models.PositiveIntegerField(_("ikke offentliggjorte værdier"), default=0)
    # Problem.as_dict() each: {"line", "column", "value", "message"}.
    problems = models.JSONField(_("problemer"), default=list, blank=True)
    warnings = models.JSONField(_("advarsler"), default=list, blank=True)
    # What confirming would do; see indicators/ingest/load.py, `preview`.
    preview = models.JSONField(_("forhåndsvisning"), default=dict, blank=True)
    # An unexpected failure (a bug or a broken server), never a problem with the data.
    error = models.TextField(_("fejl"), blank=True)
    # Why a failed upload failed, in Danish for the analyst (the technical `error` is for the administrator).
    failure_reason = models.TextField(_("årsag til fejl"), blank=True)
    # When the current step (received, validating, loading) last moved: its start or its latest progress.
    # The `uploads-watch` beat job starts a step again that has not moved for UPLOAD_STALL_SECONDS.
    step_at = models.DateTimeField(_("trin sidst i gang"), default=timezone.now)
    # How many runs of the current step's task have begun; the third start fails the upload instead
    # (a file that kills or times out its worker is not tried for ever).
    attempts = models.PositiveSmallIntegerField(_("forsøg"), default=0)
    # Set when the task could not be sent because the broker was down; cleared once it is sent. The page
    # says the upload waits in the queue, and the beat job sends it when the broker is back.
    queued_since = models.DateTimeField(_("i kø siden"), null=True, blank=True)
    created_at = models.DateTimeField(_("uploadet"), auto_now_add=True)
    validated_at = models.DateTimeField(_("kontrolleret"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("godkendt af"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("godkendt"), null=True, blank=True)
    loaded_at = models.DateTimeField(_("indlæst"), null=True, blank=True)
    rolled_back_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("rullet tilbage af"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    rolled_back_at = models.DateTimeField(_("rullet tilbage"), null=True, blank=True)

    class Meta:
        verbose_name = _("upload")
        verbose_name_plural = _("uploads")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(name="upload_progress_0_100", condition=Q(progress__lte=100)),
            models.CheckConstraint(
                name="upload_loaded_has_loaded_at",
                condition=~Q(status="loaded") | Q(loaded_at__isnull=False),
            ),
        ]
        indexes = [
            # "Same file as upload N": WHERE sha256 = ... AND status = 'loaded'.
            models.Index(fields=["sha256", "status"], name="upload_sha256_idx"),
            # The upload list, newest first, optionally for one status.
            models.Index(fields=["status", "-created_at"], name="upload_status_created_idx"),
        ]

    def __str__(self):
        return f"{self.original_name} ({self.get_status_display()})"

    @property
    def is_working(self) -> bool:
        """The background work is under way: the page shows (and polls) the progress bar."""
        return self.status in self.WORKING

    @property
    def is_stalled(self) -> bool:
        """A load that has not moved for a while (its worker died?): the page offers to start it again."""
        return (
            self.status == self.Status.LOADING
            and self.step_at is not None
            and (timezone.now() - self.step_at).total_seconds() > STALLED_LOAD_SECONDS
        )


class StagedObservation(models.Model):
    """One validated value of an upload awaiting confirmation (the staging table).

    Filled with COPY on PostgreSQL, read by the preview and the load, and emptied by the load or a discard.
    The ids are plain integers, not foreign keys: the validation has already resolved them, and a
    constraint trigger per row would slow the COPY down for nothing (the load into `Observation` checks
    them again).
    """

    upload = models.ForeignKey(
        Upload, on_delete=models.CASCADE, related_name="+", db_constraint=False, db_index=False
    )
    indicator_id = models.BigIntegerField()
    area_id = models.BigIntegerField()
    year = models.PositiveSmallIntegerField()
    period_label = models.CharField(max_length=20, blank=True)
    sex = models.CharField(max_length=10)
    age_group = models.CharField(max_length=10)
    education = models.CharField(max_length=100)
    value = models.FloatField(null=True)
    ci_low = models.FloatField(null=True)
    ci_high = models.FloatField(null=True)
    respondents = models.BigIntegerField(null=True)
    suppressed = models.BooleanField()
    # The line in the file (header = 1), for the preview's examples and warnings.
    line = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("midlertidig værdi")
        verbose_name_plural = _("midlertidige værdier")
        # No index at all: the table holds only the uploads awaiting confirmation (usually one), so
        # WHERE upload_id = ... reads about what an index would, and COPY maintains nothing.

    def __str__(self):
        return f"{self.upload_id}: {self.indicator_id} · {self.area_id} · {self.year}"


class ObservationHistory(models.Model):
    """One stored value that a loaded upload replaced: the observation's content just before the load.

    Rolling the upload back writes these values back. Keys the upload created are not copied here: they
    are the observations that still point at the upload (`Observation.upload`) without a history row,
    and the rollback deletes them. That halves the writes of a first load, the common and largest case.
    """

    # Written only by the load, in bulk, for references it has checked and locked (see Observation):
    # no database constraints, for the same reason.
    upload = models.ForeignKey(
        Upload,
        verbose_name=_("upload"),
        on_delete=models.CASCADE,
        related_name="history",
        db_constraint=False,
        db_index=False,  # the unique constraint's index begins with upload
    )
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="+", db_constraint=False, db_index=False
    )
    area = models.ForeignKey(
        Area, on_delete=models.CASCADE, related_name="+", db_constraint=False, db_index=False
    )
    year = models.PositiveSmallIntegerField(_("år"))
    sex = models.CharField(_("køn"), max_length=10)
    age_group = models.CharField(_("aldersgruppe"), max_length=10)
    education = models.CharField(_("uddannelse"), max_length=100)
    period_label = models.CharField(_("periode"), max_length=20, blank=True)
    value, ci_low, ci_high, respondents, suppressed, is_sample = _value_fields()
    # The upload that wrote the replaced value (null: sample data or entered by hand). A later loaded
    # upload's history row pointing at upload A is what stops A from being rolled back before it.
    replaced_upload = models.ForeignKey(
        Upload,
        verbose_name=_("erstattet upload"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replaced_by",
        db_constraint=False,
    )

    class Meta:
        verbose_name = _("erstattet værdi")
        verbose_name_plural = _("erstattede værdier")
        ordering = ["upload", "indicator", "area", "year"]
        constraints = [
            # Its index serves the rollback: WHERE upload_id = ..., joined to Observation on the key.
            models.UniqueConstraint(
                fields=["upload", *OBSERVATION_KEY],
                name="observation_history_unique_per_upload",
            ),
        ]
        # The replaced_upload index (from the foreign key) serves the rollback check:
        # WHERE replaced_upload_id = ... AND the replacing upload is still loaded.
        indexes = [
            # The indicator page's history of changed values: WHERE indicator_id = ? ORDER BY upload_id DESC.
            models.Index(fields=["indicator", "-upload"], name="obs_history_indicator_idx"),
        ]

    def __str__(self):
        return f"{self.upload_id}: {self.indicator_id} · {self.area_id} · {self.year}"
