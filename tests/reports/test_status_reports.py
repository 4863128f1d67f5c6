"""The yearly status report: a draft shows the live data, publishing freezes it, later changes to the data
do not reach it but are listed under "since publication", and only the SSU secretariat writes it."""

import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import DatabaseError, transaction
from django.urls import reverse

from goals.models import AuditEvent, Measure, Objective, Target
from indicators import services as indicator_services
from reports import services
from reports.models import FrozenReportError, StatusReport

from .conftest import AGREEMENT, YEAR

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_tasks")]

HEADER = "indikator;område;år;køn;alder;uddannelse;andel;nedre;øvre;antal svarpersoner\n"
# Smoking in the region in 2025 revised upwards: from improving to worsening.
REVISION = HEADER + "dagligrygning;Region Syddanmark;2025;Alle;16+;Alle;19,5;19,0;20,0;5.000\n"


def export(report) -> bytes:
    out = io.StringIO()
    call_command("status_report", "export", str(report.pk), "--json", stdout=out)
    return out.getvalue().encode("utf-8")


def report_body(client, report) -> str:
    """The report itself as the page shows it (what was published), without the page's live comparison."""
    html = client.get(report.get_absolute_url()).content.decode()
    return html[html.index('<article class="status-report') : html.index("</article>")]


def load(text, user, capture):
    with capture(execute=True):
        upload = indicator_services.upload_create(
            file=ContentFile(text.encode(), name="rettelse.csv"), user=user
        )
    with capture(execute=True):
        indicator_services.upload_confirm(upload_id=upload.pk, user=user)
    upload.refresh_from_db()
    assert upload.status == "loaded", upload.problems if hasattr(upload, "problems") else upload.status
    return upload


@pytest.fixture
def smoking():
    return Measure.objects.get(objective__vision__agreement__slug=AGREEMENT, indicator__code="dagligrygning")


def test_a_published_report_keeps_what_it_said_through_uploads_rollbacks_and_edits(
    client, published, smoking, analyst, django_capture_on_commit_callbacks
):
    before_export, before_page = export(published), report_body(client, published)
    stored = json.loads(before_export)
    line = next(
        m for v in stored["visions"] for o in v["objectives"] for m in o["measures"] if m["id"] == smoking.pk
    )
    assert line["status"] == "improving" and line["latest"]["value"] == 16.5

    # New values for 2025, then the agreement's text and the target edited.
    upload = load(REVISION, analyst, django_capture_on_commit_callbacks)
    objective = smoking.objective
    objective.text = "Ny formulering af målsætningen om tobak."
    objective.save()
    target = Target.objects.get(measure=smoking)
    target.kind, target.value, target.target_year = "absolute", 12.0, 2027
    target.save()

    assert export(published) == before_export
    assert report_body(client, published) == before_page
    assert "Ny formulering" not in before_page
    html = client.get(published.get_absolute_url()).content.decode()
    since = html[html.index('id="since-heading"') :]
    live_url = reverse("goals:measure_detail", args=[smoking.pk]) + "?omraade=1083&amp;aar=2026"
    assert live_url in since
    assert "Udvikling i ønsket retning → Forværring" in since
    assert "16,5 % → 19,5 %" in since
    assert "12 % i 2027" in since  # the new target

    # Rolled back: the value is as published again, the target edit still shows.
    with django_capture_on_commit_callbacks(execute=True):
        indicator_services.upload_rollback(upload_id=upload.pk, user=analyst)
    assert export(published) == before_export
    since = client.get(published.get_absolute_url()).content.decode().split('id="since-heading"')[1]
    assert "16,5 % → 19,5 %" not in since
    assert "12 % i 2027" in since


def test_the_draft_preview_is_exactly_what_gets_published(client, data, agreement, ssu_secretary):
    client.force_login(ssu_secretary)
    draft = services.status_report_create(agreement=agreement, year=YEAR, user=ssu_secretary)
    preview = report_body(client, draft)
    services.status_report_publish(report_id=draft.pk, user=ssu_secretary, render_pdf=False)
    draft.refresh_from_db()
    published = report_body(client, draft)
    # Only the cover's date and the footer's say it is published now.
    assert preview.replace("Kladde – ikke offentliggjort", "") != preview
    assert "Offentliggjort" in published
    dated = ("Kladde", "Offentliggjort", "status-report", "Data pr.", "SHA-256", "statusmetoden")

    def undated(html):
        return [line for line in html.splitlines() if not any(word in line for word in dated)]

    assert undated(preview) == undated(published)


