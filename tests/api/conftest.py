import random

import pytest
from django.core.cache import cache
from django.db.models import Q

from clusters.models import Area
from indicators.models import Indicator, Observation

# Two indicators that Syddanmark's 2024-2027 agreement follows, for every area of the region and Denmark,
# with made-up values: a seeded generator, so a failure can be repeated, but not values anyone chose.
INDICATORS = ("dagligrygning", "boern-unges-trivsel")
YEARS = range(2013, 2026)
BREAKDOWNS = [
    ("alle", "alle"),
    ("maend", "alle"),
    ("kvinder", "alle"),
    ("alle", "16-24"),
    ("kvinder", "16-24"),
]


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Throttle counters, the data version's token and kept answers must not leak between tests.
    cache.clear()


@pytest.fixture
def seed(request):
    value = random.randrange(10**6)
    request.node.user_properties.append(("seed", value))
    return value


@pytest.fixture
def values(db, seed):
    """Observations for the region's areas and Denmark (some of them sample data) and their statuses."""
    from goals.services import measure_statuses_refresh

    rng = random.Random(seed)
    areas = list(
        Area.objects.filter(
            Q(code__in=["000", "1083"]) | Q(parent__code="1083") | Q(parent__parent__code="1083")
        )
    )
    rows = []
    for code in INDICATORS:
        indicator = Indicator.objects.get(code=code)
        for area in areas:
            level = rng.uniform(10, 80)
            for year in YEARS:
                if rng.random() < 0.15:
                    continue
                for sex, age in BREAKDOWNS:
                    if rng.random() < 0.05:
                        rows.append(
                            Observation(
                                indicator=indicator,
                                area=area,
                                year=year,
                                sex=sex,
                                age_group=age,
                                suppressed=True,
                            )
                        )
                        continue
                    value = round(level + rng.gauss(0, 3), 1)
                    ci = round(rng.uniform(0.5, 4), 1)
                    rows.append(
                        Observation(
                            indicator=indicator,
                            area=area,
                            year=year,
                            sex=sex,
                            age_group=age,
                            value=value,
                            ci_low=round(value - ci, 1),
                            ci_high=round(value + ci, 1),
                            respondents=rng.randrange(50, 5000),
                            is_sample=rng.random() < 0.3,
                        )
                    )
    Observation.objects.bulk_create(rows)
    measure_statuses_refresh()
    return random.Random(seed + 1)
