"""#16.7 and #15.6: production refuses to be insecure. Settings are read when a process starts, so most of
these run a fresh interpreter with exactly the environment under test (none of the test suite's defaults)."""

import os
import subprocess
import sys

import pytest
from django.conf import settings as django_settings

from .test_redis_down import published_pages

# What docs/security.md and docs/deployment.md document for production (docker-compose.yml sets these).
PRODUCTION = {
    "SECRET_KEY": "k7#Qz!p2@vR9&xL4$wN8^tB1*yH6(uJ3)mK5_eC0+fG-oI=aS%dT",
    "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    "ALLOWED_HOSTS": "sundhed.example.dk",
    "CSRF_TRUSTED_ORIGINS": "https://sundhed.example.dk",
    "DATABASE_URL": "postgres://sundhed:hemmelig@db:5432/sundhed",
    "REDIS_URL": "redis://:hemmelig@redis:6379/0",
    "SECURE_PROXY_SSL_HEADER": "1",
    "TRUSTED_PROXIES": "10.89.0.10",
    "DEBUG": "0",
}
# The suite's own defaults (sundhedsaftale/test_settings.py) and anything of the developer's shell.
CLEARED = {
    "SECRET_KEY",
    "EMAIL_BACKEND",
    "SECURE_SSL_REDIRECT",
    "SECURE_COOKIES",
    "SECURE_HSTS_SECONDS",
    "DEBUG",
    "DATABASE_URL",
    "REDIS_URL",
    # Set by tests/browser/conftest.py for Playwright's event loop; never in a deployment.
    "DJANGO_ALLOW_ASYNC_UNSAFE",
}


