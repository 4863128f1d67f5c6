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
    from django.core.management import call_command

    from goals.models import Agreement
    from goals.services import reporting
    from sundhedsaftale.roles import CLUSTER_SECRETARIAT, SSU_SECRETARIAT
    from tests.factories import user_create

    call_command("bootstrap", verbosity=0)
    user_create("frida", role=CLUSTER_SECRETARIAT, cluster="fyn", password=PASSWORD)
    reviewer = user_create("signe", role=SSU_SECRETARIAT, password="x")
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
    checklist = page.locator("#submit-checklist")
    assert checklist.is_visible() and "Vælg en samlet vurdering." in checklist.inner_text()

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
    # Nothing is missing any more: the checklist goes once the draft is saved, without a reload.
    checklist.wait_for(state="hidden")
    assert list(report.activities.values_list("title", "partners")) == [
        ("Fælles akutteam", ["kommuner", "region"])
    ]

    page.get_by_role("button", name="Tilføj en aktivitet").click()
    second = page.locator(".activity-row").nth(1)
    assert second.get_by_label("Aktivitet", exact=True).evaluate("el => el === document.activeElement")
    second.get_by_label("Aktivitet", exact=True).fill("Opsporing af KOL i almen praksis")
    second.get_by_label("Almen praksis").check()
    assert not _blocking_violations(page, "rapportformularen")

    # A link that is not a link is marked on the field itself, and said once.
    second.get_by_label("Link").fill("ikke et link med mellemrum")
    page.wait_for_function(
        "() => document.getElementById('autosave-status').textContent.startsWith('Ikke gemt')"
    )
    status = page.locator("#autosave-status").inner_text()
    assert status.count("Ikke gemt") == 1
    link = second.get_by_label("Link")
    assert link.get_attribute("aria-invalid") == "true"
    error_id = link.get_attribute("aria-describedby").split()[-1]
    assert page.locator(f"#{error_id}").inner_text()
    link.fill("")
    page.wait_for_function(
        "() => document.getElementById('autosave-status').textContent.includes('gemt kl.')"
    )
    assert link.get_attribute("aria-invalid") is None

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


def test_text_typed_after_the_session_ran_out_is_saved_once_the_secretary_logs_in_again(reporting_site, page):
    _log_in(page, reporting_site)
    report = _first_report()
    page.goto(reporting_site.url + reverse("goals:report_edit", args=[report.pk]))
    narrative = page.get_by_label("Beskrivelse af status")
    narrative.fill("Første afsnit.")
    page.wait_for_function(
        "() => document.getElementById('autosave-status').textContent.includes('gemt kl.')"
    )

    # The session times out: the server forgets it (the CSRF cookie stays, as it does in a browser).
    cookies = page.context.cookies()
    assert {"sessionid", "csrftoken"} <= {c["name"] for c in cookies}
    page.context.clear_cookies()
    page.context.add_cookies([c for c in cookies if c["name"] != "sessionid"])
    narrative.fill("Første afsnit. Andet afsnit, skrevet efter udløbet.")
    page.wait_for_function(
        "() => document.getElementById('autosave-status').textContent.includes('logget ud')"
    )
    report.refresh_from_db()
    assert report.narrative == "Første afsnit."
    assert "Andet afsnit" in page.evaluate(
        "() => localStorage.getItem(document.getElementById('report-form').dataset.storageKey)"
    )

    # As the message says: log in again in a new tab; the first page then saves the text by itself
    # (logging in gives a new CSRF token, which the page picks up).
    other = page.context.new_page()
    _log_in(other, reporting_site)
    page.wait_for_function(
        "() => document.getElementById('autosave-status').textContent.includes('gemt kl.')", timeout=20_000
    )
    report.refresh_from_db()
    assert report.narrative == "Første afsnit. Andet afsnit, skrevet efter udløbet."
    assert (
        page.evaluate("() => localStorage.getItem(document.getElementById('report-form').dataset.storageKey)")
        is None
    )


def test_a_copy_left_in_the_browser_is_offered_back_after_a_reload(reporting_site, page):
    _log_in(page, reporting_site)
    report = _first_report()
    url = reporting_site.url + reverse("goals:report_edit", args=[report.pk])
    page.goto(url)
    # Text the server never received (the tab was closed while offline, say).
    page.evaluate(
        """([key]) => localStorage.setItem(document.getElementById('report-form').dataset.storageKey,
            JSON.stringify({at: new Date().toISOString(), data: {
            "activities-TOTAL_FORMS": ["2"], "narrative": ["Aldrig sendt"], "assessment": ["on_plan"],
            "activities-0-title": ["Første"], "activities-0-status": ["started"],
            "activities-1-title": ["Anden"], "activities-1-status": ["planned"]}}))""",
        [f"report-{report.pk}-draft"],
    )
    page.reload()
    page.get_by_role("button", name="Gendan").click()
    assert page.get_by_label("Beskrivelse af status").input_value() == "Aldrig sendt"
    page.wait_for_function(
        "() => document.getElementById('autosave-status').textContent.includes('gemt kl.')"
    )
    report.refresh_from_db()
    assert report.narrative == "Aldrig sendt" and report.assessment == "on_plan"
    assert list(report.activities.values_list("title", flat=True)) == ["Første", "Anden"]
    # Saved: a reload offers nothing.
    page.reload()
    assert page.get_by_role("button", name="Gendan").count() == 0
