"""Services for uploads: receive a file, validate and stage it, preview, confirm, load, discard, roll back.

The life of an upload (`Upload.Status`):

    received -> validating -> awaiting_confirmation -> loading -> loaded -> rolled_back
                          \\-> rejected              \\-> discarded

and `failed` from received, validating or loading when something unexpected breaks (never for bad data:
that is a rejection). Validation and loading run in Celery tasks (`indicators/tasks.py`), enqueued when
the transaction that asked for them commits; with REDIS_URL unset they run in-process.

Running any step twice is safe. Each step claims the upload with a conditional update of its status and
does nothing when no row changed. Validation and loading each write in one transaction that begins with
that claim, so a worker killed half-way leaves nothing behind, and running the task again (Celery
redelivers it, or `upload_resume` re-enqueues it) completes the work.
"""

import hashlib
import logging
import time

import kombu.exceptions
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.models import F, Q
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

# tasks.py imports this module too; each uses the other's functions only when they are called, so either
# may be imported first.
from .. import tasks
from ..ingest import load
from ..ingest.read import Limits, ReadError, open_table
from ..ingest.stage import StagedWriter, staged_delete
from ..ingest.validate import Lookup, validate_chunks
from ..models import Upload
from ..preview import UploadPreview, upload_preview_build
from ..signals import observations_changed_on_commit

logger = logging.getLogger(__name__)
Status = Upload.Status

# Share of the progress bar for each phase of validation.
PROGRESS_READ = 10
PROGRESS_VALIDATED = 60
# A load writing this many rows refreshes the planner's statistics right away (see load.analyze).
ANALYZE_AFTER_ROWS = 50_000
# Progress is written at most this often (seconds): one UPDATE of one row each time.
PROGRESS_INTERVAL = 0.5


class StagingLost(Exception):
    """An upload's staged values are gone (the database restarted while it awaited confirmation)."""


def upload_create(*, file, user=None, original_name: str | None = None, enqueue: bool = True) -> Upload:
    """Store an uploaded file and enqueue its validation (when the transaction commits).

    `file` is a Django File (an UploadedFile from a form, or File(open(path, "rb"))). A file larger than
    settings.UPLOAD_MAX_BYTES is refused with a ValidationError and nothing is stored. `enqueue=False`
    leaves validation to the caller (the import command runs it in-process).
    """
    size = file.size
    if size > settings.UPLOAD_MAX_BYTES:
        raise ValidationError(
            _("Filen fylder %(size)s; den største tilladte fil er %(limit)s. Del filen op i flere."),
            code="too_big",
            params={"size": filesizeformat(size), "limit": filesizeformat(settings.UPLOAD_MAX_BYTES)},
        )
    name = original_name or _base_name(getattr(file, "name", "") or "upload")
    digest = hashlib.sha256()
    for chunk in file.chunks():
        digest.update(chunk)
    file.seek(0)
    upload = Upload(original_name=name[:255], sha256=digest.hexdigest(), size=size, uploaded_by=user)
    upload.file.save(name, file, save=False)
    upload.save()
    if enqueue:
        _enqueue_on_commit(tasks.upload_validate_task, upload.pk)
    return upload


def upload_validate(*, upload_id: int) -> Upload | None:
    """Read and check the file; stage its values and compute the preview, or reject it with its problems.

    The file is read, checked and staged in chunks (memory does not grow with the file), in one transaction:
    a file with any problem rolls back whatever was staged, and every line is checked whatever is wrong with
    earlier ones, so the analyst gets every problem at once. Claims a received upload, or one left in
    `validating` by a run that died or hit a database outage (the retry of the same task): nothing of an
    unfinished run survives, because staging and the status change commit together. Returns the upload, or
    None when there was nothing to do.
    """
    claimed = Upload.objects.filter(pk=upload_id, status__in=[Status.RECEIVED, Status.VALIDATING]).update(
        status=Status.VALIDATING, progress=0, step_at=timezone.now()
    )
    if not claimed:
        return None
    upload = Upload.objects.get(pk=upload_id)
    progress = _Progress(upload_id, Status.VALIDATING)
    lookup = Lookup.from_db()
    try:
        with upload.file.open("rb") as handle:
            table = open_table(handle, upload.original_name, limits=Limits.from_settings())
            try:
                with transaction.atomic():
                    return _validate_and_stage(upload, table, lookup, progress)
            finally:
                table.close()
                progress.close()
    except ReadError as error:
        return _reject(upload_id, problems=[error.problem.as_dict()])
    except _Rejected as rejected:
        validation = rejected.validation
        return _reject(
            upload_id,
            problems=[p.as_dict() for p in validation.problems],
            warnings=[w.as_dict() for w in validation.warnings],
            rows=validation.rows,
        )


