"""Uploads through a real Celery worker process on PostgreSQL and Redis, including a worker killed in the
middle of a load.

Run with DATABASE_URL=postgres://... REDIS_URL=redis://... (skipped otherwise). The worker processes use the
test database and a queue of their own, so a developer's own worker on the same Redis never takes these
tasks. The tests commit (they need another process to see their data), so they run as transactional
tests; the flush that follows empties every table, and the session's reference data is loaded again.
"""

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection, connections

from clusters.models import Area
from goals.models import Measure, MeasureStatus
from indicators import services
from indicators.ingest.load import SLEEP_AFTER_UPSERT_ENV
from indicators.models import Indicator, Observation, ObservationHistory, StagedObservation, Upload
from sundhedsaftale.celery import app as celery_app

DATABASE_URL = os.environ.get("DATABASE_URL", "")
REDIS_URL = os.environ.get("REDIS_URL", "")

pytestmark = [
    pytest.mark.realworker,
    pytest.mark.skipif(
        not (DATABASE_URL.startswith("postgres") and REDIS_URL),
        reason="needs DATABASE_URL (PostgreSQL) and REDIS_URL (a Redis broker)",
    ),
]

HEADER = "indikator;område;år;køn;alder;uddannelse;andel;nedre;øvre;antal svarpersoner\n"
TIMEOUT = 90


@pytest.fixture
def reference_data_reloaded(django_db_blocker):
    """The session's reference data, before the test (an earlier transactional test may have flushed it)
    and again after it: set up before `transactional_db`, this is torn down after its flush."""
    with django_db_blocker.unblock():
        call_command("bootstrap", verbosity=0)
    yield
    with django_db_blocker.unblock():
        call_command("bootstrap", verbosity=0)
        connections.close_all()


@pytest.fixture
def queue(monkeypatch):
    """A queue only this test's workers listen to: the project's tasks this process sends go there (and
    the workers send theirs there too, see WORKER)."""
    name = f"test-uploads-{uuid.uuid4().hex[:12]}"
    celery_app.loader.import_default_modules()  # every task module, goals' too
    for task_name, task in celery_app.tasks.items():
        if task_name.startswith(("indicators.", "goals.")):
            monkeypatch.setattr(task, "queue", name, raising=False)
            monkeypatch.setattr(task, "_exec_options", None)  # Celery caches the options it sends with
    yield name
    _forget_queue(name)


# A real `celery worker` (what `celery -A sundhedsaftale worker` runs), whose default queue is the test's
# queue: the tasks it sends itself, such as goals' status refresh after a load, stay in the test too.
WORKER = """
import sys
from sundhedsaftale.celery import app
queue, name = sys.argv[1:3]
app.conf.task_default_queue = queue
app.worker_main(["worker", "-P", "solo", "--concurrency", "1", "-Q", queue, "-n", name,
                 "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel", "info",
                 *sys.argv[3:]])
"""
# With beat embedded (-B), as the `beat` service runs it: the `uploads-watch` job every second, and a step
# that has not moved for three seconds counts as stalled.
BEAT_ENV = {"UPLOAD_WATCH_SECONDS": "1", "UPLOAD_STALL_SECONDS": "3"}


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def start_worker(queue, media, tmp_path):
    """Start `celery worker` processes on the test database; every one is killed at the end."""
    started = []

    def start(*, beat=False, redis_url=None, **extra_env):
        db = connection.settings_dict
        password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
        env = {
            **os.environ,
            "DATABASE_URL": f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
            "REDIS_URL": redis_url or REDIS_URL,
            "MEDIA_ROOT": str(media),
            "DJANGO_SETTINGS_MODULE": "sundhedsaftale.settings",
            "CONN_MAX_AGE": "0",
            **(BEAT_ENV if beat else {}),
            **extra_env,
        }
        log = tmp_path / f"worker-{len(started) + 1}.log"
        command = [sys.executable, "-c", WORKER, queue, f"{queue}-{len(started) + 1}@%h"]
        if beat:
            command += ["-B", "--schedule", str(tmp_path / f"beat-{len(started) + 1}")]
        handle = log.open("wb")
        process = subprocess.Popen(
            command,
            cwd=settings.BASE_DIR,
            env=env,
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        process.log = log
        started.append((process, handle))
        return process

    yield start
    for process, handle in started:
        _kill(process)
        handle.close()


def _kill(process):
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)  # the worker's own process group (start_new_session)
        process.wait(timeout=30)


