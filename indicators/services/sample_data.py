"""Writes for the sample data ("eksempeldata"): generated observations for every indicator and area."""

from collections import defaultdict
from itertools import islice

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clusters.models import Area, ClusterMembership

from .. import hooks
from ..models import Indicator, Observation
from ..sample_data import SURVEY_ROUNDS, AreaSpec, Breakdown, IndicatorSpec, sample_rows
from ..signals import observations_changed_on_commit

SAMPLE_BATCH_SIZE = 5000


class SampleDataExistsError(Exception):
    """Sample data is already stored and the caller did not ask to replace it."""

    def __init__(self, count: int):
        self.count = count
        super().__init__(
            _(
                "Der findes allerede %(count)s eksempelværdier; de erstattes kun, hvis det udtrykkeligt ønskes."
            )
            % {"count": count}
        )


@transaction.atomic
def sample_data_generate(*, seed: int, replace: bool = False) -> int:
    """Store generated sample observations ("eksempeldata") for every indicator and area.

    Covers Denmark, the regions, the health clusters and the municipalities for every survey round, with
    the standard breakdowns plus every breakdown a measure follows. Rows are marked `is_sample`. Existing
    sample data is an error unless `replace` is set, which deletes it first; a real observation is never
    touched, and a key that has one gets no sample value. Returns the number of rows written.
    """
    existing = Observation.objects.filter(is_sample=True)
    if replace:
        existing.delete()
    elif count := existing.count():
        raise SampleDataExistsError(count)

    indicators = {code: pk for pk, code in Indicator.objects.values_list("pk", "code")}
    areas = {code: pk for pk, code in Area.objects.values_list("pk", "code")}
    real = set(
        Observation.objects.filter(is_sample=False, year__in=SURVEY_ROUNDS).values_list(
            "indicator__code", "area__code", "year", "sex", "age_group", "education"
        )
    )
    rows = sample_rows(
        indicators=[
            IndicatorSpec(code, unit, polarity)
            for code, unit, polarity in Indicator.objects.values_list("code", "unit", "polarity")
        ],
        areas=_sample_area_specs(),
        breakdowns=_measured_breakdowns(),
        seed=seed,
    )
    observations = (
        Observation(
            indicator_id=indicators[row.indicator],
            area_id=areas[row.area],
            year=row.year,
            sex=row.sex,
            age_group=row.age_group,
            education=row.education,
            value=row.value,
            ci_low=row.ci_low,
            ci_high=row.ci_high,
            respondents=row.respondents,
            suppressed=row.suppressed,
            is_sample=True,
        )
        for row in rows
        if (row.indicator, row.area, row.year, row.sex, row.age_group, row.education) not in real
    )
    written = 0
    while batch := list(islice(observations, SAMPLE_BATCH_SIZE)):
        Observation.objects.bulk_create(batch, batch_size=SAMPLE_BATCH_SIZE)
        written += len(batch)
    observations_changed_on_commit(indicators.values())
    return written


def _sample_area_specs() -> list[AreaSpec]:
    """Every area, with each cluster's current full members (political-only members don't count)."""
    today = timezone.localdate()
    current, ever = defaultdict(set), defaultdict(set)
    memberships = ClusterMembership.objects.filter(kind=ClusterMembership.Kind.FULL).values_list(
        "cluster__code", "municipality__code", "valid_from", "valid_to"
    )
    for cluster, municipality, valid_from, valid_to in memberships:
        ever[cluster].add(municipality)
        if valid_from <= today and (valid_to is None or valid_to >= today):
            current[cluster].add(municipality)
    return [
        # A cluster whose memberships have all ended keeps its last members for the sample.
        AreaSpec(code, kind, parent, population, tuple(sorted(current.get(code) or ever.get(code, ()))))
        for code, kind, parent, population in Area.objects.values_list(
            "code", "kind", "parent__code", "population"
        )
    ]


def _measured_breakdowns() -> dict[str, list[Breakdown]]:
    """Per indicator code, the breakdowns that measures follow (kvinder 16-24, "Grundskole", ...): goals'
    answer through indicators.hooks, since `indicators` must not read goals' tables."""
    return {
        code: [Breakdown(*breakdown) for breakdown in found]
        for code, found in hooks.registry.measured_breakdowns().items()
    }
