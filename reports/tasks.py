"""Background work for status reports: each task takes an id and calls one service (reports/services.py).

Only transient failures are retried (the database or the broker unreachable); a report without a PDF engine
says so on its page instead of retrying.
"""

from celery import shared_task
from django.db import InterfaceError, OperationalError
from kombu.exceptions import OperationalError as BrokerError

from . import services

TRANSIENT = (OperationalError, InterfaceError, BrokerError)


@shared_task(
    name="reports.status_report_pdf",
    autoretry_for=TRANSIENT,
    retry_backoff=True,
    max_retries=5,
    acks_late=True,
)
def status_report_pdf_task(report_id: int) -> None:
    """Print a published report to PDF. Safe to run twice: the second run replaces the file with the same."""
    services.status_report_pdf_render(report_id=report_id)


@shared_task(
    name="reports.report_batch", autoretry_for=TRANSIENT, retry_backoff=True, max_retries=3, acks_late=True
)
def report_batch_task(batch_id: int) -> None:
    """Publish every area's report and render the PDFs. Safe to run twice: the batch is claimed first."""
    services.report_batch_run(batch_id=batch_id)


@shared_task(name="reports.reports_watch", autoretry_for=TRANSIENT, retry_backoff=True, max_retries=3)
def reports_watch_task() -> dict:
    """Beat (settings.CELERY_BEAT_SCHEDULE): PDFs and batches whose task was lost are sent again."""
    return services.reports_watch()