def _run(code: str, **env) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in CLEARED}
    clean.update(DJANGO_SETTINGS_MODULE="sundhedsaftale.settings", **env)
    return subprocess.run(
        [sys.executable, "-c", code],
        env=clean,
        cwd=django_settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _manage(*args, **env) -> subprocess.CompletedProcess:
    return _run(
        f"import sys; sys.argv = ['manage.py', *{list(args)!r}]; exec(open('manage.py').read())", **env
    )


def test_check_deploy_prints_no_warning_with_the_documented_production_settings():
    result = _manage("check", "--deploy", **PRODUCTION)
    assert result.returncode == 0, result.stderr
    output = result.stdout + result.stderr
    assert "System check identified no issues" in output, output
    assert "WARNING" not in output.upper() and "security.W" not in output


def test_without_debug_and_without_a_secret_key_the_app_refuses_to_start():
    env = {**PRODUCTION}
    del env["SECRET_KEY"]
    result = _run("import sundhedsaftale.wsgi", **env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "SECRET_KEY" in result.stderr
    # The deploy check says so too, and a request never signs anything with a known key.
    result = _manage("check", "--deploy", **env)
    assert result.returncode != 0 and "SECRET_KEY is not set" in result.stderr
    result = _run(
        "from django.conf import settings; import django; django.setup(); print(repr(settings.SECRET_KEY))",
        **env,
    )
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr


def test_without_debug_an_e_mail_backend_is_required():
    env = {**PRODUCTION}
    del env["EMAIL_BACKEND"]
    result = _run("import sundhedsaftale.wsgi", **env)
    assert result.returncode != 0 and "EMAIL_BACKEND" in result.stderr


def test_with_everything_production_needs_the_app_starts():
    result = _run("import sundhedsaftale.wsgi; print('started')", **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "started" in result.stdout


@pytest.mark.parametrize("value", ["ture", "ja", "Y", "2"])
def test_a_malformed_boolean_stops_the_start(value):
    result = _run("import django; django.setup()", **PRODUCTION, DASHBOARD_REQUIRE_LOGIN=value)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "DASHBOARD_REQUIRE_LOGIN" in result.stderr


def test_debug_keeps_working_without_any_setting():
    result = _manage("check", DEBUG="1")
    assert result.returncode == 0, result.stderr


def test_celery_has_time_limits_and_beat_names_its_tasks(settings):
    assert settings.CELERY_TASK_SOFT_TIME_LIMIT and settings.CELERY_TASK_TIME_LIMIT
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert "." in entry["task"]


@pytest.mark.django_db
def test_every_page_has_a_content_security_policy_without_inline_scripts(client, analyst_client):
    for path in [*published_pages(), "/healthz"]:
        response = client.get(path)
        policy = response.headers.get("Content-Security-Policy", "")
        directives = dict(
            (part.strip().split(" ", 1) + [""])[:2] for part in policy.split(";") if part.strip()
        )
        assert "script-src" in directives, path
        assert (
            "'unsafe-inline'" not in directives["script-src"]
            and "'unsafe-eval'" not in directives["script-src"]
        )
        assert directives.get("object-src") == "'none'" and directives.get("frame-ancestors") == "'none'"
    response = analyst_client.get("/indikatorer/upload/")
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]


@pytest.mark.django_db
def test_no_page_has_an_inline_script_or_event_handler(client):
    import re

    for path in published_pages():
        html = client.get(path).content.decode()
        for script in re.findall(r"<script\b([^>]*)>(.*?)</script>", html, flags=re.S):
            attributes, body = script
            assert "src=" in attributes or 'type="application/json"' in attributes, (path, script[:200])
        assert not re.search(r"<[^>]+\son[a-z]+\s*=", html), path


@pytest.mark.django_db
def test_staff_sessions_are_shorter(client, ssu_secretary, analyst, settings):
    client.post("/konto/login/", {"username": "signe", "password": "signe-kode-1"})
    assert client.session.get_expiry_age() == settings.STAFF_SESSION_SECONDS
    assert settings.STAFF_SESSION_SECONDS < settings.SESSION_COOKIE_AGE
    client.post("/konto/logout/")
    client.post("/konto/login/", {"username": "anna", "password": "analytiker-kode-1"})
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE


def test_compose_has_a_tls_proxy_secrets_without_defaults_and_limits(settings):
    import re
    from pathlib import Path

    import yaml

    text = Path(settings.BASE_DIR, "docker-compose.yml").read_text()
    compose = yaml.safe_load(text)
    services = compose["services"]
    assert services["proxy"]["image"].startswith(("caddy", "nginx"))
    assert "ports" not in services["web"]  # only the proxy is published
    assert {p.split(":")[-1] for p in services["proxy"]["ports"]} == {"80", "443"}
    for name in ("SECRET_KEY", "POSTGRES_PASSWORD", "REDIS_PASSWORD"):
        uses = re.findall(r"\$\{" + name + r"(:[?-][^}]*)?\}", text)
        assert uses and all(use.startswith(":?") for use in uses), name
    assert "--requirepass" in " ".join(services["redis"]["command"])
    assert all(service.get("mem_limit") for service in services.values())
    assert "/healthz" in " ".join(services["web"]["healthcheck"]["test"])


def test_no_template_has_an_inline_script_or_event_handler(settings):
    """The policy has no 'unsafe-inline' for scripts: an onclick= or a <script> with code in a template would
    silently do nothing. Behaviour belongs in static/js/ (data-* attributes and listeners)."""
    import re
    from pathlib import Path

    found = []
    for path in [
        *Path(settings.BASE_DIR, "templates").rglob("*.html"),
        *Path(settings.BASE_DIR).glob("*/templates/**/*.html"),
    ]:
        if ".venv" in path.parts:
            continue
        html = path.read_text(encoding="utf-8")
        for attributes, body in re.findall(r"<script\b([^>]*)>(.*?)</script>", html, flags=re.S):
            if "src=" not in attributes and "application/json" not in attributes and body.strip():
                found.append((str(path), "inline <script>"))
        for handler in re.findall(r"<[a-zA-Z][^>]*\s(on[a-z]+)\s*=", html):
            found.append((str(path), handler))
    assert found == []
