"""goals' answers to indicators' questions (indicators/hooks.py, docs/adr/0001-goals-indicators.md).

`status_changes_preview`: which stored statuses an upload would change. It is the difference between the
stored `MeasureStatus` rows and the rows the very refresh the real load sets off would store
(`observations_changed` -> tasks.statuses_refresh_for_indicators_task -> every measure of every indicator
the upload touches), computed by the refresh's own code (status_store.statuses_after) from the
observations as they will be after the load, which indicators reads for it (stored values with the
upload's in their place). So the preview is what the pages will show once the upload is loaded: regions,
clusters (estimated ones too: a new municipality value moves its cluster's estimate), municipalities (a
new region value moves their comparison), every breakdown and every data year. Nothing is written.
"""

from collections import Counter

from indicators.hooks import BETTER, OTHER, WORSE, AfterReader, StatusChange
from indicators.ingest.load import breakdown_label
from indicators.models import ALL

from . import progress, status_store
from .models import Measure, MeasureStatus

# Goodness of a status and of a comparison, for "which way did it go". no_data and "not compared" have
# none: a change to or from them is neither worse nor better.
_STATUS_RANK = {
    progress.WORSENING: 0,
    progress.NO_CHANGE: 1,
    progress.BEHIND: 2,
    progress.ON_TRACK: 3,
    progress.IMPROVING: 3,
    progress.ACHIEVED: 4,
}
_COMPARISON_RANK = {progress.WORSE: 0, progress.SIMILAR: 1, progress.BETTER: 2}
_DIRECTION_ORDER = {WORSE: 0, OTHER: 1, BETTER: 2}
_AREA_KIND_ORDER = {"country": 0, "region": 1, "cluster": 2, "municipality": 3}

Rows = status_store.StatusKeys


def _stored(measure_ids: list[int]) -> Rows:
    return {
        tuple(key): (status, benchmark)
        for *key, status, benchmark in MeasureStatus.objects.filter(measure_id__in=measure_ids)
        .order_by()
        .values_list(
            "measure_id", "area_id", "sex", "age_group", "education", "as_of_year", "status", "benchmark"
        )
    }


def status_changes_preview(*, indicator_ids: set[int], read_after: AfterReader) -> list[StatusChange]:
    """See indicators.hooks.StatusChangesProvider."""
    measures = list(
        Measure.objects.filter(kind=Measure.Kind.INDICATOR, indicator_id__in=list(indicator_ids))
        .select_related("objective__vision__agreement")
        .order_by("pk")
    )
    if not measures:
        return []
    before = _stored([m.pk for m in measures])
    after = status_store.statuses_after(measures=measures, read=read_after)
    return _describe(before, after, {m.pk: m for m in measures})


def _direction(old_status, new_status, old_comparison, new_comparison) -> str:
    """WORSE or BETTER by the status when it has a rank before and after, else by the comparison."""
    for old, new, rank in (
        (old_status, new_status, _STATUS_RANK),
        (old_comparison, new_comparison, _COMPARISON_RANK),
    ):
        if old != new and old in rank and new in rank and rank[old] != rank[new]:
            return WORSE if rank[new] < rank[old] else BETTER
    return OTHER


def _describe(before: Rows, after: Rows, measures: dict[int, Measure]) -> list[StatusChange]:
    from clusters.models import Area

    keys = [key for key in before.keys() | after.keys() if before.get(key) != after.get(key)]
    areas = {
        pk: (code, name, kind)
        for pk, code, name, kind in Area.objects.filter(pk__in={key[1] for key in keys}).values_list(
            "pk", "code", "name", "kind"
        )
    }
    statuses = {code: progress.in_danish(label) for code, label in progress.STATUS_LABELS.items()}
    comparisons = {code: progress.in_danish(label) for code, label in MeasureStatus.Benchmark.choices}
    changes = []
    for key in keys:
        measure_id, area_id, sex, age_group, education, year = key
        measure = measures[measure_id]
        agreement = measure.objective.vision.agreement
        (old_status, old_comparison), (new_status, new_comparison) = (
            before.get(key, (None, None)),
            after.get(key, (None, None)),
        )
        changes.append(
            StatusChange(
                measure_id=measure_id,
                agreement=agreement.slug,
                area=areas[area_id][0],
                sex=sex,
                age_group=age_group,
                education=education,
                year=year,
                old_status=old_status,
                new_status=new_status,
                old_comparison=old_comparison,
                new_comparison=new_comparison,
                measure=str(measure),
                agreement_title=agreement.title,
                area_name=areas[area_id][1],
                breakdown=breakdown_label(sex, age_group, education),
                old_label=statuses.get(old_status, ""),
                new_label=statuses.get(new_status, ""),
                old_comparison_label=comparisons.get(old_comparison, ""),
                new_comparison_label=comparisons.get(new_comparison, ""),
                direction=_direction(old_status, new_status, old_comparison, new_comparison),
            )
        )
    area_kinds = {code: kind for code, _name, kind in areas.values()}
    # Grouped by agreement and area, the groups with the most changes for the worse first.
    worse = Counter((c.agreement, c.area) for c in changes if c.direction == WORSE)
    changes.sort(
        key=lambda c: (
            -worse[c.agreement, c.area],
            c.agreement_title,
            _AREA_KIND_ORDER.get(area_kinds[c.area], 9),
            c.area_name,
            _DIRECTION_ORDER[c.direction],
            c.measure_id,
            c.sex != ALL,
            c.sex,
            c.age_group != ALL,
            c.age_group,
            c.education != ALL,
            c.education,
            -c.year,
        )
    )
    return changes


def measured_breakdowns() -> dict[str, list[tuple[str, str, str]]]:
    """See indicators.hooks.MeasuredBreakdownsProvider."""
    breakdowns: dict[str, list[tuple[str, str, str]]] = {}
    rows = (
        Measure.objects.filter(kind=Measure.Kind.INDICATOR)
        .values_list("indicator__code", "sex", "age_group", "education")
        .distinct()
        .order_by("indicator__code", "sex", "age_group", "education")
    )
    for code, sex, age_group, education in rows:
        breakdowns.setdefault(code, []).append((sex, age_group, education))
    return breakdowns
