"""#16.3: Redis down is a degradation, not an outage. With REDIS_URL pointing at a closed port, log-in and
every published page answer, and /healthz says what is wrong with a 503."""

import contextlib
import importlib
import importlib.util
import os
import socket
from unittest import mock

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.test import override_settings

from clusters.models import Area
from goals.models import Agreement, Measure

pytestmark = pytest.mark.django_db


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # free now, and nothing listens on it


def _settings_with(**env):
    """The project's settings module as it reads this environment (a fresh copy, not the loaded one)."""
    path = os.path.join(django_settings.BASE_DIR, "sundhedsaftale", "settings.py")
    with mock.patch.dict(os.environ, env):
        spec = importlib.util.spec_from_file_location("settings_probe", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    return module


@pytest.fixture
def redis_down():
    page_cache = importlib.import_module("goals.selectors.page_cache")
    probe = _settings_with(REDIS_URL=f"redis://127.0.0.1:{_closed_port()}/0")
    page_cache._redis_client.cache_clear()
    page_cache._recent.clear()
    with override_settings(CACHES=probe.CACHES, REDIS_URL=probe.REDIS_URL):
        yield
    page_cache._redis_client.cache_clear()
    # The next test may use a Redis that is up: no pause left over from this one.
    with contextlib.suppress(ImportError):
        importlib.import_module("sundhedsaftale.cache").TolerantRedisCache._down_until = 0.0


def published_pages():
    """One page of every published kind (shared with the CSP tests)."""
    agreement = Agreement.objects.order_by("pk").first()
    measure = Measure.objects.filter(indicator__isnull=False).order_by("pk").first()
    cluster = Area.objects.filter(kind=Area.Kind.CLUSTER).order_by("code").first()
    return [
        "/",
        f"/aftaler/{agreement.slug}/",
        f"/opfoelgning/{measure.pk}/",
        f"/aftaler/{agreement.slug}/historik/",
        f"/omraader/{agreement.area.code}/",
        "/klynger/",
        f"/klynger/{cluster.code}/",
        "/indikatorer/",
        measure.indicator.get_absolute_url(),
        "/konto/login/",
        "/konto/password_reset/",
    ]


def test_every_published_page_answers_while_redis_is_down(client, redis_down):
    for path in published_pages():
        response = client.get(path)
        assert response.status_code == 200, path


def test_log_in_works_while_redis_is_down(client, redis_down):
    get_user_model().objects.create_user("alice", "alice@example.dk", "en-lang-adgangskode-1")
    response = client.post("/konto/login/", {"username": "alice", "password": "en-lang-adgangskode-1"})
    assert response.status_code == 302
    client.post("/konto/logout/")
    response = client.post("/konto/login/", {"username": "alice", "password": "forkert"})
    assert response.status_code == 200
    assert "Indtast venligst korrekt brugernavn og adgangskode" in response.content.decode()


def test_healthz_answers_503_and_names_redis_when_the_broker_is_unreachable(client, redis_down):
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["database"] == "ok" and body["redis"] == "unreachable"
    assert "worker" in body


def test_healthz_reports_redis_and_the_worker_heartbeat(client):
    body = client.get("/healthz").json()
    assert "redis" in body and "worker" in body


def test_sending_a_task_with_redis_down_fails_fast_with_a_broker_error():
    """A web request that sends a task (an upload, a rollback's status refresh) while Redis is down must get
    the broker's error within a second, which the callers handle; not a 20 s wait for a result backend that
    then raises RuntimeError (a 500)."""
    import subprocess
    import sys

    script = """
import time, django
django.setup()
import kombu.exceptions
from indicators import tasks
started = time.monotonic()
try:
    tasks.upload_validate_task.delay(1)
except kombu.exceptions.OperationalError:
    print("broker error after", round(time.monotonic() - started, 2))
"""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "sundhedsaftale.settings",
        "REDIS_URL": f"redis://127.0.0.1:{_closed_port()}/0",
        "DATABASE_URL": "sqlite:///:memory:",
    }
    result = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120
    )
    assert "broker error after" in result.stdout, result.stderr[-2000:]
    assert float(result.stdout.split()[-1]) < 3
