"""#16.4: log-in throttling that holds: one count per NFKC-normalised, casefolded user name and address,
taken atomically before the password is checked; X-Forwarded-For believed only from a configured proxy;
password-reset e-mails throttled and sent by a task."""

import threading

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core import mail
from django.db import connection
from django.test import RequestFactory

from sundhedsaftale.auth import ThrottledAuthenticationForm

THROTTLED = "For mange mislykkede forsøg"


@pytest.fixture
def alice(db):
    return get_user_model().objects.create_user("alice", "alice@example.dk", "en-lang-adgangskode-1")


# Spellings Django authenticates as "alice" (NFKC) or that only differ in case: one user name to the throttle.
LOOK_ALIKES = [
    "alice",
    "ALICE",
    "Alice",
    "ａｌｉｃｅ",  # fullwidth
    "ᵃlice",  # modifier small a
    "alıce".replace("ı", "ｉ"),
    " alice",
    "alice ",
    "ＡＬＩＣＥ",
    "ªlice",  # feminine ordinal
    "ａlice",
    "aｌｉce",
]


@pytest.mark.django_db
def test_48_failures_with_look_alike_user_names_are_throttled_after_the_limit(client, alice, settings):
    responses = []
    for attempt in range(48):
        name = LOOK_ALIKES[attempt % len(LOOK_ALIKES)]
        responses.append(client.post("/konto/login/", {"username": name, "password": f"forkert-{attempt}"}))
    throttled = [THROTTLED in r.content.decode() for r in responses]
    assert throttled.index(True) == settings.LOGIN_FAILURE_LIMIT
    assert all(throttled[settings.LOGIN_FAILURE_LIMIT :])
    # The right password does not get in either, until the window has passed.
    response = client.post("/konto/login/", {"username": "alice", "password": "en-lang-adgangskode-1"})
    assert THROTTLED in response.content.decode() and "_auth_user_id" not in client.session


@pytest.mark.django_db(transaction=True)
def test_40_parallel_attempts_let_no_more_than_the_limit_check_a_password(alice, settings, monkeypatch):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite's in-memory test database cannot take 40 writers at once; run on PostgreSQL")
    checked = []
    lock = threading.Lock()
    original = ModelBackend.authenticate

    def slow_authenticate(self, request, username=None, password=None, **kwargs):
        with lock:
            checked.append(password)
        threading.Event().wait(0.2)  # every request is in flight at once
        return original(self, request, username=username, password=password, **kwargs)

    monkeypatch.setattr(ModelBackend, "authenticate", slow_authenticate)
    barrier = threading.Barrier(40)
    results = []

    def attempt(number):
        from django.db import connections

        request = RequestFactory().post("/konto/login/", REMOTE_ADDR="198.51.100.7")
        form = ThrottledAuthenticationForm(
            request, data={"username": "alice", "password": f"forkert-{number}"}
        )
        barrier.wait()
        try:
            form.is_valid()
            with lock:
                results.append(form.errors.as_data()["__all__"][0].code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(checked) == settings.LOGIN_FAILURE_LIMIT
    assert results.count("throttled") == 40 - settings.LOGIN_FAILURE_LIMIT


@pytest.mark.django_db
def test_x_forwarded_for_counts_only_from_a_trusted_proxy(client, alice, settings):
    # From an untrusted address the header is ignored: writing a new address each time changes nothing.
    settings.TRUSTED_PROXIES = []
    for attempt in range(settings.LOGIN_FAILURE_LIMIT + 1):
        response = client.post(
            "/konto/login/",
            {"username": "alice", "password": "forkert"},
            HTTP_X_FORWARDED_FOR=f"203.0.113.{attempt}",
        )
    assert THROTTLED in response.content.decode()

    # Behind the configured proxy, each client is counted by its own address: one client's failures do
    # not lock out another.
    from accounts.models import AttemptCounter

    AttemptCounter.objects.all().delete()
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    for _ in range(settings.LOGIN_FAILURE_LIMIT + 1):
        response = client.post(
            "/konto/login/", {"username": "alice", "password": "forkert"}, HTTP_X_FORWARDED_FOR="203.0.113.9"
        )
    assert THROTTLED in response.content.decode()
    response = client.post(
        "/konto/login/",
        {"username": "alice", "password": "en-lang-adgangskode-1"},
        HTTP_X_FORWARDED_FOR="198.51.100.20, 127.0.0.1",
    )
    assert response.status_code == 302


@pytest.mark.django_db
def test_password_reset_e_mails_are_sent_by_a_task_and_throttled(client, alice, settings, monkeypatch):
    from accounts import tasks

    queued = []
    monkeypatch.setattr(tasks.email_send_task, "delay", lambda *args, **kwargs: queued.append(args))
    for _ in range(settings.PASSWORD_RESET_LIMIT):
        response = client.post("/konto/password_reset/", {"email": "alice@example.dk"})
        assert response.status_code == 302
    assert mail.outbox == []  # nothing sent inside the request
    assert len(queued) == settings.PASSWORD_RESET_LIMIT
    assert "/konto/reset/" in queued[0][1] and queued[0][3] == ["alice@example.dk"]
    response = client.post("/konto/password_reset/", {"email": "ALICE@example.dk"})
    assert response.status_code == 200
    assert "For mange" in response.content.decode() or "for mange" in response.content.decode()
    assert len(queued) == settings.PASSWORD_RESET_LIMIT
