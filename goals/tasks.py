"""Background work for goals: recomputing stored statuses after data changed."""

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
