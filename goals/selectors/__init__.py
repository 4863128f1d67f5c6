"""Reads for goals pages; each returns what one page needs in a fixed number of queries.

`agreements` serves the agreement pages and roll-ups, `measure` the measure page.
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
)
from .areas import AreaOverview, area_get, area_status_overview
from .measure import ComparisonGroup, MeasurePageData, measure_get, measure_page_data, municipality_geojson

__all__ = [
    "ACTIVITY_STATUS_NOTE",
    "AgreementStatus",
    "AreaOverview",
    "ComparisonGroup",
    "MeasureLine",
    "MeasurePageData",
    "ObjectiveStatus",
    "VisionStatus",
    "agreement_areas",
    "agreement_get",
    "agreement_list",
    "agreement_status",
    "area_get",
    "area_status_overview",
    "attach_status",
    "measure_get",
    "measure_page_data",
    "measure_status_for",
    "municipality_geojson",
]
