"""Every URL of the application requested as every persona, with the status code each must get.

The list of URLs comes from the URL configuration itself: a new URL without a rule here fails
`test_every_url_has_a_rule`, so nobody can add a page without deciding who may see it. The admin is one
namespace with hundreds of generated URLs; it is covered by the rules for its index and the changelists
of the objects with personal or unpublished data, and by Django's own staff check.

Status codes: 200 shown, 302 sent to log in (or, after a POST, back to the page), 404 not there for you
(never a hint that the object exists), 403 for an autosave whose session has ended (the page keeps the
text), 405 wrong method.
"""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

PERSONAS = ["anonymous", "ssu_member", "fyn_secretary", "lillebaelt_secretary", "analyst", "ssu_secretary"]


def _all(code):
    return dict.fromkeys(PERSONAS, code)


def _only(code, allowed, *, others=404, anonymous=302):
    expected = {p: (code if p in allowed else others) for p in PERSONAS}
    expected["anonymous"] = anonymous
    return expected


LOGGED_IN = dict(_all(200), anonymous=302)
SECRETARIAT = ("ssu_secretary",)
WRITERS = ("fyn_secretary", "lillebaelt_secretary")
FYN = ("fyn_secretary",)


# url name -> list of (variant, method, kwargs builder, POST data, expected status per persona)
def rules(o):
    """`o` holds the objects the URLs point at (see `objects`)."""
    return {
        "goals:index": [("", "get", {}, None, _all(200))],
        "goals:agreement_detail": [("", "get", {"slug": o.slug}, None, _all(200))],
        "goals:agreement_history": [("", "get", {"slug": o.slug}, None, _all(200))],
        "goals:measure_detail": [("", "get", {"pk": o.measure}, None, _all(200))],
        "goals:measure_data_csv": [("", "get", {"pk": o.measure}, None, _all(200))],
        "goals:measure_data_xlsx": [("", "get", {"pk": o.measure}, None, _all(200))],
        "goals:municipality_map": [("", "get", {"code": "1083"}, None, _all(200))],
        "goals:area_detail": [("", "get", {"code": "fyn"}, None, _all(200))],
        "goals:area_search": [
            ("", "get", {}, None, _all(200)),
            ("found", "get", {"query": "q=Vejle"}, None, _all(302)),  # to /omraader/630/
        ],
        "goals:agreement_matrix": [("", "get", {"slug": o.slug}, None, _all(200))],
        "goals:area_compare": [
            ("", "get", {}, None, _all(200)),
            ("two", "get", {"query": "a=630&b=621"}, None, _all(200)),
        ],
        "goals:indicator_detail": [("", "get", {"code": "dagligrygning"}, None, _all(200))],
        "goals:indicator_values_csv": [("", "get", {"code": "dagligrygning"}, None, _all(200))],
        "goals:reporting_home": [("", "get", {}, None, _only(200, (*SECRETARIAT, *WRITERS)))],
        "goals:round_create": [
            ("", "get", {}, None, _only(200, SECRETARIAT)),
            ("post", "post", {}, {"year": "x"}, _only(200, SECRETARIAT)),  # re-shown with errors
        ],
        "goals:round_detail": [("", "get", {"pk": o.round}, None, _only(200, (*SECRETARIAT, *WRITERS)))],
        "goals:report_detail": [
            ("draft", "get", {"pk": o.fyn_draft}, None, _only(200, (*SECRETARIAT, *FYN), anonymous=404)),
            ("approved", "get", {"pk": o.fyn_approved}, None, _all(200)),
        ],
        "goals:report_edit": [
            ("draft", "get", {"pk": o.fyn_draft}, None, _only(200, FYN)),
            ("approved", "get", {"pk": o.fyn_approved}, None, _only(200, ())),
            ("submitted", "get", {"pk": o.fyn_submitted}, None, _only(200, ())),
            ("draft-post", "post", {"pk": o.fyn_draft}, {}, _only(200, FYN)),  # re-shown with errors
        ],
        "goals:report_autosave": [
            ("get", "get", {"pk": o.fyn_draft}, None, _all(405)),
            ("post", "post", {"pk": o.fyn_draft}, {}, _only(400, FYN, anonymous=403)),
        ],
        "goals:report_review": [
            ("get", "get", {"pk": o.fyn_submitted}, None, _all(405)),
            ("approve", "post", {"pk": o.fyn_submitted}, {"action": "approve"}, _only(302, SECRETARIAT)),
            ("approve-draft", "post", {"pk": o.fyn_draft}, {"action": "approve"}, _only(302, ())),
            (
                "reopen",
                "post",
                {"pk": o.fyn_approved},
                {"action": "reopen", "comment": "r"},
                _only(302, SECRETARIAT),
            ),
        ],
        # Status reports (reports/): published ones are public; drafts and every write are the secretariat's.
        "reports:list": [("", "get", {"slug": o.slug}, None, _all(200))],
        "reports:create": [
            (
                "",
                "post",
                {"slug": o.slug},
                {"year": "2026", "area": "fyn", "kind": "annual"},
                _only(302, SECRETARIAT),
            )
        ],
        "reports:batch_create": [("", "post", {"slug": o.slug}, {"year": "x"}, _only(302, SECRETARIAT))],
        "reports:batch_detail": [("", "get", {"pk": o.batch}, None, _only(200, SECRETARIAT))],
        "reports:batch_status": [("", "get", {"pk": o.batch}, None, _only(200, SECRETARIAT))],
        "reports:detail": [
            ("draft", "get", {"pk": o.status_draft}, None, _only(200, SECRETARIAT, anonymous=404)),
            ("published", "get", {"pk": o.status_published}, None, _all(200)),
        ],
        "reports:export": [
            ("draft", "get", {"pk": o.status_draft}, None, _only(200, SECRETARIAT, anonymous=404)),
            ("published", "get", {"pk": o.status_published}, None, _all(200)),
        ],
        "reports:pdf": [
            ("draft", "get", {"pk": o.status_draft}, None, _all(404)),
            ("published", "get", {"pk": o.status_published}, None, _all(200)),
        ],
        "reports:edit": [
            ("draft", "post", {"pk": o.status_draft}, {"foreword": "f"}, _only(302, SECRETARIAT)),
            ("published", "post", {"pk": o.status_published}, {"foreword": "f"}, _only(302, ())),
        ],
        "reports:publish": [
            ("draft", "post", {"pk": o.status_draft}, {}, _only(302, SECRETARIAT)),
            ("published", "post", {"pk": o.status_published}, {}, _only(302, ())),
        ],
        "reports:correct": [
            ("draft", "post", {"pk": o.status_draft}, {"reason": "r"}, _only(302, ())),
            ("published", "post", {"pk": o.status_published}, {"reason": "r"}, _only(302, SECRETARIAT)),
        ],
        "reports:delete": [
            ("draft", "post", {"pk": o.status_draft}, {}, _only(302, SECRETARIAT)),
            ("published", "post", {"pk": o.status_published}, {}, _only(302, ())),
        ],
        "clusters:cluster_list": [("", "get", {}, None, _all(200))],
        "clusters:cluster_detail": [("", "get", {"code": "fyn"}, None, _all(200))],
        "indicators:indicator_list": [("", "get", {}, None, _all(200))],
        "indicators:upload_list": [("", "get", {}, None, _only(200, ("analyst",)))],
        "indicators:upload_detail": [("", "get", {"pk": o.upload}, None, _only(200, ("analyst",)))],
        "indicators:upload_status": [("", "get", {"pk": o.upload}, None, _only(200, ("analyst",)))],
        "indicators:upload_file": [("", "get", {"pk": o.upload}, None, _only(200, ("analyst",)))],
        "indicators:upload_confirm": [("", "post", {"pk": o.upload}, {}, _only(302, ("analyst",)))],
        "indicators:upload_discard": [("", "post", {"pk": o.upload}, {}, _only(302, ("analyst",)))],
        "indicators:upload_rollback": [("", "post", {"pk": o.upload}, {}, _only(302, ("analyst",)))],
        **api_rules(o),
        "healthz": [("", "get", {}, None, _all(200))],
        "login": [("", "get", {}, None, _all(200))],
        "logout": [("", "post", {}, {}, _all(302))],
        "password_change": [("", "get", {}, None, LOGGED_IN)],
        "password_change_done": [("", "get", {}, None, LOGGED_IN)],
        "password_reset": [("", "get", {}, None, _all(200))],
        "password_reset_done": [("", "get", {}, None, _all(200))],
        "password_reset_confirm": [("", "get", {"uidb64": "MQ", "token": "ugyldig"}, None, _all(200))],
        "password_reset_complete": [("", "get", {}, None, _all(200))],
        "set_language": [("", "post", {}, {"language": "en", "next": "/"}, _all(302))],
        # Admin: staff only (the SSU secretariat); everyone else is sent to the admin's log-in.
        "admin:index": [("", "get", {}, None, _only(200, SECRETARIAT, others=302))],
        "admin:auth_user_changelist": [("", "get", {}, None, _only(200, SECRETARIAT, others=302))],
        "admin:goals_activityreport_changelist": [("", "get", {}, None, _only(200, SECRETARIAT, others=302))],
        "admin:goals_auditevent_changelist": [("", "get", {}, None, _only(200, SECRETARIAT, others=302))],
        "admin:indicators_upload_changelist": [("", "get", {}, None, _only(200, SECRETARIAT, others=302))],
        "admin:reports_statusreport_changelist": [("", "get", {}, None, _only(200, SECRETARIAT, others=302))],
    }


