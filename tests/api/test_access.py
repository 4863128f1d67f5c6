"""Who sees what through the API: public data for everyone (with a per-address limit), unapproved activity
reports only with a key of a user the pages would show them to, and keys that the user makes and revokes."""

import datetime
import importlib

import pytest
from django.test import override_settings
from django.utils import timezone

from api.models import ApiToken
from api.services import api_token_create

pytestmark = pytest.mark.django_db

REPORTS = "/api/v1/aktivitetsrapporter/"


@pytest.fixture
def fyn_reports(ssu_secretary, fyn_secretary):
    """A round of Syddanmark 2024-2027 with one Fyn report approved and the others drafts."""
    from goals.models import Agreement
    from goals.services import reporting

    agreement = Agreement.objects.get(slug="syddanmark-2024-2027")
    reporting_round = reporting.reporting_round_open(
        agreement=agreement,
        year=2025,
        deadline=timezone.localdate() + datetime.timedelta(days=30),
        user=ssu_secretary,
    )
    fyn = list(reporting_round.reports.filter(cluster__code="fyn").order_by("pk"))
    report = fyn[0]
    reporting.activity_report_save(
        report_id=report.pk,
        user=fyn_secretary,
        version=report.version,
        assessment="on_plan",
        narrative="Godkendt tekst",
        activities=[reporting.ActivityInput(title="Forebyggelse")],
    )
    reporting.activity_report_submit(report_id=report.pk, user=fyn_secretary)
    reporting.activity_report_approve(report_id=report.pk, user=ssu_secretary)
    return fyn


def _statuses(client, **headers):
    response = client.get(REPORTS + "?antal=1000", **headers)
    assert response.status_code == 200
    return {r["status"] for r in response.json()["results"]}


def _token(user):
    return {"HTTP_AUTHORIZATION": f"Token {api_token_create(user=user, name='test')[1]}"}


def test_visitors_see_only_approved_reports(client, fyn_reports):
    assert _statuses(client) == {"approved"}


def test_a_logged_in_browser_without_a_key_sees_what_a_visitor_sees(client, fyn_reports, fyn_secretary):
    client.force_login(fyn_secretary)
    assert _statuses(client) == {"approved"}


def test_a_key_shows_drafts_to_those_the_pages_show_them_to(
    client, fyn_reports, fyn_secretary, ssu_secretary
):
    assert _statuses(client, **_token(fyn_secretary)) == {"approved", "draft"}
    assert _statuses(client, **_token(ssu_secretary)) == {"approved", "draft"}


def test_a_key_of_another_clusters_secretary_does_not_show_fyns_drafts(
    client, fyn_reports, lillebaelt_secretary, analyst
):
    assert _statuses(client, **_token(lillebaelt_secretary)) - {"draft"} == {"approved"}
    fyn_drafts = [
        r
        for r in client.get(REPORTS + "?klynge=fyn&antal=1000", **_token(lillebaelt_secretary)).json()[
            "results"
        ]
        if r["status"] == "draft"
    ]
    assert fyn_drafts == []
    assert _statuses(client, **_token(analyst)) == {"approved"}


def test_a_draft_is_404_without_the_right_key(client, fyn_reports, fyn_secretary, lillebaelt_secretary):
    draft = fyn_reports[1]
    url = f"{REPORTS}syddanmark-2024-2027/2025/fyn/{draft.objective.vision.order}.{draft.objective.order}/"
    assert client.get(url).status_code == 404
    assert client.get(url, **_token(lillebaelt_secretary)).status_code == 404
    response = client.get(url, **_token(fyn_secretary))
    assert response.status_code == 200
    assert response.json()["result"]["status"] == "draft"
    assert response["Cache-Control"] == "private, no-store"
    assert "ETag" not in response


def test_a_wrong_or_revoked_key_is_refused_with_401(client, fyn_secretary):
    assert client.get(REPORTS, HTTP_AUTHORIZATION="Token sam_findesikke").status_code == 401
    headers = _token(fyn_secretary)
    assert client.get(REPORTS, **headers).status_code == 200
    ApiToken.objects.all().delete()
    response = client.get(REPORTS, **headers)
    assert response.status_code == 401
    assert "nøgle" in response.json()["detail"]