def _forget_queue(name):
    """Remove the test queue and any message a killed worker left unacknowledged for it, so no later
    worker on this Redis ever sees these tasks."""
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    client.delete(name, *client.scan_iter(match=f"_kombu.binding*.{name}"))
    for tag, payload in client.hgetall("unacked").items():
        try:
            routing_key = json.loads(payload)[2]
        except (ValueError, IndexError, TypeError):
            continue
        if routing_key == name:
            client.hdel("unacked", tag)
            client.zrem("unacked_index", tag)


def wait_for(condition, what, workers, timeout=TIMEOUT):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := condition():
            return result
        time.sleep(0.2)
    logs = "\n".join(Path(w.log).read_text(errors="replace")[-3000:] for w in workers)
    pytest.fail(f"timed out waiting for {what}; worker log:\n{logs}")


def status_of(upload):
    return Upload.objects.values_list("status", flat=True).get(pk=upload.pk)


def submit(text):
    return services.upload_create(file=ContentFile(text.encode("utf-8"), name="indikatorer.csv"), user=None)


def stored(keys):
    return list(
        Observation.objects.filter(indicator__code="dagligrygning", area__code__in=keys)
        .order_by("area__code", "year", "sex", "age_group", "education")
        .values_list("area__code", "year", "sex", "value", "ci_low", "ci_high", "is_sample", "upload_id")
    )


def test_a_real_worker_validates_and_loads_an_upload(reference_data_reloaded, transactional_db, start_worker):
    measure = Measure.objects.get(
        indicator__code="dagligrygning",
        objective__vision__agreement__slug="syddanmark-2019-2023",
        sex="alle",
        age_group="alle",
        education="alle",
    )
    region = measure.objective.vision.agreement.area
    worker = start_worker()

    upload = submit(
        HEADER
        + f"dagligrygning;{region.code};2017;Alle;16+;Alle;17,0;16,0;18,0;9.000\n"
        + f"dagligrygning;{region.code};2021;Alle;16+;Alle;14,0;13,0;15,0;9.000\n"
        + "dagligrygning;Odense;2021;Kvinder;16-24;Alle;9,8;7,9;12,0;1.020\n"
    )

    wait_for(lambda: status_of(upload) == Upload.Status.AWAITING_CONFIRMATION, "validation", [worker])
    upload.refresh_from_db()
    assert (upload.progress, upload.new, upload.changed) == (100, 3, 0)
    assert measure.pk in {change["measure_id"] for change in upload.preview["status_changes"]}
    assert not Observation.objects.filter(indicator__code="dagligrygning").exists()

    services.upload_confirm(upload_id=upload.pk, user=None)
    wait_for(lambda: status_of(upload) == Upload.Status.LOADED, "the load", [worker])

    assert stored([region.code, "461"]) == [
        (region.code, 2017, "alle", 17.0, 16.0, 18.0, False, upload.pk),
        (region.code, 2021, "alle", 14.0, 13.0, 15.0, False, upload.pk),
        ("461", 2021, "kvinder", 9.8, 7.9, 12.0, False, upload.pk),
    ]
    assert not StagedObservation.objects.exists()

    # The worker refreshes the statuses once the load has committed.
    def latest_status():
        return (
            MeasureStatus.objects.filter(measure=measure, area=region, sex="alle", age_group="alle")
            .filter(education="alle", as_of_year=2021)
            .values_list("status", flat=True)
            .first()
        )

    assert wait_for(latest_status, "the statuses", [worker]) != "no_data"


