"""Geography: Denmark, its regions and municipalities, and Syddanmark's health clusters.

Every place a value can be measured for is one `Area` row, so an observation points at one table
whatever its level. `Country`, `Region`, `Municipality` and `HealthCluster` are proxies over it that
only see their own kind. Codes are keys; names are labels.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Area(models.Model):
    """One place with statistics: the whole country, a region, a health cluster or a municipality."""

    class Kind(models.TextChoices):
        COUNTRY = "country", _("Hele landet")
        REGION = "region", _("Region")
        CLUSTER = "cluster", _("Sundhedsklynge")
        MUNICIPALITY = "municipality", _("Kommune")

    # Statistics Denmark's code for the whole country; "1083" for a region, "461" for a municipality;
    # clusters have no official code and use a slug ("fyn").
    COUNTRY_CODE = "000"
    code = models.CharField(_("kode"), max_length=20, unique=True)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("navn"), max_length=100)
    # Municipality and cluster -> region; region -> country.
    parent = models.ForeignKey(
        "self",
        verbose_name=_("ligger i"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    population = models.PositiveIntegerField(_("folketal"), null=True, blank=True)
    population_year = models.PositiveSmallIntegerField(_("folketal pr. 1. januar"), null=True, blank=True)
    hospital = models.CharField(_("akutsygehus"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("område")
        verbose_name_plural = _("områder")
        ordering = ["kind", "name"]
        constraints = [
            models.CheckConstraint(
                name="area_country_has_no_parent",
                condition=~Q(kind="country") | Q(parent__isnull=True),
            ),
        ]
        indexes = [
            # Area pickers and cluster/municipality lists: WHERE kind = ... ORDER BY name.
            models.Index(fields=["kind", "name"], name="area_kind_name_idx"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        if self.kind == self.Kind.CLUSTER:
            return reverse("clusters:cluster_detail", args=[self.code])
        return ""


class _KindManager(models.Manager):
    def get_queryset(self):
        return super().get_queryset().filter(kind=self.model.proxy_kind)


class _KindProxy:
    """Mixin for the proxies below: one kind of area, set on save and filtered on read."""

    proxy_kind: str

    def save(self, *args, **kwargs):
        self.kind = self.proxy_kind
        super().save(*args, **kwargs)


class Country(_KindProxy, Area):
    proxy_kind = Area.Kind.COUNTRY
    objects = _KindManager()

    class Meta:
        proxy = True
        verbose_name = _("land")
        verbose_name_plural = _("land")


class Region(_KindProxy, Area):
    proxy_kind = Area.Kind.REGION
    objects = _KindManager()

    class Meta:
        proxy = True
        verbose_name = _("region")
        verbose_name_plural = _("regioner")


class Municipality(_KindProxy, Area):
    proxy_kind = Area.Kind.MUNICIPALITY
    objects = _KindManager()

    class Meta:
        proxy = True
        verbose_name = _("kommune")
        verbose_name_plural = _("kommuner")


class HealthCluster(_KindProxy, Area):
    proxy_kind = Area.Kind.CLUSTER
    objects = _KindManager()

    class Meta:
        proxy = True
        verbose_name = _("sundhedsklynge")
        verbose_name_plural = _("sundhedsklynger")


class ClusterMembership(models.Model):
    """One municipality's membership of one health cluster over a period.

    Membership is many-to-many and dated: Vejen sits fully in Sydvestjylland and at the political
    level only in Lillebælt, and the 2024 reform replaces clusters with sundhedsråd from 2027.
    """

    class Kind(models.TextChoices):
        FULL = "full", _("Fuldt medlem")
        POLITICAL = "political", _("Kun politisk niveau")

    cluster = models.ForeignKey(
        Area,
        verbose_name=_("sundhedsklynge"),
        on_delete=models.CASCADE,
        related_name="memberships",
        limit_choices_to={"kind": Area.Kind.CLUSTER},
    )
    municipality = models.ForeignKey(
        Area,
        verbose_name=_("kommune"),
        on_delete=models.CASCADE,
        related_name="cluster_memberships",
        limit_choices_to={"kind": Area.Kind.MUNICIPALITY},
    )
    kind = models.CharField(_("medlemskab"), max_length=20, choices=Kind.choices, default=Kind.FULL)
    valid_from = models.DateField(_("gyldig fra"))
    valid_to = models.DateField(_("gyldig til"), null=True, blank=True, help_text=_("Tom: gælder stadig."))

    class Meta:
        verbose_name = _("klyngemedlemskab")
        verbose_name_plural = _("klyngemedlemskaber")
        ordering = ["cluster__name", "municipality__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["cluster", "municipality", "valid_from"], name="membership_unique_start"
            ),
            models.CheckConstraint(
                name="membership_valid_period",
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
            ),
        ]

    def __str__(self):
        return f"{self.municipality} i {self.cluster} ({self.get_kind_display()})"

    def clean(self):
        from django.core.exceptions import ValidationError

        errors = {}
        if self.cluster_id and self.cluster.kind != Area.Kind.CLUSTER:
            errors["cluster"] = _("Vælg en sundhedsklynge.")
        if self.municipality_id and self.municipality.kind != Area.Kind.MUNICIPALITY:
            errors["municipality"] = _("Vælg en kommune.")
        if errors:
            raise ValidationError(errors)


class SecretariatAssignment(models.Model):
    """One user working for one health cluster's secretariat: the cluster whose activity reports the user
    may write (together with the cluster-secretariat role). A user can serve more than one cluster."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("bruger"),
        on_delete=models.CASCADE,
        related_name="cluster_assignments",
    )
    cluster = models.ForeignKey(
        Area,
        verbose_name=_("sundhedsklynge"),
        on_delete=models.CASCADE,
        related_name="secretariat_assignments",
        limit_choices_to={"kind": Area.Kind.CLUSTER},
    )

    class Meta:
        verbose_name = _("klyngesekretariat-tilknytning")
        verbose_name_plural = _("klyngesekretariat-tilknytninger")
        constraints = [
            models.UniqueConstraint(fields=["user", "cluster"], name="assignment_unique_user_cluster"),
        ]

    def __str__(self):
        return f"{self.user} – {self.cluster}"