def test_the_secretariat_writes_a_foreword_and_comments_and_publishes_from_the_page(
    client, data, agreement, ssu_secretary
):
    client.force_login(ssu_secretary)
    response = client.post(
        reverse("reports:create", args=[AGREEMENT]), {"year": YEAR, "area": "fyn", "kind": "midway"}
    )
    report = StatusReport.objects.get(area__code="fyn", kind="midway")
    assert response.status_code == 302 and response["Location"] == report.get_absolute_url()
    objective = (
        Objective.objects.filter(vision__agreement=agreement).order_by("vision__order", "order").first()
    )
    client.post(
        reverse("reports:edit", args=[report.pk]),
        {"foreword": "Kære SSU", f"comment_{objective.pk}": "Vi følger op i foråret."},
    )
    page = client.get(report.get_absolute_url()).content.decode()
    assert "Forhåndsvisning" in page and "Kære SSU" in page and "Vi følger op i foråret." in page
    assert client.post(reverse("reports:publish", args=[report.pk])).status_code == 302
    report.refresh_from_db()
    assert report.status == "published" and "Vi følger op i foråret." in report.content
    assert report.content_sha256 == __import__("hashlib").sha256(report.content.encode()).hexdigest()
    # Editing a published report is refused, however it is asked.
    response = client.post(reverse("reports:edit", args=[report.pk]), {"foreword": "Ændret"})
    assert response.status_code == 404
    report.refresh_from_db()
    assert "Kære SSU" in report.content and report.foreword == "Kære SSU"


@pytest.mark.parametrize("persona", ["fyn_secretary", "analyst", "ssu_member"])
def test_only_the_secretariat_sees_drafts_and_publishes(
    request, client, data, agreement, ssu_secretary, persona
):
    draft = services.status_report_create(agreement=agreement, year=YEAR, user=ssu_secretary)
    client.force_login(request.getfixturevalue(persona))
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.post(reverse("reports:publish", args=[draft.pk])).status_code == 404
    assert client.post(reverse("reports:create", args=[AGREEMENT]), {"year": YEAR}).status_code == 404
    draft.refresh_from_db()
    assert draft.status == "draft"
    client.logout()
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert "Kladde" not in client.get(reverse("reports:list", args=[AGREEMENT])).content.decode()


def test_a_published_report_cannot_be_changed_or_deleted_even_behind_the_services(published):
    with pytest.raises(ValidationError):
        services.status_report_update(report_id=published.pk, user=None, foreword="x", comments={})
    with pytest.raises(ValidationError):
        services.status_report_delete(report_id=published.pk, user=None)
    published.foreword = "Ændret i admin"
    with pytest.raises(FrozenReportError):
        published.save()
    with pytest.raises(FrozenReportError):
        published.delete()
    # The database refuses a queryset update too (migration 0002's trigger).
    with pytest.raises(DatabaseError), transaction.atomic():
        StatusReport.objects.filter(pk=published.pk).update(content='{"forfalsket": true}')
    published.refresh_from_db()
    assert "forfalsket" not in published.content


def test_a_correction_supersedes_the_report_with_a_reason_and_both_stay_readable(
    client, published, ssu_secretary
):
    with pytest.raises(ValidationError):
        services.status_report_correct(report_id=published.pk, user=ssu_secretary, reason=" ")
    correction = services.status_report_correct(
        report_id=published.pk, user=ssu_secretary, reason="Forkert forord"
    )
    services.status_report_update(
        report_id=correction.pk, user=ssu_secretary, foreword="Rettet forord", comments={}
    )
    services.status_report_publish(report_id=correction.pk, user=ssu_secretary, render_pdf=False)
    published.refresh_from_db()
    correction.refresh_from_db()
    assert published.status == "superseded" and correction.status == "published"
    old_page = client.get(published.get_absolute_url()).content.decode()
    assert "Erstattet" in old_page and "Årets status til SSU." in old_page
    assert correction.get_absolute_url() in old_page
    new_page = client.get(correction.get_absolute_url()).content.decode()
    assert "Rettet forord" in new_page and "Forkert forord" in new_page
    listing = client.get(reverse("reports:list", args=[AGREEMENT])).content.decode()
    assert published.get_absolute_url() in listing and correction.get_absolute_url() in listing


