"""A cluster secretary in a real browser: logs in, writes the cluster's activity status over two activities
while autosave keeps the draft, sends it for review; and loses nothing when the session runs out mid-text.
Playwright drives Debian's Chromium against the live server (skipped without Chromium, see conftest.py)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from goals.models import ActivityReport

from .test_dashboard_browser import _blocking_violations

pytestmark = pytest.mark.browser

PASSWORD = "klynge-fyn-kode-1"


@pytest.fixture
def reporting_site(live_server):
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from clusters.models import Area, SecretariatAssignment
    from goals import reporting
    from goals.models import Agreement
    from sundhedsaftale.roles import CLUSTER_SECRETARIAT, SSU_SECRETARIAT, roles_ensure

    call_command("bootstrap", verbosity=0)
    groups = roles_ensure()
    User = get_user_model()
    secretary = User.objects.create_user("frida", "frida@example.dk", PASSWORD)
    secretary.groups.add(groups[CLUSTER_SECRETARIAT])
    SecretariatAssignment.objects.create(user=secretary, cluster=Area.objects.get(code="fyn"))
    reviewer = User.objects.create_user("signe", "signe@example.dk", "x")
    reviewer.groups.add(groups[SSU_SECRETARIAT])
    reporting.reporting_round_open(
        agreement=Agreement.objects.get(slug="syddanmark-2024-2027"),
        year=2025,
        deadline=timezone.localdate() + datetime.timedelta(days=30),
        user=reviewer,
    )
    return live_server


def _log_in(page, site):
    page.goto(site.url + reverse("login") + "?next=" + reverse("goals:reporting_home"))
    page.get_by_label("Brugernavn").fill("frida")
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url("**" + reverse("goals:reporting_home"))


def _first_report():
    return ActivityReport.objects.filter(cluster__code="fyn").order_by(
        "objective__vision__order", "objective__order"
    )[0]


def test_a_secretary_fills_in_and_submits_a_report(reporting_site, page):
    _log_in(page, reporting_site)
    report = _first_report()
    page.get_by_role("link", name=report.objective.text[:40], exact=False).first.click()
    page.wait_for_url("**" + reverse("goals:report_edit", args=[report.pk]))

    page.get_by_label("Samlet vurdering").select_option(label="Delvist på plan")
    page.get_by_label("Beskrivelse af status").fill("Akutteamet er i drift i tre af ti kommuner.")
    first = page.locator(".activity-row").nth(0)
    first.get_by_label("Aktivitet", exact=True).fill("Fælles akutteam")
    first.get_by_label("Status").select_option(label="Igangsat")
    first.get_by_label("Kommuner").check()
    first.get_by_label("Region").check()
    # Autosave stores the draft without a click.
    page.wait_for_function(
        "() => document.getElementById('autosave-status').textContent.includes('gemt kl.')"
    )
    report.refresh_from_db()
    assert report.narrative == "Akutteamet er i drift i tre af ti kommuner."
    assert list(report.activities.values_list("title", "partners")) == [
        ("Fælles akutteam", ["kommuner", "region"])
    ]

    page.get_by_role("button", name="Tilføj en aktivitet").click()
    second = page.locator(".activity-row").nth(1)
    assert second.get_by_label("Aktivitet", exact=True).evaluate("el => el === document.activeElement")
    second.get_by_label("Aktivitet", exact=True).fill("Opsporing af KOL i almen praksis")
    second.get_by_label("Almen praksis").check()
    assert not _blocking_violations(page, "rapportformularen")

    page.get_by_role("button", name="Send til godkendelse").click()
    page.wait_for_url("**" + reverse("goals:report_detail", args=[report.pk]))
    assert page.get_by_text("Rapporten er sendt til godkendelse").is_visible()
    report.refresh_from_db()
    assert report.status == "submitted" and report.assessment == "partly_on_plan"
    assert list(report.activities.values_list("title", flat=True)) == [
        "Fælles akutteam",
        "Opsporing af KOL i almen praksis",
    ]
    assert not _blocking_violations(page, "rapporten")


def test_text_typed_after_the_session_ran_out_is_kept_and_restored(reporting_site, page):
    _log_in(page, reporting_site)
    report = _first_report()
    page.goto(reporting_site.url + reverse("goals:report_edit", args=[report.pk]))
    narrative = page.get_by_label("Beskrivelse af status")
    narrative.fill("Første afsnit.")
    page.wait_for_function(
        "() => document.getElementById('autosave-status').textContent.includes('gemt kl.')"
    )

    page.context.clear_cookies()  # the session times out
    narrative.fill("Første afsnit. Andet afsnit, skrevet efter udløbet.")
    page.wait_for_function(
        "() => document.getElementById('autosave-status').textContent.includes('logget ud')"
    )
    report.refresh_from_db()
    assert report.narrative == "Første afsnit."

    _log_in(page, reporting_site)
    page.goto(reporting_site.url + reverse("goals:report_edit", args=[report.pk]))
    page.get_by_role("button", name="Gendan").click()
    assert narrative.input_value() == "Første afsnit. Andet afsnit, skrevet efter udløbet."
    page.wait_for_function(
        "() => document.getElementById('autosave-status').textContent.includes('gemt kl.')"
    )
    report.refresh_from_db()
    assert report.narrative == "Første afsnit. Andet afsnit, skrevet efter udløbet."
