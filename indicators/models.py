"""Indicators and the values measured for them.

An `Indicator` is a defined quantity (share of adults who smoke daily); an `Observation` is one
published value of it for one area, year and breakdown (sex, age group, education).
"""

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from clusters.models import Area

# The breakdown value that means "everyone": used for sex, age group and education alike.
ALL = "alle"


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
        return reverse("indicators:indicator_detail", args=[self.code])

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

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="observations")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="observations")
    year = models.PositiveSmallIntegerField(_("år"))
    # The published period when it spans several years ("2019-2021"); `year` is its end.
    period_label = models.CharField(_("periode"), max_length=20, blank=True)
    sex = models.CharField(_("køn"), max_length=10, choices=Sex.choices, default=ALL)
    age_group = models.CharField(_("aldersgruppe"), max_length=10, default=ALL)
    education = models.CharField(_("uddannelse"), max_length=100, default=ALL)
    value = models.FloatField(_("værdi"), null=True, blank=True)
    ci_low = models.FloatField(_("nedre grænse (95 % CI)"), null=True, blank=True)
    ci_high = models.FloatField(_("øvre grænse (95 % CI)"), null=True, blank=True)
    respondents = models.PositiveIntegerField(_("antal svarpersoner"), null=True, blank=True)
    suppressed = models.BooleanField(_("ikke offentliggjort"), default=False)
    # Generated demonstration data ("eksempeldata"), never to be mistaken for official figures.
    is_sample = models.BooleanField(_("eksempeldata"), default=False)

    class Meta:
        verbose_name = _("observation")
        verbose_name_plural = _("observationer")
        ordering = ["indicator", "area", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "area", "year", "sex", "age_group", "education"],
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
            # Status engine and charts: all values of one indicator for one area (every year, breakdown).
            # The unique constraint's index (indicator, area, year, ...) serves it; this one serves
            # "one indicator, one year, every area" for maps and municipality comparisons.
            models.Index(fields=["indicator", "year", "sex", "age_group"], name="obs_indicator_year_idx"),
            # The "eksempeldata" banner: EXISTS(... WHERE is_sample) must not scan millions of real rows.
            models.Index(fields=["is_sample"], condition=Q(is_sample=True), name="obs_sample_idx"),
        ]

    def __str__(self):
        return f"{self.indicator} · {self.area} · {self.year}"