def test_every_step_is_in_the_audit_trail(client, published, ssu_secretary):
    events = AuditEvent.objects.filter(scope=published.audit_scope).order_by("at", "id")
    assert [e.action for e in events] == ["created", "changed", "changed"]
    assert events[2].changes == {"Status": ["Kladde", "Offentliggjort"]}
    assert published.content_sha256 in events[2].comment
    assert all(e.actor == ssu_secretary for e in events)
    client.force_login(ssu_secretary)
    assert "Offentliggjort" in client.get(published.get_absolute_url()).content.decode().split("Historik")[-1]


def test_last_years_report_is_compared_status_by_status(client, data, agreement, ssu_secretary, smoking):
    last = services.status_report_create(agreement=agreement, year=YEAR - 1, user=ssu_secretary)
    services.status_report_publish(report_id=last.pk, user=ssu_secretary, render_pdf=False)
    # Last year's report saw only 2021 (as of 2025: the 2025 value counts); make this year's differ.
    from .conftest import observe

    observe("1083", "dagligrygning", 2026, 19.5, ci=0.3)
    from goals.services import measure_statuses_refresh

    measure_statuses_refresh()
    this = services.status_report_create(agreement=agreement, year=YEAR, user=ssu_secretary)
    services.status_report_publish(report_id=this.pk, user=ssu_secretary, render_pdf=False)
    page = client.get(this.get_absolute_url()).content.decode()
    compared = page.split("Sammenlignet med året før")[1]
    assert last.get_absolute_url() in compared
    assert "Dagligrygning: Udvikling i ønsket retning → Forværring" in compared


def test_the_report_shows_values_with_ci_target_comparison_and_sample_marks(client, published, smoking):
    html = report_body(client, published)
    assert "16,5 %" in html and "16,0–17,0" in html  # latest value and its CI
    assert "Hele landet 16,0 % i 2025" in html  # the country's value beside it
    assert '<svg class="report-chart"' in html and 'class="ci"' in html  # chart with a CI band
    assert "Sammenfatning" in html and "Ikke på rette vej (1)" in html and "På rette vej (1)" in html
    assert "Dagligrygning: udvikling i ønsket retning, 16,5 % i 2025 mod 17,7 % i 2021." in html


def test_sample_values_are_labelled_eksempeldata_on_the_cover(client, agreement, ssu_secretary):
    from goals.services import measure_statuses_refresh

    from .conftest import observe

    observe("1083", "dagligrygning", 2021, 17.7, sample=True)
    observe("1083", "dagligrygning", 2025, 16.5, sample=True)
    measure_statuses_refresh()
    report = services.status_report_create(agreement=agreement, year=YEAR, user=ssu_secretary)
    report = services.status_report_publish(report_id=report.pk, user=ssu_secretary, render_pdf=False)
    html = report_body(client, report)
    cover = html.split("Sammenfatning")[0]
    assert "Eksempeldata" in cover
    assert "eksempeldata" in html.split("Sammenfatning")[1]


def test_publishing_lists_the_report_on_the_front_agreement_and_area_pages_at_once(client, data, agreement):
    agreement_url = reverse("goals:agreement_detail", args=[AGREEMENT])
    client.get(agreement_url)  # cached without a report
    report = services.status_report_create(agreement=agreement, year=YEAR, user=None)
    services.status_report_publish(report_id=report.pk, render_pdf=False)
    url = report.get_absolute_url()
    assert url in client.get("/").content.decode()
    assert url in client.get(agreement_url).content.decode()
    assert url in client.get(reverse("goals:area_detail", args=["1083"])).content.decode()
    assert url not in client.get(reverse("goals:area_detail", args=["fyn"])).content.decode()