def _public_api(kwargs=None):
    """A public API URL: everyone gets it without a key; with a key too (anonymous: a wrong key, 401)."""
    return [
        ("", "get", kwargs or {}, None, _all(200)),
        ("token", "get", kwargs or {}, None, dict(_all(200), anonymous=401)),
    ]


def api_rules(o):
    """The open data API (/api/v1/). A browser's log-in is not an API log-in: without a key every persona is
    a visitor there; with its key ("token" variants) each sees what the pages show it."""
    draft_readers = dict(_only(200, (*SECRETARIAT, *FYN)), anonymous=401)
    return {
        "api:agreement_list": _public_api(),
        "api:agreement_detail": _public_api({"slug": o.slug}),
        "api:measure_detail": _public_api({"slug": o.slug, "path": o.measure_path}),
        "api:area_list": _public_api(),
        "api:area_detail": _public_api({"code": "461"}),
        "api:indicator_list": _public_api(),
        "api:indicator_detail": _public_api({"code": "dagligrygning"}),
        "api:observation_list": _public_api(),
        "api:status_list": _public_api(),
        "api:activity_report_list": _public_api(),
        "api:activity_report_detail": [
            ("draft", "get", o.fyn_draft_key, None, _all(404)),
            ("draft-token", "get", o.fyn_draft_key, None, draft_readers),
            ("submitted-token", "get", o.fyn_submitted_key, None, draft_readers),
            ("approved", "get", o.fyn_approved_key, None, _all(200)),
            ("approved-token", "get", o.fyn_approved_key, None, dict(_all(200), anonymous=401)),
        ],
        "api:status_report_list": _public_api(),
        "api:status_report_detail": [
            *_public_api(o.status_published_key),
            ("draft", "get", dict(o.status_draft_key or {}, query="kladde=1"), None, _all(404)),
            (
                "draft-token",
                "get",
                dict(o.status_draft_key or {}, query="kladde=1"),
                None,
                dict(_only(200, SECRETARIAT), anonymous=401),
            ),
        ],
        "api:schema": [("", "get", {}, None, _all(200))],
        "api:docs": [("", "get", {}, None, _all(200))],
        "api:redoc": [("", "get", {}, None, _all(200))],
        "api:token_list": [
            ("", "get", {}, None, LOGGED_IN),
            ("post", "post", {}, {"name": "Power BI"}, LOGGED_IN),  # the new key is shown on the answer
        ],
        "api:token_revoke": [
            ("get", "get", {"pk": o.analyst_token}, None, dict(_all(405), anonymous=302)),
            ("post", "post", {"pk": o.analyst_token}, {}, _only(302, ("analyst",))),
        ],
    }


