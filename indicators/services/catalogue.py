"""Writes for the indicator catalogue: the data sources and indicators in fixtures/indicators.yaml."""

from pathlib import Path

import yaml
from django.conf import settings
from django.db import transaction

from ..models import DataSource, Indicator

CATALOGUE_FILE = Path(settings.BASE_DIR) / "fixtures" / "indicators.yaml"
POLARITIES = {"higher": Indicator.Polarity.HIGHER_IS_BETTER, "lower": Indicator.Polarity.LOWER_IS_BETTER}


@transaction.atomic
def catalogue_load(*, path: Path = CATALOGUE_FILE) -> dict[str, int]:
    """Create or update the data sources and indicators in the catalogue file (matched on code)."""
    catalogue = yaml.safe_load(path.read_text(encoding="utf-8"))
    sources = {}
    for item in catalogue["sources"]:
        sources[item["code"]], _ = DataSource.objects.update_or_create(
            code=item["code"],
            defaults={
                "name": item["name"],
                "publisher": item.get("publisher", ""),
                "description": item.get("description", ""),
                "url": item.get("url", ""),
                "rounds": item.get("rounds", []),
                "next_round_year": item.get("next_round_year"),
            },
        )
    for item in catalogue["indicators"]:
        Indicator.objects.update_or_create(
            code=item["code"],
            defaults={
                "name": item["name"],
                "aliases": item.get("aliases", []),
                "unit": item.get("unit", Indicator.Unit.PERCENT),
                "polarity": POLARITIES[item["polarity"]],
                "definition": " ".join(item.get("definition", "").split()),
                "source": sources[item["source"]],
                "comparable_from": item.get("comparable_from"),
                "notes": item.get("notes", ""),
            },
        )
    return {"sources": len(catalogue["sources"]), "indicators": len(catalogue["indicators"])}