class _Rejected(Exception):
    """Raised inside the staging transaction to roll it back: the file has problems."""

    def __init__(self, validation):
        self.validation = validation


def _validate_and_stage(upload: Upload, table, lookup: Lookup, progress: "_Progress") -> Upload | None:
    upload_id = upload.pk
    load.bulk_settings()
    # Left by nothing but a run that committed, which this one could not have claimed; a plain DELETE, so
    # that other uploads can stage while this one is checked.
    staged_delete(upload_id=upload_id, truncate=False)
    with StagedWriter(upload_id) as staging:
        validation = validate_chunks(
            table,
            lookup,
            stage=staging.add,
            restart=staging.restart,
            progress=lambda share: progress(PROGRESS_READ + (PROGRESS_VALIDATED - PROGRESS_READ) * share),
        )
    warnings = [w.as_dict() for w in validation.warnings]
    if validation.problems:
        raise _Rejected(validation)
    # The claim that counts: it locks the row until commit, so of two runs only the first stages.
    if not Upload.objects.filter(pk=upload_id, status=Status.VALIDATING).update(progress=PROGRESS_VALIDATED):
        transaction.set_rollback(True)
        return None
    load.analyze("staged")
    counts = load.counts(upload_id)
    preview = upload_preview_build(upload_id, counts=counts)
    warnings += load.large_change_warnings(upload_id, counts.large_changes)
    Upload.objects.filter(pk=upload_id).update(
        status=Status.AWAITING_CONFIRMATION,
        progress=100,
        rows=validation.rows,
        new=counts.new,
        changed=counts.changed,
        unchanged=counts.unchanged,
        suppressed=counts.suppressed,
        problems=[],
        warnings=warnings,
        preview=preview.to_json(),
        validated_at=timezone.now(),
    )
    return Upload.objects.get(pk=upload_id)


def upload_confirm(*, upload_id: int, user=None, enqueue: bool = True) -> Upload:
    """The analyst accepts the preview: mark the upload for loading and enqueue the load.

    Confirming twice (a double click) does nothing the second time.
    """
    with transaction.atomic():
        claimed = Upload.objects.filter(pk=upload_id, status=Status.AWAITING_CONFIRMATION).update(
            status=Status.LOADING,
            progress=0,
            confirmed_by=user,
            confirmed_at=timezone.now(),
            step_at=timezone.now(),
            attempts=0,
            queued_since=None,
        )
        upload = Upload.objects.get(pk=upload_id)
        if not claimed:
            if upload.status == Status.LOADING and enqueue and (upload.is_stalled or upload.queued_since):
                # Confirmed before, and the load has not moved since (its worker died, or the broker was
                # down): "Godkend" starts it again. A run still going makes the new one wait and find it done.
                _enqueue_on_commit(tasks.upload_load_task, upload_id)
                return upload
            if upload.status in {Status.LOADING, Status.LOADED}:
                return upload
            raise ValidationError(
                _("Uploaden kan ikke godkendes, fordi den har status “%(status)s”."),
                code="wrong_status",
                params={"status": upload.get_status_display()},
            )
        if enqueue:
            _enqueue_on_commit(tasks.upload_load_task, upload_id)
    return upload