def test_a_worker_killed_in_the_middle_of_a_load_leaves_nothing_and_the_load_completes_afterwards(
    reference_data_reloaded, transactional_db, start_worker
):
    dagligrygning = Indicator.objects.get(code="dagligrygning")
    odense = Area.objects.get(code="461")
    Observation.objects.create(
        indicator=dagligrygning, area=odense, year=2017, value=20.0, ci_low=19.0, ci_high=21.0
    )
    before = stored(["461"])
    # The load sleeps after its upsert and before its commit: long enough to be killed there.
    slow = start_worker(**{SLEEP_AFTER_UPSERT_ENV: "60"})
    upload = submit(
        HEADER
        + "dagligrygning;461;2017;Alle;16+;Alle;18,0;17,0;19,0;4.000\n"
        + "dagligrygning;461;2021;Alle;16+;Alle;16,3;15,1;17,6;4.812\n"
        + "dagligrygning;461;2023;Alle;16+;Alle;15,9;14,8;17,0;4.700\n"
    )
    wait_for(lambda: status_of(upload) == Upload.Status.AWAITING_CONFIRMATION, "validation", [slow])

    services.upload_confirm(upload_id=upload.pk, user=None)
    backend = wait_for(lambda: _sleeping_load_backend(), "the load to reach its sleep", [slow])
    os.killpg(slow.pid, signal.SIGKILL)
    slow.wait(timeout=30)
    wait_for(lambda: not _backend_alive(backend), "PostgreSQL to end the dead worker's session", [slow])

    # Nothing of the load is visible: old value kept, no new keys, nothing recorded as replaced.
    assert stored(["461"]) == before
    assert not ObservationHistory.objects.filter(upload=upload).exists()
    assert status_of(upload) == Upload.Status.LOADING
    assert StagedObservation.objects.filter(upload=upload).count() == 3

    # A new worker with beat, and no one doing anything: the killed worker's message would only be
    # redelivered by Redis after its visibility timeout (an hour), but the `uploads-watch` beat job finds
    # the load stalled and starts it again. The load completes.
    fresh = start_worker(beat=True)
    wait_for(lambda: status_of(upload) == Upload.Status.LOADED, "the resumed load", [slow, fresh])

    assert stored(["461"]) == [
        ("461", 2017, "alle", 18.0, 17.0, 19.0, False, upload.pk),
        ("461", 2021, "alle", 16.3, 15.1, 17.6, False, upload.pk),
        ("461", 2023, "alle", 15.9, 14.8, 17.0, False, upload.pk),
    ]
    (replaced,) = ObservationHistory.objects.filter(upload=upload)
    assert (replaced.year, replaced.value, replaced.ci_low, replaced.ci_high) == (2017, 20.0, 19.0, 21.0)
    upload.refresh_from_db()
    assert (upload.new, upload.changed, upload.unchanged) == (2, 1, 0)


def _sleeping_load_backend():
    """The worker's database session while it sleeps inside the load's transaction (it holds the load
    lock and has been idle in the transaction for a second), or None."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT a.pid FROM pg_stat_activity a
            WHERE a.datname = current_database() AND a.pid <> pg_backend_pid()
              AND a.state = 'idle in transaction' AND now() - a.state_change > interval '1 second'
              AND EXISTS (SELECT 1 FROM pg_locks l WHERE l.pid = a.pid AND l.locktype = 'advisory')
            """
        )
        row = cursor.fetchone()
    return row[0] if row else None


def _backend_alive(pid):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", [pid])
        return cursor.fetchone() is not None


