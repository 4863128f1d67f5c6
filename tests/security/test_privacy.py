"""#16.8: public pages never show a user name (they show role and organisation), and the report draft kept
in the browser is per user and removed at log-out."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from goals.models import Objective

pytestmark = pytest.mark.django_db

SLUG = "syddanmark-2019-2023"


def test_the_public_history_names_role_and_organisation_never_the_person(
    client, fyn_secretary, ssu_secretary
):
    from sundhedsaftale.actor import current_request

    fyn_secretary.first_name, fyn_secretary.last_name = "Frida", "Fynbo"
    fyn_secretary.save()
    objectives = list(Objective.objects.filter(vision__agreement__slug=SLUG)[:2])
    for user, objective in zip([fyn_secretary, ssu_secretary], objectives, strict=True):
        request = type("Request", (), {"user": user})()
        token = current_request.set(request)
        try:
            objective.text += " (rettet)"
            objective.save()
        finally:
            current_request.reset(token)

    html = client.get(reverse("goals:agreement_history", args=[SLUG])).content.decode()
    assert "(rettet)" in html
    for name in ("frida", "Frida", "Fynbo", "signe"):
        assert name not in html
    assert "Klyngesekretariat, Sundhedsklynge Fyn" in html or "Klyngesekretariat" in html
    assert "SSU-sekretariat" in html


def test_the_report_draft_in_the_browser_is_kept_per_user(client, fyn_secretary, ssu_secretary):
    import datetime

    from django.utils import timezone

    from goals.models import Agreement
    from goals.services import reporting

    reporting_round = reporting.reporting_round_open(
        agreement=Agreement.objects.get(slug="syddanmark-2024-2027"),
        year=2025,
        deadline=timezone.localdate() + datetime.timedelta(days=30),
        user=ssu_secretary,
    )
    report = reporting_round.reports.filter(cluster__code="fyn").first()
    client.force_login(fyn_secretary)
    html = client.get(reverse("goals:report_edit", args=[report.pk])).content.decode()
    assert f'data-storage-key="report-{report.pk}-user-{fyn_secretary.pk}-draft"' in html


def test_logging_out_clears_what_the_site_kept_in_the_browser(client):
    user = get_user_model().objects.create_user("bo", "bo@example.dk", "en-lang-adgangskode-1")
    client.force_login(user)
    html = client.get("/").content.decode()
    assert "data-logout" in html  # static/js/site.js removes the drafts when this form is sent
    response = client.post("/konto/logout/")
    assert response.headers.get("Clear-Site-Data") == '"storage"'
    assert "_auth_user_id" not in client.session
