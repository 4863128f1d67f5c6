"""The API against its own OpenAPI contract, by a property-based tester (schemathesis): every endpoint and
parameter, with generated values, must never answer 5xx, and every answer must match the schema (status code,
content type, headers, body).

`make test` runs a modest number of examples per endpoint; CI runs more:
SCHEMATHESIS_MAX_EXAMPLES=100 .venv/bin/python -m pytest tests/api/test_schema_fuzz.py
"""

import os

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "15"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


# Loaded from the running application (the schema view needs no database), as a client would read it.
schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())


@pytest.fixture(autouse=True)
def _one_connection_for_the_test():
    """The WSGI handler closes the database connection after each request when its autocommit differs from
    the settings', which it does inside the test's transaction (PostgreSQL: "the connection is closed" on
    the next request). Django's own test client disconnects the same receivers."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture(autouse=True)
def _data(values):
    """Observations (some sample data) and statuses, so the answers have rows to check."""


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
@pytest.mark.django_db
def test_the_api_keeps_its_contract(case):
    case.call_and_validate(checks=CHECKS)