def upload_load(*, upload_id: int) -> Upload | None:
    """Write a confirmed upload's staged values into `Observation`, in one transaction.

    First the stored values it replaces are copied to `ObservationHistory` (for rollback), then new and
    changed rows are upserted from the staging table; unchanged rows are not touched. Returns the upload,
    or None when it was not waiting to be loaded (already loaded by an earlier run of the task).
    """
    Upload.objects.filter(pk=upload_id, status=Status.LOADING).update(progress=10, step_at=timezone.now())
    with transaction.atomic():
        load.bulk_settings()
        load.lock()
        # The claim: locks the upload's row, so a second run of the task waits here and then finds the
        # upload loaded. If this worker dies before the commit, all of it is undone and status is loading.
        if not Upload.objects.filter(pk=upload_id, status=Status.LOADING).update(
            status=Status.LOADED, progress=100, loaded_at=timezone.now()
        ):
            return None
        staged, suppressed = load.staged_totals(upload_id)
        expected = Upload.objects.values_list("preview", flat=True).get(pk=upload_id).get("staged", staged)
        if staged != expected:
            # The staging table is UNLOGGED on PostgreSQL: a database crash empties it.
            raise StagingLost(
                _("De kontrollerede værdier er gået tabt (databasen er genstartet). Upload filen igen.")
            )
        indicator_ids = load.lock_references(upload_id)
        _status_changes_renew(upload_id)
        replaced, written = load.upsert(upload_id, staged_rows=staged)
        load.sleep_for_tests()
        staged_delete(upload_id=upload_id)
        # Counted again at load time: another upload may have been loaded since the preview.
        Upload.objects.filter(pk=upload_id).update(
            new=written - replaced, changed=replaced, unchanged=staged - written, suppressed=suppressed
        )
        if written:
            observations_changed_on_commit(indicator_ids)
    if written >= ANALYZE_AFTER_ROWS:
        load.analyze("obs", "history")
    logger.info("Upload %s loaded: %s written, %s replaced values kept", upload_id, written, replaced)
    return Upload.objects.get(pk=upload_id)


def upload_discard(*, upload_id: int, user=None) -> Upload:
    """Drop an upload awaiting confirmation: its staged values are deleted and nothing is loaded."""
    with transaction.atomic():
        claimed = Upload.objects.filter(pk=upload_id, status=Status.AWAITING_CONFIRMATION).update(
            status=Status.DISCARDED
        )
        upload = Upload.objects.get(pk=upload_id)
        if not claimed:
            if upload.status == Status.DISCARDED:
                return upload
            raise ValidationError(
                _("Kun en upload, der afventer godkendelse, kan kasseres; denne har status “%(status)s”."),
                code="wrong_status",
                params={"status": upload.get_status_display()},
            )
        staged_delete(upload_id=upload_id)
    return upload


def uploads_discard_stale(*, days: int | None = None) -> int:
    """Discard uploads left awaiting confirmation for more than `days` (settings.UPLOAD_CONFIRM_DAYS): their
    staged rows would otherwise stay in the staging table for good and slow every later upload's preview
    and load. The analyst sees why on the upload's page. Returns how many were discarded; safe to run
    twice (each upload is claimed by a conditional update)."""
    days = settings.UPLOAD_CONFIRM_DAYS if days is None else days
    cutoff = timezone.now() - timezone.timedelta(days=days)
    stale = Upload.objects.filter(status=Status.AWAITING_CONFIRMATION, validated_at__lt=cutoff)
    discarded = 0
    for upload_id in stale.values_list("pk", flat=True):
        with transaction.atomic():
            if Upload.objects.filter(pk=upload_id, status=Status.AWAITING_CONFIRMATION).update(
                status=Status.DISCARDED,
                error=_(
                    "Kasseret automatisk: uploaden blev ikke godkendt inden for %(days)s dage. Intet blev indlæst."
                )
                % {"days": days},
            ):
                staged_delete(upload_id=upload_id)
                discarded += 1
    return discarded


def upload_rollback(*, upload_id: int, user=None) -> Upload:
    """Undo a loaded upload: restore exactly the values it replaced and delete the values it added.

    Refused while a later loaded upload has replaced some of its values: that one must be rolled back
    first, or the rollback would bring back values older than what the later upload wrote.
    """
    with transaction.atomic():
        load.bulk_settings()
        load.lock()
        upload = Upload.objects.select_for_update().get(pk=upload_id)
        if upload.status != Status.LOADED:
            raise ValidationError(
                _("Kun en indlæst upload kan rulles tilbage; denne har status “%(status)s”."),
                code="wrong_status",
                params={"status": upload.get_status_display()},
            )
        blocking = load.later_uploads_blocking_rollback(upload_id)
        if blocking:
            names = Upload.objects.filter(pk__in=blocking).order_by("pk").values_list("pk", "original_name")
            raise ValidationError(
                ngettext(
                    "Uploaden kan ikke rulles tilbage, fordi en senere upload har ændret nogle af de samme "
                    "værdier: %(uploads)s. Rul den tilbage først.",
                    "Uploaden kan ikke rulles tilbage, fordi senere uploads har ændret nogle af de samme "
                    "værdier: %(uploads)s. Rul dem tilbage først, den nyeste først.",
                    len(blocking),
                ),
                code="later_upload",
                params={"uploads": ", ".join(f"nr. {pk} ({name})" for pk, name in names)},
            )
        indicator_ids, deleted, restored = load.rollback(upload_id)
        Upload.objects.filter(pk=upload_id, status=Status.LOADED).update(
            status=Status.ROLLED_BACK, rolled_back_at=timezone.now(), rolled_back_by=user
        )
        observations_changed_on_commit(indicator_ids)
    logger.info("Upload %s rolled back: %s values deleted, %s restored", upload_id, deleted, restored)
    return Upload.objects.get(pk=upload_id)


