"""Health agreements and how each objective in them is followed up.

Agreement -> Vision -> (FocusArea) -> Objective -> Measure (+ Target). The texts are stored
verbatim as the agreements word them; the status method in `goals/progress/` works on Measures.
"""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from clusters.models import Area
from indicators.models import ALL, Indicator, Observation

from .. import progress


class NationalGoal(models.Model):
    """One of Denmark's eight national goals for the health service (2016)."""

    number = models.PositiveSmallIntegerField(_("nummer"), unique=True)
    title = models.CharField(_("titel"), max_length=200)

    class Meta:
        verbose_name = _("nationalt mål")
        verbose_name_plural = _("nationale mål")
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(
                name="national_goal_number_1_to_8", condition=Q(number__gte=1, number__lte=8)
            ),
        ]

    def __str__(self):
        return f"{self.number}. {self.title}"


class Agreement(models.Model):
    """One health agreement (or the political paper that frames one) for a period."""

    class Kind(models.TextChoices):
        AGREEMENT = "agreement", _("Sundhedsaftale")
        PROPOSAL = "proposal", _("Udspil til sundhedsaftale")
        VISION_PAPER = "vision_paper", _("Politisk visionspapir")
        GOAL_FRAMEWORK = "goal_framework", _("Fælles mål for sundhedsaftaler")

    slug = models.SlugField(_("kort navn"), max_length=80, unique=True)
    title = models.CharField(_("titel"), max_length=300)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, default=Kind.AGREEMENT)
    owner = models.CharField(_("ejer"), max_length=300)
    parties = models.CharField(_("parter"), max_length=300, blank=True)
    # The agreement's geography: a region, or the whole country for national frameworks.
    area = models.ForeignKey(
        Area, verbose_name=_("område"), on_delete=models.PROTECT, related_name="agreements"
    )
    period_start = models.DateField(_("periode start"))
    period_end = models.DateField(_("periode slut"))
    overall_vision = models.TextField(_("overordnet vision"), blank=True)
    summary = models.TextField(_("resumé"), blank=True)
    source_file = models.CharField(_("kildetekst"), max_length=200, blank=True)
    national_goals = models.ManyToManyField(
        NationalGoal, verbose_name=_("nationale mål"), blank=True, related_name="agreements"
    )

    class Meta:
        verbose_name = _("aftale")
        verbose_name_plural = _("aftaler")
        ordering = ["-period_start", "title"]
        constraints = [
            models.CheckConstraint(
                name="agreement_period_order", condition=Q(period_end__gt=models.F("period_start"))
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("goals:agreement_detail", args=[self.slug])

    @property
    def first_year(self):
        return self.period_start.year

    @property
    def last_year(self):
        return self.period_end.year


class AgreementSection(models.Model):
    """A text on an agreement that is not an objective: a principle, a target group, a means, a follow-up rule."""

    class Kind(models.TextChoices):
        PRINCIPLE = "principle", _("Grundprincip")
        TARGET_GROUP = "target_group", _("Målgruppe")
        INSTRUMENT = "instrument", _("Virkemiddel")
        FOLLOW_UP = "follow_up", _("Opfølgning")
        BACKGROUND = "background", _("Baggrund")

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("aftale"), on_delete=models.CASCADE, related_name="sections"
    )
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    order = models.PositiveSmallIntegerField(_("rækkefølge"), default=0)
    title = models.CharField(_("titel"), max_length=300)
    text = models.TextField(_("tekst"), blank=True)

    class Meta:
        verbose_name = _("aftaletekst")
        verbose_name_plural = _("aftaletekster")
        ordering = ["agreement", "kind", "order"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "kind", "order"], name="section_unique_order"),
        ]

    def __str__(self):
        return self.title


