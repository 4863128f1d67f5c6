"""Reads for the indicator page: what the indicator is, the measures that follow it, its stored values
(filtered and paged, so the page stays fast with millions of them) and the values uploads replaced.

The page lives in goals, not indicators, because it lists measures (goals -> indicators -> clusters).
"""

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import OuterRef, Subquery
from django.shortcuts import get_object_or_404

from clusters.models import Area
from clusters.selectors import areas_in_picker_order
from indicators.models import ALL, Indicator, Observation, ObservationHistory

from ..models import Measure

PAGE_SIZE = 50
HISTORY_LIMIT = 50


def indicator_get(code: str) -> Indicator:
    """One indicator with its data source; 404 for an unknown code."""
    return get_object_or_404(Indicator.objects.select_related("source"), code=code)


def indicator_measures(indicator: Indicator) -> list[Measure]:
    """The measures that follow the indicator, with their agreement, objective and target. One query."""
    return list(
        Measure.objects.filter(indicator=indicator)
        .select_related("objective__vision__agreement", "target", "indicator")
        .order_by("-objective__vision__agreement__period_start", "objective__vision__order", "order")
    )


def indicator_years(indicator: Indicator) -> list[int]:
    """The years with stored values (the survey rounds in the data), oldest first.

    One query: a loose index scan (one probe of the (indicator, year, ...) index per year) instead of
    DISTINCT over every one of the indicator's values, which costs tens of milliseconds at 3 million rows.
    """
    table = Observation._meta.db_table
    sql = f"""
        WITH RECURSIVE rounds(year) AS (
            SELECT MIN(year) FROM {table} WHERE indicator_id = %s
            UNION ALL
            SELECT (SELECT MIN(year) FROM {table} WHERE indicator_id = %s AND year > rounds.year)
            FROM rounds WHERE rounds.year IS NOT NULL
        )
        SELECT year FROM rounds WHERE year IS NOT NULL
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [indicator.pk, indicator.pk])
        return [year for (year,) in cursor.fetchall()]


def indicator_breakdowns(indicator: Indicator, year: int | None) -> list[tuple[str, str, str]]:
    """The (sex, age group, education) breakdowns stored for the indicator in `year` (its newest round):
    the filter's choices. One query over one round, served by the (indicator, year, ...) index."""
    if year is None:
        return []
    return list(
        Observation.objects.filter(indicator=indicator, year=year)
        .order_by("sex", "age_group", "education")
        .values_list("sex", "age_group", "education")
        .distinct()
    )


def indicator_areas() -> list[Area]:
    """Every area, in picker order (Denmark, regions, clusters, municipalities). One query."""
    return areas_in_picker_order(Area.objects.all())


def indicator_values(indicator: Indicator, *, area=None, year=None, sex="", age_group="", education=""):
    """The indicator's stored values, filtered, in the order of its unique index (area, year, breakdown),
    so a page of them is read straight off the index however many there are."""
    values = Observation.objects.filter(indicator=indicator)
    if area is not None:
        values = values.filter(area=area)
    if year:
        values = values.filter(year=year)
    for field, chosen in (("sex", sex), ("age_group", age_group), ("education", education)):
        if chosen:
            values = values.filter(**{field: chosen})
    return values.select_related("area").order_by("area_id", "year", "sex", "age_group", "education")


def indicator_values_page(values, number) -> Page:
    """One page of `indicator_values` (a count and a slice: two queries); an out-of-range number gives the
    last page."""
    return Paginator(values, PAGE_SIZE).get_page(number)


def indicator_has_sample(indicator: Indicator) -> bool:
    """Whether any of the indicator's values is generated ("eksempeldata")."""
    return Observation.objects.filter(indicator=indicator, is_sample=True).exists()


@dataclass
class HistoryLine:
    """One value an upload replaced: old (the history row) -> new (what the upload wrote)."""

    row: ObservationHistory
    new_value: float | None
    new_suppressed: bool | None

    @property
    def upload(self):
        return self.row.upload

    @property
    def breakdown(self) -> str:
        return breakdown_text(self.row.sex, self.row.age_group, self.row.education)


def indicator_history(indicator: Indicator, limit: int = HISTORY_LIMIT) -> tuple[list[HistoryLine], bool]:
    """The newest values that loaded uploads replaced for the indicator (newest upload first), each with the
    value the upload wrote, and whether there are more than `limit`. One query.

    The value an upload wrote is the one the next upload of the same key replaced, or, when none did, the
    stored value that still points at the upload. Who uploaded is in `row.upload.uploaded_by`: callers show
    it only to users who may see uploads (indicators.permissions.can_upload).
    """
    key = ("indicator_id", "area_id", "year", "sex", "age_group", "education")
    same_key = {field: OuterRef(field) for field in key}
    later = ObservationHistory.objects.filter(**same_key, replaced_upload_id=OuterRef("upload_id")).order_by(
        "upload_id"
    )
    current = Observation.objects.filter(**same_key, upload_id=OuterRef("upload_id"))
    rows = list(
        ObservationHistory.objects.filter(indicator=indicator)
        .select_related("upload__uploaded_by", "area")
        .annotate(
            later_value=Subquery(later.values("value")[:1]),
            later_suppressed=Subquery(later.values("suppressed")[:1]),
            current_value=Subquery(current.values("value")[:1]),
            current_suppressed=Subquery(current.values("suppressed")[:1]),
        )
        .order_by("-upload_id", "area_id", "year", "sex", "age_group", "education")[: limit + 1]
    )
    lines = []
    for row in rows[:limit]:
        if row.later_suppressed is not None:
            new_value, new_suppressed = row.later_value, row.later_suppressed
        else:
            new_value, new_suppressed = row.current_value, row.current_suppressed
        lines.append(HistoryLine(row, new_value, new_suppressed))
    return lines, len(rows) > limit


def breakdown_text(sex: str, age_group: str, education: str) -> str:
    """ "Kvinder, 16-24 år, Grundskole"; "Alle" for everyone."""
    parts = []
    if sex != ALL:
        parts.append(str(dict(Observation.Sex.choices).get(sex, sex)))
    if age_group != ALL:
        parts.append(f"{age_group} år")
    if education != ALL:
        parts.append(education)
    return ", ".join(parts) or str(Observation.Sex.ALL.label)