def test_the_report_page_costs_a_fixed_number_of_queries(client, published, django_assert_num_queries):
    # Session-free: the report; the live content for "since publication" (the agreement's tree, the statuses,
    # the reporting round, its clusters and reports, the areas compared, the observations, the data version);
    # last year's report. The same however many values or areas have data.
    with django_assert_num_queries(19) as first:
        assert client.get(published.get_absolute_url()).status_code == 200
    from .conftest import observe

    observe("461", "hoejt-alkoholforbrug", 2021, 9.0)
    with django_assert_num_queries(len(first.captured_queries)):
        assert client.get(published.get_absolute_url()).status_code == 200


def test_the_command_creates_publishes_and_exports_byte_identical_json(data):
    out = io.StringIO()
    call_command(
        "status_report",
        "create",
        "--agreement",
        AGREEMENT,
        "--year",
        str(YEAR),
        "--area",
        "fyn",
        "--json",
        stdout=out,
    )
    created = json.loads(out.getvalue())
    assert created["status"] == "draft" and created["area"] == "fyn"
    out = io.StringIO()
    call_command("status_report", "publish", str(created["id"]), "--json", stdout=out)
    assert json.loads(out.getvalue())["status"] == "published"
    report = StatusReport.objects.get(pk=created["id"])
    first = export(report)
    assert first == (report.content + "\n").encode()
    assert json.loads(first)["area"]["name"] == "Sundhedsklynge Fyn"
    assert export(report) == first


def test_every_area_in_one_go_publishes_27_reports_with_progress(
    client, data, agreement, ssu_secretary, monkeypatch, django_capture_on_commit_callbacks
):
    from reports import pdf

    monkeypatch.setattr(
        pdf, "engine_missing", lambda: "PDF-motoren (Chromium) er ikke installeret på serveren."
    )
    client.force_login(ssu_secretary)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reports:batch_create", args=[AGREEMENT]), {"year": YEAR, "kind": "annual"}
        )
    assert response.status_code == 302
    batch_url = response["Location"]
    status = client.get(batch_url + "status/").json()
    assert status == {"status": "done", "label": "Færdig", "progress": 100, "working": False}
    assert StatusReport.objects.filter(status="published", year=YEAR).count() == 27
    page = client.get(batch_url).content.decode()
    assert "27 rapporter er offentliggjort." in page
    report = StatusReport.objects.get(area__code="461", year=YEAR)
    assert "ikke installeret" in client.get(report.get_absolute_url()).content.decode()


def test_the_clusters_approved_activity_status_is_in_the_report_of_the_region_and_the_cluster(
    client, data, agreement, ssu_secretary, fyn_secretary
):
    import datetime

    from django.utils import timezone

    from goals.services import reporting

    reporting_round = reporting.reporting_round_open(
        agreement=agreement,
        year=2025,
        deadline=timezone.localdate() + datetime.timedelta(days=30),
        user=ssu_secretary,
    )
    report = reporting_round.reports.filter(cluster__code="fyn").order_by("objective__vision__order").first()
    reporting.activity_report_save(
        report_id=report.pk,
        user=fyn_secretary,
        version=report.version,
        assessment="partly_on_plan",
        narrative="Trivselsforløb i alle fynske kommuner.",
        activities=[reporting.ActivityInput(title="Trivselsforløb")],
    )
    reporting.activity_report_submit(report_id=report.pk, user=fyn_secretary)
    reporting.activity_report_approve(report_id=report.pk, user=ssu_secretary)
    for code, shown in (("1083", True), ("fyn", True), ("461", True), ("lillebaelt", False)):
        from clusters.models import Area

        draft = services.status_report_create(
            agreement=agreement, year=YEAR, area=Area.objects.get(code=code), user=ssu_secretary
        )
        published = services.status_report_publish(report_id=draft.pk, user=ssu_secretary, render_pdf=False)
        html = report_body(client, published)
        assert ("Sundhedsklynge Fyn: Delvist på plan." in html) is shown, code
        assert ("Trivselsforløb i alle fynske kommuner." in html) is shown, code
    assert "1 af 4 klynger har en godkendt status for 2025." in report_body(
        client, StatusReport.objects.get(area__code="1083")
    )