def test_a_load_that_kills_its_worker_twice_fails_with_a_reason_and_the_file_is_kept(
    reference_data_reloaded, transactional_db, start_worker
):
    upload = submit(HEADER + "dagligrygning;461;2021;Alle;16+;Alle;16,3;15,1;17,6;4.812\n")
    slow = start_worker(**{SLEEP_AFTER_UPSERT_ENV: "60"})
    wait_for(lambda: status_of(upload) == Upload.Status.AWAITING_CONFIRMATION, "validation", [slow])
    services.upload_confirm(upload_id=upload.pk, user=None)
    workers = [slow]
    for attempt in (1, 2):
        backend = wait_for(
            lambda: _sleeping_load_backend(), f"load attempt {attempt} to reach its sleep", workers
        )
        os.killpg(workers[-1].pid, signal.SIGKILL)
        workers[-1].wait(timeout=30)
        wait_for(
            lambda b=backend: not _backend_alive(b), "PostgreSQL to end the dead worker's session", workers
        )
        # The next worker (with beat) finds the load stalled: the first time it starts it again (and dies
        # in the same place), the second time it gives up.
        workers.append(start_worker(beat=True, **{SLEEP_AFTER_UPSERT_ENV: "60"}))

    wait_for(lambda: status_of(upload) == Upload.Status.FAILED, "the upload to fail", workers)
    upload.refresh_from_db()
    assert upload.attempts == 2
    assert "afbrudt 2 gange" in upload.failure_reason and "Filen er gemt" in upload.failure_reason
    assert upload.file.storage.exists(upload.file.name)
    assert not Observation.objects.filter(upload=upload).exists()
    assert not StagedObservation.objects.filter(upload=upload).exists()


@pytest.fixture
def own_redis(tmp_path):
    """A Redis server of this test's own, which the test stops and starts again (never the shared one)."""
    import shutil
    import socket

    if shutil.which("redis-server") is None:
        pytest.skip("needs the redis-server program (apt-get install redis-server)")

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    processes = []

    def start():
        process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(tmp_path),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        processes.append(process)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with socket.socket() as client:
                if client.connect_ex(("127.0.0.1", port)) == 0:
                    return
            time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop():
        process = processes[-1]
        process.terminate()
        process.wait(timeout=10)

    start()
    yield type(
        "OwnRedis",
        (),
        {"url": f"redis://127.0.0.1:{port}/0", "start": staticmethod(start), "stop": staticmethod(stop)},
    )
    for process in processes:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=10)


@pytest.fixture
def broker(own_redis, settings):
    """This process uses `own_redis` for everything Redis does for the web app: its tasks go there (a fresh
    connection pool) and so does its cache, so stopping it is an outage of the web app's whole Redis."""
    import importlib

    from sundhedsaftale.cache import TolerantRedisCache

    page_cache = importlib.import_module("goals.selectors.page_cache")
    saved = celery_app.conf.broker_url
    celery_app.conf.broker_url = own_redis.url
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    settings.REDIS_URL = own_redis.url
    settings.CACHES = {
        "default": {
            **django_settings.CACHES["default"],
            "BACKEND": "sundhedsaftale.cache.TolerantRedisCache",
            "LOCATION": own_redis.url,
            "KEY_PREFIX": "sa",
        }
    }
    page_cache._redis_client.cache_clear()
    yield own_redis
    celery_app.conf.broker_url = saved
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    page_cache._redis_client.cache_clear()
    TolerantRedisCache._down_until = 0.0


def test_an_upload_sent_while_the_broker_is_down_starts_by_itself_when_it_is_back(
    reference_data_reloaded, transactional_db, start_worker, broker, client, analyst
):
    worker = start_worker(beat=True, redis_url=broker.url)
    broker.stop()

    started = time.monotonic()
    upload = submit(HEADER + "dagligrygning;461;2021;Alle;16+;Alle;16,3;15,1;17,6;4.812\n")
    took = time.monotonic() - started
    assert took < 5, f"the upload took {took:.1f} s with the broker down"
    upload.refresh_from_db()
    assert (upload.status, upload.queued_since is not None) == (Upload.Status.RECEIVED, True)
    upload.uploaded_by = analyst
    upload.save(update_fields=["uploaded_by"])
    client.force_login(analyst)
    page = client.get(f"/indikatorer/upload/{upload.pk}/").content.decode()
    assert "Sat i kø" in page and "startes af sig selv" in page

    broker.start()
    wait_for(lambda: status_of(upload) == Upload.Status.AWAITING_CONFIRMATION, "validation", [worker])
    upload.refresh_from_db()
    assert upload.queued_since is None
    page = client.get(f"/indikatorer/upload/{upload.pk}/").content.decode()
    assert "Sat i kø" not in page
