"""Background work for uploads. Each task takes an upload id and calls one service
(indicators/services/uploads.py).

Only transient failures are retried: the database or the broker being unreachable. Bad data is not an
exception at all (the service rejects the upload); any other exception is a bug or a broken server, and
marks the upload failed with the error instead of retrying the same failure.

Tasks are acknowledged late (settings: CELERY_TASK_ACKS_LATE, CELERY_TASK_REJECT_ON_WORKER_LOST), so a
worker that dies mid-task gets it redelivered; the services' claims make the second run safe. Each run
counts an attempt on the upload, and the run after the second unfinished one fails the upload instead, so a
file that kills its worker (memory) or overruns the time limits is not tried for ever. A task that reaches
the soft time limit is tried once more, then failed. The `uploads-watch` beat job starts again what the
broker lost or never got (uploads.uploads_watch).
"""

import logging

import kombu.exceptions
from celery import Task, shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import InterfaceError, OperationalError

from .services import uploads

logger = logging.getLogger(__name__)

TRANSIENT = (OperationalError, InterfaceError, kombu.exceptions.OperationalError)


class UploadTask(Task):
    autoretry_for = TRANSIENT
    retry_backoff = True
    retry_backoff_max = 120
    max_retries = 5
    acks_late = True

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        """Retries exhausted on a transient error: say so on the upload if the database is back."""
        upload_id = kwargs.get("upload_id", args[0] if args else None)
        try:
            uploads.upload_fail(upload_id=upload_id, error=f"{type(exc).__name__}: {exc}")
        except Exception:  # the database may still be down; the upload then stays where it was
            logger.exception("Could not mark upload %s as failed", upload_id)


def _run(service, upload_id: int) -> None:
    if not uploads.upload_attempt_begin(upload_id=upload_id):
        return
    try:
        service(upload_id=upload_id)
    except TRANSIENT:
        raise
    except SoftTimeLimitExceeded:
        logger.warning("Upload %s: %s reached the soft time limit", upload_id, service.__name__)
        attempts = uploads.Upload.objects.filter(pk=upload_id).values_list("attempts", flat=True).first() or 0
        if attempts >= settings.UPLOAD_MAX_ATTEMPTS:
            uploads.upload_fail(
                upload_id=upload_id, error="SoftTimeLimitExceeded", reason=uploads.gave_up_reason()
            )
        else:
            uploads.upload_resume(upload_id=upload_id)
    except Exception as error:
        logger.exception("Upload %s failed in %s", upload_id, service.__name__)
        uploads.upload_fail(upload_id=upload_id, error=f"{type(error).__name__}: {error}")


@shared_task(base=UploadTask, name="indicators.upload_validate")
def upload_validate_task(upload_id: int) -> None:
    _run(uploads.upload_validate, upload_id)


@shared_task(base=UploadTask, name="indicators.upload_load")
def upload_load_task(upload_id: int) -> None:
    _run(uploads.upload_load, upload_id)


@shared_task(
    name="indicators.uploads_discard_stale",
    autoretry_for=TRANSIENT,
    retry_backoff=True,
    max_retries=5,
)
def uploads_discard_stale_task() -> int:
    """Daily (Celery beat): discard uploads nobody confirmed in time, freeing the staging table."""
    return uploads.uploads_discard_stale()


@shared_task(name="indicators.uploads_watch", autoretry_for=TRANSIENT, max_retries=2, ignore_result=True)
def uploads_watch_task() -> dict:
    """Every UPLOAD_WATCH_SECONDS (Celery beat): send queued uploads, start stalled ones again or fail them,
    and write the worker's heartbeat for /healthz."""
    from sundhedsaftale.health import heartbeat_write

    heartbeat_write()
    return uploads.uploads_watch()