class Vision(models.Model):
    """One of an agreement's (underlying) visions."""

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("aftale"), on_delete=models.CASCADE, related_name="visions"
    )
    order = models.PositiveSmallIntegerField(_("rækkefølge"), default=0)
    title = models.CharField(_("vision"), max_length=300)
    text = models.TextField(_("beskrivelse"), blank=True)
    # Some texts group their focus areas under a heading that is not one of their visions
    # (Midtjylland's "Indsatsområder og fælles mål"); such a node is kept but not counted as a vision.
    is_vision = models.BooleanField(_("er en vision"), default=True)

    class Meta:
        verbose_name = _("vision")
        verbose_name_plural = _("visioner")
        ordering = ["agreement", "order"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "order"], name="vision_unique_order"),
        ]

    def __str__(self):
        return self.title


class FocusArea(models.Model):
    """A focus area (fokusområde / indsatsområde) under a vision."""

    vision = models.ForeignKey(
        Vision, verbose_name=_("vision"), on_delete=models.CASCADE, related_name="focus_areas"
    )
    order = models.PositiveSmallIntegerField(_("rækkefølge"), default=0)
    title = models.CharField(_("fokusområde"), max_length=300)
    text = models.TextField(_("beskrivelse"), blank=True)

    class Meta:
        verbose_name = _("fokusområde")
        verbose_name_plural = _("fokusområder")
        ordering = ["vision", "order"]
        constraints = [
            models.UniqueConstraint(fields=["vision", "order"], name="focus_area_unique_order"),
        ]

    def __str__(self):
        return self.title