def test_the_user_makes_a_key_sees_it_once_and_revokes_it(client, fyn_secretary, fyn_reports):
    client.force_login(fyn_secretary)
    page = client.get("/konto/api-noegler/")
    assert page.status_code == 200
    assert 'href="/konto/api-noegler/"' in page.content.decode(), "linked from the header's account links"
    created = client.post("/konto/api-noegler/", {"name": "Power BI"}).content.decode()
    token = ApiToken.objects.get(user=fyn_secretary)
    key = created.split('<code id="ny-noegle">')[1].split("</code>")[0]
    assert key.startswith(token.prefix) and key not in token.key_hash and len(token.key_hash) == 64
    assert key not in client.get("/konto/api-noegler/").content.decode(), "shown once"
    client.logout()
    assert _statuses(client, HTTP_AUTHORIZATION=f"Token {key}") == {"approved", "draft"}
    client.force_login(fyn_secretary)
    assert client.post(f"/konto/api-noegler/{token.pk}/slet/").status_code == 302
    client.logout()
    assert client.get(REPORTS, HTTP_AUTHORIZATION=f"Token {key}").status_code == 401


def test_nobody_can_revoke_another_users_key(client, fyn_secretary, lillebaelt_secretary):
    token, _key = api_token_create(user=fyn_secretary, name="x")
    client.force_login(lillebaelt_secretary)
    assert client.post(f"/konto/api-noegler/{token.pk}/slet/").status_code == 404
    assert ApiToken.objects.filter(pk=token.pk).exists()


@override_settings(API_ANON_RATE="3/min")
def test_anonymous_clients_are_limited_with_a_danish_429_and_retry_after(client, analyst):
    for _ in range(3):
        assert client.get("/api/v1/indikatorer/").status_code == 200
    response = client.get("/api/v1/indikatorer/")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "For mange forespørgsler" in response.json()["detail"]
    # Another address has its own limit, and a key is not limited.
    assert client.get("/api/v1/indikatorer/", REMOTE_ADDR="10.0.0.2").status_code == 200
    assert client.get("/api/v1/indikatorer/", **_token(analyst)).status_code == 200


@override_settings(
    API_ANON_RATE="3/min",
    CACHES={
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens here
        }
    },
)
def test_the_api_answers_when_the_cache_server_is_down(client):
    page_cache = importlib.import_module("goals.selectors.page_cache")

    page_cache._redis_client.cache_clear()
    try:
        for _ in range(5):
            response = client.get("/api/v1/indikatorer/dagligrygning/")
            assert response.status_code == 200
            assert response.json()["result"]["code"] == "dagligrygning"
    finally:
        page_cache._redis_client.cache_clear()


@pytest.fixture
def status_reports(ssu_secretary, settings, tmp_path):
    """A published annual report for Region Syddanmark 2025 and a draft for 2026."""
    from goals.models import Agreement
    from reports import services as report_services

    settings.MEDIA_ROOT = tmp_path / "media"
    agreement = Agreement.objects.get(slug="syddanmark-2024-2027")
    published = report_services.status_report_create(agreement=agreement, year=2025, user=ssu_secretary)
    published = report_services.status_report_publish(report_id=published.pk, render_pdf=False)
    draft = report_services.status_report_create(agreement=agreement, year=2026, user=ssu_secretary)
    return published, draft


def test_a_published_status_report_is_served_with_its_frozen_content(client, status_reports):
    published, _draft = status_reports
    listed = client.get("/api/v1/statusrapporter/").json()["results"]
    assert [r["key"] for r in listed] == [f"syddanmark-2024-2027/2025/{published.area.code}/annual"]
    body = client.get(f"/api/v1/statusrapporter/{listed[0]['key']}/").json()
    exported = client.get(f"/statusrapporter/{published.pk}/indhold.json").json()
    assert body["result"]["content"] == exported
    assert body["result"]["content_sha256"] == published.content_sha256
    assert body["eksempeldata"] is exported["has_sample"]


def test_status_report_drafts_only_with_the_secretariats_key(
    client, status_reports, ssu_secretary, fyn_secretary
):
    _published, draft = status_reports
    url = f"/api/v1/statusrapporter/syddanmark-2024-2027/2026/{draft.area.code}/annual/?kladde=1"
    assert client.get(url).status_code == 404
    assert client.get(url, **_token(fyn_secretary)).status_code == 404
    assert client.get(url, **_token(ssu_secretary)).json()["result"]["status"] == "draft"
    statuses = {
        r["status"] for r in client.get("/api/v1/statusrapporter/", **_token(ssu_secretary)).json()["results"]
    }
    assert statuses == {"draft", "published"}


def test_publishing_a_report_changes_the_lists_etag(client, status_reports, ssu_secretary):
    from reports import services as report_services

    _published, draft = status_reports
    first = client.get("/api/v1/statusrapporter/")
    report_services.status_report_publish(report_id=draft.pk, render_pdf=False)
    again = client.get("/api/v1/statusrapporter/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200
    assert len(again.json()["results"]) == 2
