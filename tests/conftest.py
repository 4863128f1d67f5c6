"""Shared fixtures. Reference data (geography, indicator catalogue, the five agreements) is loaded
once per test session, as `manage.py bootstrap` loads it; each test runs in a rolled-back transaction."""

import pytest
from django.core.management import call_command


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("bootstrap", verbosity=0)