def url_names():
    """Every named URL outside the admin, from the URL configuration."""
    names = set()

    def walk(patterns, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace == "admin":
                    continue
                walk(pattern.url_patterns, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern) and pattern.name:
                names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)

    walk(get_resolver().url_patterns, None)
    return names


class _Placeholder:
    def __getattr__(self, name):
        return 0


def test_every_url_has_a_rule():
    missing = url_names() - set(rules(_Placeholder()))
    assert not missing, f"URLs without an access rule in tests/test_url_matrix.py: {sorted(missing)}"


CASES = [
    (name, variant, persona)
    for name, variants in rules(_Placeholder()).items()
    for variant, *_ in variants
    for persona in PERSONAS
]


class Objects:
    pass


@pytest.fixture
def objects(db, settings, tmp_path, ssu_secretary, fyn_secretary, lillebaelt_secretary, analyst):
    from api import services as api_services
    from goals.models import Agreement, Measure
    from goals.services import reporting
    from indicators import services as indicator_services

    agreement = Agreement.objects.get(slug="syddanmark-2024-2027")
    reporting_round = reporting.reporting_round_open(
        agreement=agreement,
        year=2025,
        deadline=timezone.localdate() + datetime.timedelta(days=30),
        user=ssu_secretary,
    )
    fyn = list(reporting_round.reports.filter(cluster__code="fyn").order_by("pk"))

    def fill(report):
        reporting.activity_report_save(
            report_id=report.pk,
            user=fyn_secretary,
            version=report.version,
            assessment="on_plan",
            narrative="x",
            activities=[reporting.ActivityInput(title="A")],
        )
        reporting.activity_report_submit(report_id=report.pk, user=fyn_secretary)

    fill(fyn[1])
    fill(fyn[2])
    reporting.activity_report_approve(report_id=fyn[2].pk, user=ssu_secretary)
    settings.MEDIA_ROOT = tmp_path / "media"
    upload = indicator_services.upload_create(
        file=ContentFile(b"indikator;omraade;aar;vaerdi\n", name="tom.csv"), user=analyst, enqueue=False
    )
    from reports import services as report_services
    from reports.models import ReportBatch

    published = report_services.status_report_create(agreement=agreement, year=2025, user=ssu_secretary)
    published = report_services.status_report_publish(report_id=published.pk, render_pdf=False)
    published.pdf.save("rapport.pdf", ContentFile(b"%PDF-1.4 test"), save=False)
    published.save(update_fields=["pdf"])
    draft = report_services.status_report_create(agreement=agreement, year=2026, user=ssu_secretary)
    o = Objects()
    o.status_draft, o.status_published = draft.pk, published.pk
    o.batch = ReportBatch.objects.create(agreement=agreement, year=2026, steps_total=54).pk
    o.slug = agreement.slug
    o.measure = Measure.objects.filter(objective__vision__agreement=agreement, kind="indicator").first().pk
    o.round = reporting_round.pk
    o.fyn_draft, o.fyn_submitted, o.fyn_approved = fyn[0].pk, fyn[1].pk, fyn[2].pk
    o.upload = upload.pk
    measure = Measure.objects.select_related("objective__vision").get(pk=o.measure)
    o.measure_path = f"{measure.objective.vision.order}.{measure.objective.order}.{measure.order}"

    def report_key(report):
        return {
            "slug": agreement.slug,
            "year": reporting_round.year,
            "cluster": "fyn",
            "objective": f"{report.objective.vision.order}.{report.objective.order}",
        }

    o.fyn_draft_key, o.fyn_submitted_key, o.fyn_approved_key = (report_key(r) for r in fyn[:3])
    o.analyst_token = api_services.api_token_create(user=analyst, name="Power BI")[0].pk
    o.status_published_key, o.status_draft_key = (
        {"slug": agreement.slug, "year": r.year, "area": r.area.code, "kind": r.kind}
        for r in (published, draft)
    )
    return o


@pytest.mark.parametrize("name,variant,persona", CASES)
def test_access(request, client, objects, name, variant, persona):
    headers = {}
    if "token" in variant:
        # An API key instead of a log-in; the anonymous visitor sends one that does not exist.
        from api.services import api_token_create

        user = request.getfixturevalue(persona) if persona != "anonymous" else None
        key = api_token_create(user=user, name="matrix")[1] if user else "sam_findesikke"
        headers["HTTP_AUTHORIZATION"] = f"Token {key}"
    elif persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    ((_, method, kwargs, data, expected),) = [v for v in rules(objects)[name] if v[0] == variant]
    kwargs = dict(kwargs)
    query = kwargs.pop("query", "")
    url = reverse(name, kwargs=kwargs) + (f"?{query}" if query else "")
    response = (
        getattr(client, method)(url, data, **headers) if method == "post" else client.get(url, **headers)
    )
    assert response.status_code == expected[persona], f"{method.upper()} {url} as {persona}"
