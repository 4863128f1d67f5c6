"""Shared fixtures. Reference data (geography, indicator catalogue, the five agreements) is loaded
once per test session, as `manage.py bootstrap` loads it; each test runs in a rolled-back transaction."""

import pytest
from django.core.management import call_command


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hashing():
    """Every persona is a real user with a real password; hashing each with production's 1,000,000 PBKDF2
    rounds would cost a quarter of a second per user, and the URL matrix alone creates over a thousand."""
    from django.test import override_settings

    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(autouse=True)
def _no_api_rate_limit(settings):
    """The API's limit per address would count every test's requests from the one test address; the tests of
    the limit set their own (tests/api/test_access.py)."""
    settings.API_ANON_RATE = ""


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("bootstrap", verbosity=0)


# Personas (healthchecks' alice/bob/charlie habit): one place to get a user of each kind.


@pytest.fixture
def analyst(db):
    """Uploads, confirms and rolls back indicator data."""
    from sundhedsaftale.roles import ANALYST
    from tests.factories import user_create

    return user_create("anna", role=ANALYST, password="analytiker-kode-1")


@pytest.fixture
def analyst_client(client, analyst):
    client.force_login(analyst)
    return client


@pytest.fixture
def ssu_member(db):
    """Reads the published pages."""
    from sundhedsaftale.roles import SSU_MEMBER
    from tests.factories import user_create

    return user_create("sofie", role=SSU_MEMBER, password="ssu-medlem-kode-1")


@pytest.fixture
def eager_tasks():
    """Run Celery tasks in-process even when REDIS_URL points at a real broker (the CI run on PostgreSQL):
    for tests of pages and services, not of the worker itself (tests/indicators/test_real_worker.py)."""
    from sundhedsaftale.celery import app

    saved = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager = app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = saved


@pytest.fixture
def empty_page_cache():
    """An empty page cache, so that a page's first request computes it (`usefixtures` in the page tests)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def fyn_secretary(db):
    """Writes the Fyn cluster's activity reports."""
    from sundhedsaftale.roles import CLUSTER_SECRETARIAT
    from tests.factories import user_create

    return user_create("frida", role=CLUSTER_SECRETARIAT, cluster="fyn")


@pytest.fixture
def lillebaelt_secretary(db):
    """Writes the Lillebælt cluster's activity reports."""
    from sundhedsaftale.roles import CLUSTER_SECRETARIAT
    from tests.factories import user_create

    return user_create("lars", role=CLUSTER_SECRETARIAT, cluster="lillebaelt")


@pytest.fixture
def ssu_secretary(db):
    """Opens reporting rounds, reviews reports, edits agreements and manages users (staff)."""
    from sundhedsaftale.roles import SSU_SECRETARIAT
    from tests.factories import user_create

    return user_create("signe", role=SSU_SECRETARIAT, staff=True)
