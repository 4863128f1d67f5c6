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


def test_a_password_can_be_reset_by_email(client, alice):
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