def upload_attempt_begin(*, upload_id: int) -> bool:
    """A run of the upload's current step begins: count it. The run after UPLOAD_MAX_ATTEMPTS runs that
    never finished (their worker was killed, ran out of memory or time, and the task was redelivered or
    started again) fails the upload instead. Returns whether the run may go ahead."""
    Upload.objects.filter(pk=upload_id, status__in=Upload.WORKING).update(
        attempts=F("attempts") + 1, step_at=timezone.now(), queued_since=None
    )
    attempts = Upload.objects.filter(pk=upload_id, status__in=Upload.WORKING).values_list(
        "attempts", flat=True
    )
    attempts = attempts.first()
    if attempts is None:
        return True  # nothing to do: the run finds nothing to claim
    if attempts > settings.UPLOAD_MAX_ATTEMPTS:
        upload_fail(upload_id=upload_id, error=f"gave up after {attempts - 1} runs", reason=gave_up_reason())
        return False
    return True


def gave_up_reason() -> str:
    return _(
        "Behandlingen af filen blev afbrudt %(attempts)s gange (den tog for lang tid eller brugte for meget "
        "hukommelse) og er opgivet. Intet er indlæst. Filen er gemt. Del filen op i mindre filer og upload dem, "
        "eller kontakt en administrator."
    ) % {"attempts": settings.UPLOAD_MAX_ATTEMPTS}


def uploads_watch(*, stall_seconds: int | None = None) -> dict[str, int]:
    """The beat job (every UPLOAD_WATCH_SECONDS): no upload stays stuck.

    - An upload whose task could not be sent (the broker was down) is sent now.
    - An upload whose step has not moved for `stall_seconds` (settings.UPLOAD_STALL_SECONDS) is started
      again, or, when UPLOAD_MAX_ATTEMPTS runs have begun already, marked failed.
    Returns how many were sent, resumed and failed."""
    stall_seconds = settings.UPLOAD_STALL_SECONDS if stall_seconds is None else stall_seconds
    counts = {"sent": 0, "resumed": 0, "failed": 0}
    for upload_id in Upload.objects.filter(status__in=Upload.WORKING, queued_since__isnull=False).values_list(
        "pk", flat=True
    ):
        if _enqueue_now(upload_id):
            counts["sent"] += 1
    cutoff = timezone.now() - timezone.timedelta(seconds=stall_seconds)
    stalled = Upload.objects.filter(status__in=Upload.WORKING, queued_since__isnull=True, step_at__lt=cutoff)
    for upload_id, attempts in stalled.values_list("pk", "attempts"):
        if attempts >= settings.UPLOAD_MAX_ATTEMPTS:
            if upload_fail(
                upload_id=upload_id, error=f"stalled after {attempts} runs", reason=gave_up_reason()
            ):
                counts["failed"] += 1
        elif _enqueue_now(upload_id):
            # The step counts as moved: the next look waits a whole period for the new run.
            Upload.objects.filter(pk=upload_id, status__in=Upload.WORKING).update(step_at=timezone.now())
            counts["resumed"] += 1
    if any(counts.values()):
        logger.info("Uploads watched: %s", counts)
    return counts


def upload_resume(*, upload_id: int) -> bool:
    """Enqueue the task an upload is waiting for again, e.g. after its worker was killed and the broker
    did not redeliver the task. Harmless when the task is still queued or running: the second run finds
    nothing to claim. Returns whether a task was enqueued."""
    status = Upload.objects.filter(pk=upload_id).values_list("status", flat=True).first()
    task = _task_for(status)
    if task:
        _enqueue_on_commit(task, upload_id)
    return task is not None


def upload_fail(*, upload_id: int, error: str, reason: str = "") -> bool:
    """Mark an upload whose processing broke unexpectedly as failed (its staged values are deleted; the
    file is kept). `reason` says why in Danish for the analyst, `error` is the technical detail.

    Only a received, validating or loading upload can fail; a load that failed wrote nothing. Returns
    whether the upload was marked.
    """
    with transaction.atomic():
        failed = Upload.objects.filter(pk=upload_id, status__in=Upload.WORKING).update(
            status=Status.FAILED, error=error[:10_000], failure_reason=reason[:2_000], queued_since=None
        )
        if failed:
            staged_delete(upload_id=upload_id)
    return bool(failed)


