"""Reads for goals pages; each returns what one page needs in a fixed number of queries.

`agreements` serves the agreement pages and roll-ups, `measure` the measure page, `indicator` the indicator
page, `areas` the cluster and municipality pages, `reports` the activity reports and the audit trail;
`page_cache` keeps the rendered overview and measure pages until their data changes.
"""

from .agreements import (
    ACTIVITY_STATUS_NOTE,
    AgreementStatus,
    MeasureLine,
    ObjectiveStatus,
    VisionStatus,
    agreement_areas,
    agreement_get,
    agreement_list,
    agreement_status,
    attach_status,
    measure_status_for,
    measure_trends,
)
from .areas import AreaOverview, area_get, area_status_overview
from .indicator import (
    HistoryLine,
    indicator_areas,
    indicator_breakdowns,
    indicator_get,
    indicator_has_sample,
    indicator_history,
    indicator_measures,
    indicator_values,
    indicator_values_page,
    indicator_years,
)
from .measure import (
    ComparisonGroup,
    MeasurePageData,
    measure_get,
    measure_page_data,
    municipality_codes_under,
    municipality_geojson,
)
from .page_cache import (
    PAGE_CACHE_SECONDS,
    YEAR_CHOICES,
    PageCache,
    area_codes,
    data_version,
    page_cache,
    page_data_changed,
    plain_choice,
)

__all__ = [
    "ACTIVITY_STATUS_NOTE",
    "PAGE_CACHE_SECONDS",
    "YEAR_CHOICES",
    "AgreementStatus",
    "AreaOverview",
    "ComparisonGroup",
    "HistoryLine",
    "MeasureLine",
    "MeasurePageData",
    "ObjectiveStatus",
    "PageCache",
    "VisionStatus",
    "agreement_areas",
    "agreement_get",
    "agreement_list",
    "agreement_status",
    "area_codes",
    "area_get",
    "area_status_overview",
    "attach_status",
    "data_version",
    "indicator_areas",
    "indicator_breakdowns",
    "indicator_get",
    "indicator_has_sample",
    "indicator_history",
    "indicator_measures",
    "indicator_values",
    "indicator_values_page",
    "indicator_years",
    "measure_get",
    "measure_page_data",
    "measure_status_for",
    "measure_trends",
    "page_cache",
    "page_data_changed",
    "plain_choice",
    "municipality_codes_under",
    "municipality_geojson",
]
