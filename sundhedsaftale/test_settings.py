"""Settings for the test suite (pyproject.toml: DJANGO_SETTINGS_MODULE): production's, with DEBUG off, and
only what a test run without TLS or a mail server needs set in the environment. `make test` needs no
variable; processes a test starts (a Celery worker, a fresh interpreter) inherit these."""

import os

for _name, _value in {
    "SECRET_KEY": "insecure-key-for-the-test-suite-only",
    "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    # The test client speaks plain HTTP.
    "SECURE_SSL_REDIRECT": "0",
    "SECURE_COOKIES": "0",
    "SECURE_HSTS_SECONDS": "0",
}.items():
    os.environ.setdefault(_name, _value)

from .settings import *  # noqa: E402, F403
