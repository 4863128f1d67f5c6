"""#16.1 (worker side) and #16.2: no upload is stuck, and none is tried for ever.

Tasks run in-process here; tests/indicators/test_real_worker.py does the same with a real worker, a broker
that goes away and a worker killed mid-load."""

import kombu.exceptions
import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.core.files.base import ContentFile
from django.utils import timezone

from indicators import services, tasks
from indicators.models import Observation, Upload
from indicators.services import uploads

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_tasks")]

CSV = (
    "indikator;område;år;køn;alder;uddannelse;andel;nedre;øvre;antal svarpersoner\n"
    "dagligrygning;461;2021;Alle;16+;Alle;16,3;15,1;17,6;4.812\n"
)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def broker_down(monkeypatch):
    """Sending any upload task fails as it does when Redis is unreachable; `.up()` brings it back."""
    sent = []

    def refuse(*args, **kwargs):
        raise kombu.exceptions.OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    originals = {name: getattr(tasks, name).delay for name in ("upload_validate_task", "upload_load_task")}
    for name in originals:
        monkeypatch.setattr(getattr(tasks, name), "delay", refuse)

    class Broker:
        def up(self):
            for name, delay in originals.items():

                def send(*args, _delay=delay, _name=name, **kwargs):
                    sent.append(_name)
                    return _delay(*args, **kwargs)

                monkeypatch.setattr(getattr(tasks, name), "delay", send)

    broker = Broker()
    broker.sent = sent
    return broker


def _submit(django_capture_on_commit_callbacks, user=None):
    with django_capture_on_commit_callbacks(execute=True):
        upload = services.upload_create(file=ContentFile(CSV.encode(), name="indikatorer.csv"), user=user)
    upload.refresh_from_db()
    return upload


def test_an_upload_sent_while_the_broker_is_down_is_shown_as_queued_and_starts_when_it_is_back(
    broker_down, django_capture_on_commit_callbacks, analyst_client, analyst
):
    upload = _submit(django_capture_on_commit_callbacks, analyst)
    assert upload.status == Upload.Status.RECEIVED and upload.queued_since is not None
    page = analyst_client.get(f"/indikatorer/upload/{upload.pk}/").content.decode()
    assert "Sat i kø" in page and "startes af sig selv, når forbindelsen er tilbage" in page

    uploads.uploads_watch()  # still down: nothing changes, nothing is lost
    upload.refresh_from_db()
    assert upload.status == Upload.Status.RECEIVED and upload.queued_since is not None

    broker_down.up()
    assert uploads.uploads_watch()["sent"] == 1  # the beat job, once the broker is back
    upload.refresh_from_db()
    assert upload.status == Upload.Status.AWAITING_CONFIRMATION and upload.queued_since is None


def test_a_load_that_stalled_is_started_again_by_the_beat_job(django_capture_on_commit_callbacks, settings):
    upload = _submit(django_capture_on_commit_callbacks)
    # Confirmed, but the worker that took the load died before it committed (nothing was written).
    Upload.objects.filter(pk=upload.pk).update(
        status=Upload.Status.LOADING, attempts=1, step_at=timezone.now() - timezone.timedelta(hours=1)
    )
    counts = uploads.uploads_watch()
    assert counts["resumed"] == 1
    upload.refresh_from_db()
    assert upload.status == Upload.Status.LOADED
    assert Observation.objects.filter(upload=upload).count() == 1


def test_godkend_on_a_stalled_load_starts_it_again(
    django_capture_on_commit_callbacks, analyst_client, analyst
):
    upload = _submit(django_capture_on_commit_callbacks, analyst)
    Upload.objects.filter(pk=upload.pk).update(
        status=Upload.Status.LOADING, attempts=1, step_at=timezone.now() - timezone.timedelta(minutes=10)
    )
    page = analyst_client.get(f"/indikatorer/upload/{upload.pk}/").content.decode()
    assert "Godkend og start indlæsningen igen" in page
    with django_capture_on_commit_callbacks(execute=True):
        analyst_client.post(f"/indikatorer/upload/{upload.pk}/godkend/")
    upload.refresh_from_db()
    assert upload.status == Upload.Status.LOADED


def test_a_task_started_a_third_time_fails_the_upload_with_a_danish_reason_and_keeps_the_file(
    django_capture_on_commit_callbacks, analyst_client, analyst
):
    upload = _submit(django_capture_on_commit_callbacks, analyst)
    # Two loads began and never finished (the worker was killed each time; the broker redelivers).
    Upload.objects.filter(pk=upload.pk).update(status=Upload.Status.LOADING, attempts=2)
    tasks.upload_load_task.delay(upload.pk)
    upload.refresh_from_db()
    assert upload.status == Upload.Status.FAILED
    assert "afbrudt 2 gange" in upload.failure_reason and "Filen er gemt" in upload.failure_reason
    assert upload.file.storage.exists(upload.file.name)
    assert not Observation.objects.filter(upload=upload).exists()
    page = analyst_client.get(f"/indikatorer/upload/{upload.pk}/").content.decode()
    assert "afbrudt 2 gange" in page


def test_a_stalled_upload_after_its_second_attempt_is_failed_by_the_beat_job(
    django_capture_on_commit_callbacks,
):
    upload = _submit(django_capture_on_commit_callbacks)
    Upload.objects.filter(pk=upload.pk).update(
        status=Upload.Status.VALIDATING, attempts=2, step_at=timezone.now() - timezone.timedelta(hours=1)
    )
    assert uploads.uploads_watch()["failed"] == 1
    upload.refresh_from_db()
    assert upload.status == Upload.Status.FAILED and "Filen er gemt" in upload.failure_reason


def test_a_task_that_reaches_the_soft_time_limit_is_tried_once_more_then_failed(
    django_capture_on_commit_callbacks, monkeypatch
):
    runs = []

    def too_slow(*, upload_id):
        runs.append(upload_id)
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr(uploads, "upload_validate", too_slow)
    upload = _submit(django_capture_on_commit_callbacks)
    upload.refresh_from_db()
    assert len(runs) == 2
    assert upload.status == Upload.Status.FAILED and upload.attempts == 2
    assert "Filen er gemt" in upload.failure_reason


def test_the_worker_has_time_and_memory_limits(settings):
    from pathlib import Path

    import yaml

    assert 0 < settings.CELERY_TASK_SOFT_TIME_LIMIT < settings.CELERY_TASK_TIME_LIMIT
    assert settings.CELERY_WORKER_MAX_MEMORY_PER_CHILD > 0
    assert settings.UPLOAD_STALL_SECONDS > settings.CELERY_TASK_TIME_LIMIT
    compose = yaml.safe_load(Path(settings.BASE_DIR, "docker-compose.yml").read_text())
    worker = compose["services"]["worker"]
    assert "--max-memory-per-child" in worker["command"]
    assert worker["mem_limit"]


def test_every_beat_job_names_a_registered_task(settings):
    from sundhedsaftale.celery import app

    app.loader.import_default_modules()
    names = [entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()]
    assert "indicators.uploads_watch" in names
    assert all(name in app.tasks for name in names)