# --- helpers --------------------------------------------------------------------------------------------


def _reject(upload_id: int, *, problems: list[dict], warnings=(), rows: int = 0) -> Upload | None:
    """Bad data: the upload is rejected with its problems, and nothing is staged."""
    with transaction.atomic():
        if not Upload.objects.filter(pk=upload_id, status=Status.VALIDATING).update(
            status=Status.REJECTED,
            progress=100,
            rows=rows,
            problems=problems,
            warnings=list(warnings),
            validated_at=timezone.now(),
        ):
            return None
        staged_delete(upload_id=upload_id)
    return Upload.objects.get(pk=upload_id)


def _status_changes_renew(upload_id: int) -> None:
    """Compute the preview's status changes again when another upload was loaded or rolled back since it
    was made: then they describe what this load changes. Runs under the load lock, before the upsert."""
    validated_at, preview = Upload.objects.values_list("validated_at", "preview").get(pk=upload_id)
    if validated_at is None:
        return
    moved = Upload.objects.exclude(pk=upload_id).filter(
        Q(loaded_at__gt=validated_at) | Q(rolled_back_at__gt=validated_at)
    )
    if moved.exists():
        renewed = UploadPreview.from_json(preview).with_status_changes(load.status_changes(upload_id))
        Upload.objects.filter(pk=upload_id).update(preview=renewed.to_json())


def _base_name(name: str) -> str:
    return name.replace("\\", "/").rsplit("/", 1)[-1] or "upload"


def _task_for(status: str):
    """The task an upload in this status waits for, or None."""
    return {
        Status.RECEIVED: tasks.upload_validate_task,
        Status.VALIDATING: tasks.upload_validate_task,
        Status.LOADING: tasks.upload_load_task,
    }.get(status)


def _send(task, upload_id: int) -> bool:
    """Send the task; when the broker is down even after Celery's own publish retries, note on the upload
    that it waits in the queue (its page says so, and `uploads_watch` sends it once the broker is back)."""
    try:
        task.delay(upload_id)
    except kombu.exceptions.OperationalError:
        logger.warning("Broker unavailable: upload %s waits in the queue for %s", upload_id, task.name)
        Upload.objects.filter(pk=upload_id, status__in=Upload.WORKING, queued_since__isnull=True).update(
            queued_since=timezone.now()
        )
        return False
    return True


def _enqueue_now(upload_id: int) -> bool:
    status = Upload.objects.filter(pk=upload_id).values_list("status", flat=True).first()
    task = _task_for(status)
    if task is None:
        return False
    sent = _send(task, upload_id)
    if sent:
        Upload.objects.filter(pk=upload_id).exclude(queued_since=None).update(queued_since=None)
    return sent


def _enqueue_on_commit(task, upload_id: int) -> None:
    transaction.on_commit(lambda: _send(task, upload_id))


class _Progress:
    """Writes the upload's progress (0-100) with one cheap UPDATE, at most every PROGRESS_INTERVAL s."""

    def __init__(self, upload_id: int, status: str):
        self.upload_id = upload_id
        self.status = status
        self.written = 0
        self.at = 0.0
        self._side = None

    def __call__(self, percent: float) -> None:
        percent = max(0, min(99, int(percent)))
        now = time.monotonic()
        if percent <= self.written or now - self.at < PROGRESS_INTERVAL:
            return
        if connection.vendor == "postgresql" and connection.in_atomic_block:
            # Validation stages inside one long transaction; the progress bar must move meanwhile, so the
            # progress is written through a connection of its own (autocommit). The transaction holds no
            # lock that this UPDATE waits for: it does not touch the upload's row until its final claim.
            if self._side is None:
                self._side = connections.create_connection(DEFAULT_DB_ALIAS)
            with self._side.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {connection.ops.quote_name(Upload._meta.db_table)} SET progress = %s, step_at = %s "
                    "WHERE id = %s AND status = %s",
                    [percent, timezone.now(), self.upload_id, self.status],
                )
        else:
            Upload.objects.filter(pk=self.upload_id, status=self.status).update(
                progress=percent, step_at=timezone.now()
            )
        self.written, self.at = percent, now

    def close(self) -> None:
        if self._side is not None:
            self._side.close()
            self._side = None
