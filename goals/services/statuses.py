"""Writes for stored statuses: recompute them after data or targets changed. The computation itself is
`goals/status_store.py`, which runs the status method (`goals/progress/`) for every measure, area and year."""

from ..models import Measure


def measure_statuses_refresh(*, measures=None) -> int:
    """Recompute and replace the stored statuses of `measures` (default: every indicator measure of every
    agreement) in one transaction; returns the number of status rows stored. See `status_store.py`."""
    from .. import status_store

    return status_store.refresh(measures=measures)


def measure_statuses_refresh_for_indicator(*, indicator_ids) -> int:
    """Recompute the statuses of every measure that follows one of these indicators: what an upload, or the
    rollback of one, calls once its observations are committed."""
    measure_ids = list(
        Measure.objects.filter(kind=Measure.Kind.INDICATOR, indicator_id__in=list(indicator_ids)).values_list(
            "pk", flat=True
        )
    )
    if not measure_ids:
        return 0
    return measure_statuses_refresh(measures=measure_ids)
