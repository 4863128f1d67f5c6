"""Shared fixtures. Reference data (geography, indicator catalogue, the five agreements) is loaded
once per test session, as `manage.py bootstrap` loads it; each test runs in a rolled-back transaction."""

import pytest
from django.core.management import call_command


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("bootstrap", verbosity=0)


# Personas (healthchecks' alice/bob/charlie habit): one place to get a user of each kind.


@pytest.fixture
def analyst(db):
    from django.contrib.auth import get_user_model

    from sundhedsaftale.roles import ANALYST, roles_ensure

    user = get_user_model().objects.create_user("anna", "anna@example.dk", "analytiker-kode-1")
    user.groups.add(roles_ensure()[ANALYST])
    return user


@pytest.fixture
def analyst_client(client, analyst):
    client.force_login(analyst)
    return client


@pytest.fixture
def ssu_member(db):
    from django.contrib.auth import get_user_model

    from sundhedsaftale.roles import SSU_MEMBER, roles_ensure

    user = get_user_model().objects.create_user("sofie", "sofie@example.dk", "ssu-medlem-kode-1")
    user.groups.add(roles_ensure()[SSU_MEMBER])
    return user


@pytest.fixture
def eager_tasks():
    """Run Celery tasks in-process even when REDIS_URL points at a real broker (the CI run on PostgreSQL):
    for tests of pages and services, not of the worker itself (tests/indicators/test_real_worker.py)."""
    from sundhedsaftale.celery import app

    saved = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager = app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = saved
