"""#16.7: the Content-Security-Policy (no inline scripts, no eval) breaks nothing a visitor, an analyst or a
cluster secretary sees: every page type in Chromium records no `securitypolicyviolation` and no CSP message
in the console, with the charts drawn, the upload page polling and the report form autosaving."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from .test_dashboard_browser import ALL_CHARTS_DRAWN, smoking_site  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("eager_tasks")]

PASSWORD = "en-lang-adgangskode-1"
RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', e => window.__csp.push(
  e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' ' + (e.sourceFile || '') + ':' + e.lineNumber));
"""


@pytest.fixture
def site(smoking_site, settings, tmp_path):  # noqa: F811 (the fixture imported above)
    from django.contrib.auth import get_user_model
    from django.core.files.base import ContentFile

    from clusters.models import Area, SecretariatAssignment
    from goals.models import Agreement
    from goals.services import reporting
    from indicators import services
    from sundhedsaftale.roles import ANALYST, CLUSTER_SECRETARIAT, SSU_SECRETARIAT, roles_ensure

    settings.MEDIA_ROOT = tmp_path / "media"
    groups = roles_ensure()
    User = get_user_model()
    for name, role in [("anna", ANALYST), ("frida", CLUSTER_SECRETARIAT), ("signe", SSU_SECRETARIAT)]:
        user = User.objects.create_user(name, f"{name}@example.dk", PASSWORD)
        user.groups.add(groups[role])
    SecretariatAssignment.objects.create(
        user=User.objects.get(username="frida"), cluster=Area.objects.get(code="fyn")
    )
    reporting.reporting_round_open(
        agreement=Agreement.objects.get(slug="syddanmark-2024-2027"),
        year=2025,
        deadline=timezone.localdate() + datetime.timedelta(days=30),
        user=User.objects.get(username="signe"),
    )
    # One upload still being checked (its page polls) and one awaiting confirmation (the preview).
    csv = "indikator;område;år;køn;alder;uddannelse;andel;nedre;øvre;antal svarpersoner\n"
    csv += "dagligrygning;461;2023;Alle;16+;Alle;15,9;14,8;17,0;4.700\n"
    anna = User.objects.get(username="anna")
    smoking_site.working_upload = services.upload_create(
        file=ContentFile(csv.encode(), name="i-gang.csv"), user=anna, enqueue=False
    )
    ready = services.upload_create(file=ContentFile(csv.encode(), name="klar.csv"), user=anna, enqueue=False)
    services.upload_validate(upload_id=ready.pk)
    smoking_site.ready_upload = ready
    return smoking_site


def _visit(page, url, violations, csp_console, *, wait=None):
    response = page.goto(url)
    assert response.status == 200, url
    assert "script-src 'self'" in response.headers.get("content-security-policy", ""), url
    if wait:
        page.wait_for_function(wait, timeout=20_000)
    page.wait_for_timeout(300)  # scripts that run after load (polling, autosave set-up)
    violations += [(url, v) for v in page.evaluate("() => window.__csp")]
    assert not csp_console, csp_console


def _log_in(page, site, username):
    page.goto(site.url + reverse("login"))
    page.get_by_label("Brugernavn").fill(username)
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_load_state()


def test_no_page_type_violates_the_content_security_policy(site, page):
    from goals.models import ActivityReport, Agreement, Measure

    page.add_init_script(RECORD_VIOLATIONS)
    csp_console = []
    page.on(
        "console",
        lambda message: (
            csp_console.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    violations = []
    agreement = Agreement.objects.get(slug="syddanmark-2019-2023")
    measure = Measure.objects.get(objective__vision__agreement=agreement, indicator__code="dagligrygning")
    public = [
        ("/", None),
        (reverse("goals:agreement_detail", args=[agreement.slug]), None),
        (reverse("goals:measure_detail", args=[measure.pk]) + "?omraade=1083", ALL_CHARTS_DRAWN),
        (reverse("goals:measure_detail", args=[measure.pk]) + "?omraade=461", ALL_CHARTS_DRAWN),
        (reverse("goals:agreement_history", args=[agreement.slug]), None),
        (reverse("goals:area_detail", args=["461"]), None),
        (reverse("clusters:cluster_list"), None),
        (reverse("clusters:cluster_detail", args=["fyn"]), None),
        (reverse("indicators:indicator_list"), None),
        (reverse("goals:indicator_detail", args=["dagligrygning"]), None),
        (reverse("login"), None),
        (reverse("password_reset"), None),
    ]
    for path, wait in public:
        _visit(page, site.url + path, violations, csp_console, wait=wait)

    _log_in(page, site, "anna")
    for path in [
        reverse("indicators:upload_list"),
        reverse("indicators:upload_detail", args=[site.working_upload.pk]),
        reverse("indicators:upload_detail", args=[site.ready_upload.pk]),
    ]:
        _visit(page, site.url + path, violations, csp_console)
    page.get_by_role("button", name="Log ud").click()
    page.wait_for_load_state()

    _log_in(page, site, "frida")
    report = ActivityReport.objects.filter(cluster__code="fyn").order_by("pk").first()
    _visit(page, site.url + reverse("goals:reporting_home"), violations, csp_console)
    _visit(page, site.url + reverse("goals:report_edit", args=[report.pk]), violations, csp_console)
    page.get_by_label("Beskrivelse af status").fill("Skrevet under en streng CSP.")
    page.wait_for_function(
        "() => document.getElementById('autosave-status').textContent.includes('gemt kl.')", timeout=20_000
    )
    key = page.evaluate("() => document.getElementById('report-form').dataset.storageKey")
    assert key.startswith(f"report-{report.pk}-user-")
    violations += [("report autosave", v) for v in page.evaluate("() => window.__csp")]
    assert violations == []
    assert csp_console == []


def test_logging_out_removes_the_report_draft_from_the_browser(site, page):
    from goals.models import ActivityReport

    _log_in(page, site, "frida")
    report = ActivityReport.objects.filter(cluster__code="fyn").order_by("pk").first()
    page.goto(site.url + reverse("goals:report_edit", args=[report.pk]))
    page.evaluate(
        "() => localStorage.setItem(document.getElementById('report-form').dataset.storageKey, '{\"at\": 1}')"
    )
    assert page.evaluate("() => Object.keys(localStorage).filter(k => k.startsWith('report-')).length") == 1
    page.get_by_role("button", name="Log ud").click()
    page.wait_for_load_state()
    assert page.evaluate("() => Object.keys(localStorage).filter(k => k.startsWith('report-')).length") == 0