class Objective(models.Model):
    """One objective (målsætning), worded as the agreement words it ("Vi vil samarbejde om at ...")."""

    vision = models.ForeignKey(
        Vision, verbose_name=_("vision"), on_delete=models.CASCADE, related_name="objectives"
    )
    focus_area = models.ForeignKey(
        FocusArea,
        verbose_name=_("fokusområde"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="objectives",
    )
    order = models.PositiveSmallIntegerField(_("rækkefølge"), default=0)
    text = models.TextField(_("målsætning"))
    national_goals = models.ManyToManyField(
        NationalGoal, verbose_name=_("nationale mål"), blank=True, related_name="objectives"
    )

    class Meta:
        verbose_name = _("målsætning")
        verbose_name_plural = _("målsætninger")
        ordering = ["vision", "order"]
        constraints = [
            models.UniqueConstraint(fields=["vision", "order"], name="objective_unique_order"),
        ]

    def __str__(self):
        return self.text[:80]


class Measure(models.Model):
    """One way an objective is followed up: an indicator in a direction (maybe to a target), or a
    yearly activity status that each health cluster reports."""

    class Kind(models.TextChoices):
        INDICATOR = "indicator", _("Indikator")
        ACTIVITY_STATUS = "activity_status", _("Årlig aktivitetsstatus fra sundhedsklyngerne")

    objective = models.ForeignKey(
        Objective, verbose_name=_("målsætning"), on_delete=models.CASCADE, related_name="measures"
    )
    order = models.PositiveSmallIntegerField(_("rækkefølge"), default=0)
    kind = models.CharField(_("opfølgning"), max_length=20, choices=Kind.choices, default=Kind.INDICATOR)
    follow_up_text = models.TextField(_("opfølgning (som i aftalen)"))
    # False where the agreement's own text does not contain the follow-up (a target known from elsewhere).
    follow_up_is_quote = models.BooleanField(_("citeret fra aftaleteksten"), default=True)
    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("indikator"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="measures",
    )
    # Empty means the indicator's own polarity.
    polarity = models.SmallIntegerField(
        _("god retning"), choices=Indicator.Polarity.choices, null=True, blank=True
    )
    sex = models.CharField(_("køn"), max_length=10, choices=Observation.Sex.choices, default=ALL)
    age_group = models.CharField(_("aldersgruppe"), max_length=10, default=ALL)
    education = models.CharField(_("uddannelse"), max_length=100, default=ALL)

    class Meta:
        verbose_name = _("opfølgning")
        verbose_name_plural = _("opfølgninger")
        ordering = ["objective", "order"]
        constraints = [
            models.UniqueConstraint(fields=["objective", "order"], name="measure_unique_order"),
            models.CheckConstraint(
                name="measure_indicator_matches_kind",
                condition=Q(kind="indicator", indicator__isnull=False)
                | Q(kind="activity_status", indicator__isnull=True),
            ),
        ]

    def __str__(self):
        return self.follow_up_text[:80]

    @property
    def effective_polarity(self):
        if self.polarity is not None:
            return self.polarity
        return self.indicator.polarity if self.indicator_id else None

    @property
    def breakdown_label(self):
        parts = []
        if self.sex != ALL:
            parts.append(self.get_sex_display().lower())
        if self.age_group != ALL:
            parts.append(f"{self.age_group} år")
        if self.education != ALL:
            parts.append(self.education)
        return ", ".join(parts)


class Target(models.Model):
    """What a measure aims for: a level, a relative or a percentage-point change, or a direction only.

    The baseline year is stored and editable: several agreements state a target but not the year it
    is measured from.
    """

    class Kind(models.TextChoices):
        ABSOLUTE = "absolute", _("Niveau")
        RELATIVE = "relative", _("Relativ ændring")
        POINTS = "points", _("Ændring i procentpoint")
        DIRECTION = "direction", _("Kun retning")

    measure = models.OneToOneField(
        Measure, verbose_name=_("opfølgning"), on_delete=models.CASCADE, related_name="target"
    )
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, default=Kind.DIRECTION)
    # absolute: the level (90 for 90 %); relative: the fraction (-0.15 for "faldet med 15 pct.");
    # points: the change in percentage points (-6).
    value = models.FloatField(_("værdi"), null=True, blank=True)
    baseline_year = models.PositiveSmallIntegerField(_("basisår"), null=True, blank=True)
    # The baseline figure as quoted in the agreement text ("19 % -> 13 %"), shown beside the data.
    stated_baseline = models.FloatField(_("udgangspunkt angivet i aftalen"), null=True, blank=True)
    target_year = models.PositiveSmallIntegerField(_("målår"), null=True, blank=True)
    note = models.TextField(_("bemærkning"), blank=True)
    # Whether the agreement's text names the baseline year. Off unless a fixture says so: a year we chose
    # (or the method's default) must read as our choice on the measure page, never as the agreement's.
    baseline_year_in_text = models.BooleanField(_("basisåret står i aftaleteksten"), default=False)

    class Meta:
        verbose_name = _("mål")
        verbose_name_plural = _("mål")
        constraints = [
            models.CheckConstraint(
                name="target_value_iff_not_direction",
                condition=Q(kind="direction", value__isnull=True)
                | (~Q(kind="direction") & Q(value__isnull=False, target_year__isnull=False)),
            ),
            models.CheckConstraint(
                name="target_baseline_before_target_year",
                condition=Q(baseline_year__isnull=True)
                | Q(target_year__isnull=True)
                | Q(baseline_year__lt=models.F("target_year")),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.measure}"


class MeasureStatus(models.Model):
    """A measure's stored status for one area and breakdown, as of one data year.

    `progress.evaluate` uses the evaluation year only to pick the latest value, so the status in year Y is
    the status as of the newest data year at or before Y. One row per data year after the baseline is
    therefore enough for every evaluation year. Each series (measure, area, breakdown) also has a row with
    `as_of_year` 0: the status before any value after the baseline (always `no_data`), so a lookup for any
    year finds a row. Rows are replaced by `services.measure_statuses_refresh`, never edited.
    """

    class Status(models.TextChoices):
        NO_DATA = progress.NO_DATA, progress.STATUS_LABELS[progress.NO_DATA]
        ACHIEVED = progress.ACHIEVED, progress.STATUS_LABELS[progress.ACHIEVED]
        ON_TRACK = progress.ON_TRACK, progress.STATUS_LABELS[progress.ON_TRACK]
        BEHIND = progress.BEHIND, progress.STATUS_LABELS[progress.BEHIND]
        IMPROVING = progress.IMPROVING, progress.STATUS_LABELS[progress.IMPROVING]
        NO_CHANGE = progress.NO_CHANGE, progress.STATUS_LABELS[progress.NO_CHANGE]
        WORSENING = progress.WORSENING, progress.STATUS_LABELS[progress.WORSENING]

    class Benchmark(models.TextChoices):
        BETTER = progress.BETTER, progress.COMPARISON_LABELS[progress.BETTER]
        WORSE = progress.WORSE, progress.COMPARISON_LABELS[progress.WORSE]
        SIMILAR = progress.SIMILAR, progress.COMPARISON_LABELS[progress.SIMILAR]
        NOT_COMPARED = progress.NOT_COMPARED, progress.COMPARISON_LABELS[progress.NOT_COMPARED]

    measure = models.ForeignKey(
        Measure, verbose_name=_("opfølgning"), on_delete=models.CASCADE, related_name="statuses"
    )
    area = models.ForeignKey(
        Area, verbose_name=_("område"), on_delete=models.CASCADE, related_name="measure_statuses"
    )
    sex = models.CharField(_("køn"), max_length=10, choices=Observation.Sex.choices, default=ALL)
    age_group = models.CharField(_("aldersgruppe"), max_length=10, default=ALL)
    education = models.CharField(_("uddannelse"), max_length=100, default=ALL)
    # The latest data year the status rests on; 0 for the series' row before any value after the baseline.
    as_of_year = models.PositiveSmallIntegerField(_("status pr. dataår"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    flags = models.JSONField(_("markeringer"), default=list, blank=True)
    baseline_year = models.PositiveSmallIntegerField(_("basisår"), null=True, blank=True)
    baseline_value = models.FloatField(_("udgangsværdi"), null=True, blank=True)
    latest_year = models.PositiveSmallIntegerField(_("seneste år"), null=True, blank=True)
    latest_value = models.FloatField(_("seneste værdi"), null=True, blank=True)
    # The latest value's CI, so a page can re-word the explanation ("the CI also holds values short of the
    # target") in the reader's language from the row alone.
    latest_ci_low = models.FloatField(_("seneste værdi, nedre grænse"), null=True, blank=True)
    latest_ci_high = models.FloatField(_("seneste værdi, øvre grænse"), null=True, blank=True)
    target_value = models.FloatField(_("målværdi"), null=True, blank=True)
    target_year = models.PositiveSmallIntegerField(_("målår"), null=True, blank=True)
    delta = models.FloatField(_("ændring"), null=True, blank=True)
    z = models.FloatField(_("z"), null=True, blank=True)
    share_achieved = models.FloatField(_("andel af ønsket ændring nået"), null=True, blank=True)
    share_time_elapsed = models.FloatField(_("andel af tiden gået"), null=True, blank=True)
    explanation = models.TextField(_("forklaring"), blank=True)
    benchmark = models.CharField(_("sammenligning"), max_length=20, choices=Benchmark.choices, blank=True)
    benchmark_area = models.ForeignKey(
        Area,
        verbose_name=_("sammenlignet med"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    computed_at = models.DateTimeField(_("beregnet"))

    class Meta:
        verbose_name = _("status for opfølgning")
        verbose_name_plural = _("status for opfølgninger")
        ordering = ["measure", "area", "sex", "age_group", "education", "as_of_year"]
        constraints = [
            # Its index serves selectors.measure_status_for: WHERE measure_id IN (...) AND area_id = ...
            # AND breakdown AND as_of_year <= Y, newest first.
            models.UniqueConstraint(
                fields=["measure", "area", "sex", "age_group", "education", "as_of_year"],
                name="measure_status_unique_as_of",
            ),
        ]

    def __str__(self):
        return f"{self.measure} · {self.area} · {self.as_of_year}: {self.get_status_display()}"

    @property
    def label(self):
        return progress.STATUS_LABELS[self.status]
