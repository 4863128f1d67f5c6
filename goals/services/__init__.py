"""Writes for goals, one module per part:

- `agreements`: loading the national goals and the agreement fixtures;
- `statuses`: recomputing the stored statuses after data or targets changed;
- `reporting`: the clusters' activity reports (rounds, drafts, review, reminders).

The agreement and status services are also reachable here: `from goals import services;
services.measure_statuses_refresh()`. Reporting is used as a module: `from goals.services import reporting`.
"""

from .agreements import agreement_load_fixture, agreements_load_all, national_goals_load
from .statuses import measure_statuses_refresh, measure_statuses_refresh_for_indicator

__all__ = [
    "agreement_load_fixture",
    "agreements_load_all",
    "measure_statuses_refresh",
    "measure_statuses_refresh_for_indicator",
    "national_goals_load",
]
