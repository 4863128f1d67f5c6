"""Background work for goals: recomputing stored statuses after data changed, and reporting reminders."""

from celery import shared_task
from django.db import InterfaceError, OperationalError
from kombu.exceptions import OperationalError as BrokerError

from . import services


@shared_task(
    autoretry_for=(OperationalError, InterfaceError, BrokerError),
    retry_backoff=True,
    max_retries=5,
)
def statuses_refresh_for_indicators_task(indicator_ids: list[int]) -> int:
    """Recompute the statuses of the measures that follow these indicators. Safe to run twice: a refresh
    replaces the rows it computes, so a repeat writes the same rows again."""
    return services.measure_statuses_refresh_for_indicator(indicator_ids=indicator_ids)


@shared_task(
    autoretry_for=(OperationalError, InterfaceError, BrokerError),
    retry_backoff=True,
    max_retries=5,
)
def reporting_reminders_task() -> int:
    """Daily (Celery beat): remind cluster secretariats of reports due soon. Safe to run twice: each report
    is claimed by a conditional update before its reminder goes out."""
    from .services.reporting import reporting_reminders_send

    return reporting_reminders_send()
