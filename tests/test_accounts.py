"""Logging in and out, and changing or resetting a password, in Danish."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice():
    return get_user_model().objects.create_user("alice", "alice@example.dk", "en-lang-adgangskode-1")


def test_a_user_can_log_in_and_out(client, alice):
    page = client.get("/konto/login/").content.decode()
    assert "Log ind" in page and 'for="id_username"' in page
    response = client.post(
        "/konto/login/", {"username": "alice", "password": "en-lang-adgangskode-1"}, follow=True
    )
    assert "alice" in response.content.decode() and "Log ud" in response.content.decode()
    response = client.post("/konto/logout/", follow=True)
    assert "Log ind" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_wrong_password_is_refused_in_danish(client, alice):
    response = client.post("/konto/login/", {"username": "alice", "password": "forkert"})
    assert response.status_code == 200
    assert "Indtast venligst korrekt brugernavn og adgangskode" in response.content.decode()


def test_a_password_can_be_reset_by_email(client, alice, eager_tasks):
    client.post("/konto/password_reset/", {"email": "alice@example.dk"})
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/konto/reset/\S+/)", mail.outbox[0].body).group(1)
    form = client.get(link, follow=True)
    response = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "helt-ny-kode-2024", "new_password2": "helt-ny-kode-2024"},
    )
    assert response.status_code == 302
    assert client.login(username="alice", password="helt-ny-kode-2024")


def _window_passes():
    """As if LOGIN_FAILURE_WINDOW had passed: every counter's window began long ago."""
    from accounts.models import AttemptCounter

    AttemptCounter.objects.update(window_start=0)


def test_repeated_wrong_passwords_block_log_in_for_a_while(client, alice, settings):
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        client.post("/konto/login/", {"username": "alice", "password": "forkert"})
    response = client.post("/konto/login/", {"username": "alice", "password": "en-lang-adgangskode-1"})
    assert "For mange mislykkede forsøg. Vent 15 minutter, og prøv igen." in response.content.decode()
    assert "_auth_user_id" not in client.session
    _window_passes()
    response = client.post("/konto/login/", {"username": "alice", "password": "en-lang-adgangskode-1"})
    assert response.status_code == 302


def test_a_successful_log_in_resets_the_count_of_failures(client, alice, settings):
    for _ in range(settings.LOGIN_FAILURE_LIMIT - 1):
        client.post("/konto/login/", {"username": "alice", "password": "forkert"})
    assert (
        client.post("/konto/login/", {"username": "alice", "password": "en-lang-adgangskode-1"}).status_code
        == 302
    )
    client.post("/konto/logout/")
    for _ in range(settings.LOGIN_FAILURE_LIMIT - 1):
        client.post("/konto/login/", {"username": "alice", "password": "forkert"})
    assert (
        client.post("/konto/login/", {"username": "alice", "password": "en-lang-adgangskode-1"}).status_code
        == 302
    )


def test_a_setting_makes_every_dashboard_page_ask_for_a_log_in():
    """DASHBOARD_REQUIRE_LOGIN=1: published pages need a log-in; log-in, password reset, language and the
    health check stay open. Run in a fresh interpreter, since the setting is read when settings load."""
    import os
    import subprocess
    import sys

    script = """
import django, json
django.setup()
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()
c = Client()
out = {}
for path in ["/", "/aftaler/syddanmark-2024-2027/", "/indikatorer/", "/konto/login/", "/konto/password_reset/", "/healthz"]:
    r = c.get(path)
    out[path] = [r.status_code, r.get("Location", "")]
print(json.dumps(out))
"""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "sundhedsaftale.settings",
        "DASHBOARD_REQUIRE_LOGIN": "1",
        "DATABASE_URL": "sqlite:///:memory:",
    }
    env.pop("REDIS_URL", None)
    result = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    )
    import json

    out = json.loads(result.stdout.strip().splitlines()[-1])
    assert out["/"] == [302, "/konto/login/?next=/"]
    assert out["/aftaler/syddanmark-2024-2027/"][0] == 302
    assert out["/indikatorer/"][0] == 302
    assert out["/konto/login/"][0] == 200
    assert out["/konto/password_reset/"][0] == 200
    assert out["/healthz"][0] == 200
