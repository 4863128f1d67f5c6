"""Writes for the geography: loading Denmark's regions, municipalities and Syddanmark's clusters."""

import csv
import datetime
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils.text import slugify

from .models import Area, ClusterMembership

GEOGRAPHY_DIR = Path(settings.BASE_DIR) / "fixtures" / "geography"
# Sundhedsklynger were set up with the 2018 agreement reform; the file's populations are for 1 Jan 2019.
CLUSTERS_VALID_FROM = datetime.date(2019, 1, 1)
MEMBERSHIP_KINDS = {
    "fuld": ClusterMembership.Kind.FULL,
    "kun politisk niveau": ClusterMembership.Kind.POLITICAL,
}


def cluster_code(name: str) -> str:
    """The URL key of a cluster: 'Sundhedsklynge Sønderjylland' -> 'soenderjylland'."""
    short = name.removeprefix("Sundhedsklynge").strip().lower()
    return slugify(short.replace("æ", "ae").replace("ø", "oe").replace("å", "aa"))


@transaction.atomic
def geography_load(*, directory: Path = GEOGRAPHY_DIR) -> dict[str, int]:
    """Create or update Denmark, the 5 regions, the 98 municipalities and the health clusters.

    Idempotent: rows are matched on their codes, so running it again changes nothing.
    """
    country, _ = Area.objects.update_or_create(
        code=Area.COUNTRY_CODE, defaults={"kind": Area.Kind.COUNTRY, "name": "Hele landet", "parent": None}
    )
    regions: dict[str, Area] = {}
    municipalities: dict[str, Area] = {}
    with open(directory / "kommuner.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            region_code = row["regionskode"].strip()
            if region_code not in regions:
                regions[region_code], _ = Area.objects.update_or_create(
                    code=region_code,
                    defaults={"kind": Area.Kind.REGION, "name": row["region"].strip(), "parent": country},
                )
            municipalities[row["kommunekode"].strip()], _ = Area.objects.update_or_create(
                code=row["kommunekode"].strip(),
                defaults={
                    "kind": Area.Kind.MUNICIPALITY,
                    "name": row["kommune"].strip(),
                    "parent": regions[region_code],
                },
            )

    clusters: dict[str, Area] = {}
    with open(directory / "sundhedsklynger.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        municipality = municipalities[row["kommunekode"].strip()]
        population = int(row["folketal_2019"])
        if municipality.population != population:
            municipality.population, municipality.population_year = population, 2019
            municipality.save(update_fields=["population", "population_year"])
        name = row["sundhedsklynge"].strip()
        if name not in clusters:
            clusters[name], _ = Area.objects.update_or_create(
                code=cluster_code(name),
                defaults={
                    "kind": Area.Kind.CLUSTER,
                    "name": name,
                    "hospital": row["akutsygehus"].strip(),
                    "parent": municipality.parent,
                },
            )
        ClusterMembership.objects.update_or_create(
            cluster=clusters[name],
            municipality=municipality,
            valid_from=CLUSTERS_VALID_FROM,
            defaults={"kind": MEMBERSHIP_KINDS[row["medlemskab"].strip()]},
        )

    for cluster in clusters.values():
        # A cluster's population is that of its full members; political-only members are counted elsewhere.
        full = ClusterMembership.objects.filter(cluster=cluster, kind=ClusterMembership.Kind.FULL)
        cluster.population = sum(m.municipality.population or 0 for m in full.select_related("municipality"))
        cluster.population_year = 2019
        cluster.save(update_fields=["population", "population_year"])
    return {
        "regions": len(regions),
        "municipalities": len(municipalities),
        "clusters": len(clusters),
        "memberships": len(rows),
    }
