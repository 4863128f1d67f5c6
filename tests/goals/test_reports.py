"""The clusters' activity reports: rounds, writing with autosave, the review workflow, locking, reminders,
the audit trail and who may do what (issue #6)."""

import datetime

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from goals.models import Activity, ActivityReport, Agreement, AuditEvent, ReportingRound
from goals.services import reporting

pytestmark = pytest.mark.django_db

SLUG = "syddanmark-2024-2027"


@pytest.fixture
def agreement():
    return Agreement.objects.get(slug=SLUG)


@pytest.fixture
def open_round(agreement, ssu_secretary):
    return reporting.reporting_round_open(
        agreement=agreement,
        year=2025,
        deadline=timezone.localdate() + datetime.timedelta(days=30),
        user=ssu_secretary,
    )


def fyn_report(open_round):
    return open_round.reports.filter(cluster__code="fyn").order_by(
        "objective__vision__order", "objective__order"
    )[0]


def fill(report, user, *, assessment="on_plan", narrative="x", activities=None):
    """Save a draft as the cluster's secretary would, from the report's stored version; by default a
    complete one with a single activity "A". Returns the service's (report, {row key: activity id})."""
    report.refresh_from_db()
    return reporting.activity_report_save(
        report_id=report.pk,
        user=user,
        version=report.version,
        assessment=assessment,
        narrative=narrative,
        activities=activities if activities is not None else [reporting.ActivityInput(title="A")],
    )


def edit_data(report, *, version=None, assessment="on_plan", narrative="Vi er godt i gang.", activities=()):
    """A POST body as the edit page's form sends it."""
    data = {
        "version": report.version if version is None else version,
        "assessment": assessment,
        "narrative": narrative,
        "activities-TOTAL_FORMS": len(activities),
        "activities-INITIAL_FORMS": 0,
        "activities-MIN_NUM_FORMS": 0,
        "activities-MAX_NUM_FORMS": 100,
    }
    for i, activity in enumerate(activities):
        row = {"status": "started", "description": "", "link": "", "partners": [], **activity}
        for key, value in row.items():
            data[f"activities-{i}-{key}"] = value
    return data


def test_opening_a_round_gives_every_cluster_one_report_per_activity_objective(open_round):
    # 2024-2027 has four activity-status follow-ups and Syddanmark four clusters.
    objectives = {r.objective_id for r in open_round.reports.all()}
    clusters = set(open_round.reports.values_list("cluster__code", flat=True))
    assert clusters == {"fyn", "lillebaelt", "sydvestjylland", "soenderjylland"}
    assert open_round.reports.count() == len(objectives) * 4
    assert set(open_round.reports.values_list("status", flat=True)) == {"draft"}


def test_the_secretariat_opens_a_round_on_the_page(client, ssu_secretary, agreement):
    client.force_login(ssu_secretary)
    deadline = timezone.localdate() + datetime.timedelta(days=20)
    response = client.post(
        reverse("goals:round_create"),
        {"agreement": agreement.pk, "year": 2026, "deadline": deadline.isoformat(), "reminder_days": 7},
    )
    reporting_round = ReportingRound.objects.get(agreement=agreement, year=2026)
    assert response.status_code == 302 and response["Location"] == reporting_round.get_absolute_url()
    page = client.get(response["Location"]).content.decode()
    assert "Fyn" in page and "Lillebælt" in page and "Kladde" in page


def test_a_round_with_a_deadline_in_the_past_is_refused_and_nothing_is_created(
    client, ssu_secretary, agreement
):
    client.force_login(ssu_secretary)
    response = client.post(
        reverse("goals:round_create"),
        {"agreement": agreement.pk, "year": 2026, "deadline": "2020-01-01", "reminder_days": 7},
    )
    assert response.status_code == 200
    assert "Fristen kan ikke ligge før i dag." in response.content.decode()
    assert not ReportingRound.objects.exists() and not ActivityReport.objects.exists()


def test_a_second_round_for_the_same_year_is_refused(client, ssu_secretary, agreement, open_round):
    client.force_login(ssu_secretary)
    deadline = (timezone.localdate() + datetime.timedelta(days=5)).isoformat()
    response = client.post(
        reverse("goals:round_create"),
        {"agreement": agreement.pk, "year": 2025, "deadline": deadline, "reminder_days": 7},
    )
    assert "Der er allerede en rapporteringsrunde for 2025." in response.content.decode()
    assert ReportingRound.objects.count() == 1


def test_the_full_workflow_from_draft_to_approved_and_locked(
    client, fyn_secretary, ssu_secretary, open_round
):
    report = fyn_report(open_round)
    client.force_login(fyn_secretary)
    url = reverse("goals:report_edit", args=[report.pk])
    data = edit_data(report, activities=[{"title": "Fælles akutteam", "partners": ["kommuner", "region"]}])
    data["submit"] = "1"
    response = client.post(url, data)
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == "submitted" and report.submitted_at is not None
    assert [a.title for a in report.activities.all()] == ["Fælles akutteam"]
    assert report.activities.get().partners == ["kommuner", "region"]
    # Sent: the secretary can no longer edit it.
    assert client.get(url).status_code == 404

    client.force_login(ssu_secretary)
    review = reverse("goals:report_review", args=[report.pk])
    client.post(review, {"action": "return", "comment": "Beskriv også samarbejdet med almen praksis."})
    report.refresh_from_db()
    assert report.status == "returned"

    client.force_login(fyn_secretary)
    page = client.get(url).content.decode()
    assert "Beskriv også samarbejdet med almen praksis." in page
    data = edit_data(
        report, narrative="Nu også med almen praksis.", activities=[{"title": "Fælles akutteam"}]
    )
    data["submit"] = "1"
    client.post(url, data)
    report.refresh_from_db()
    assert report.status == "resubmitted"

    client.force_login(ssu_secretary)
    client.post(review, {"action": "approve"})
    report.refresh_from_db()
    assert report.status == "approved" and report.approved_at is not None

    # Locked: neither the cluster nor a forged save can change it.
    client.force_login(fyn_secretary)
    assert client.get(url).status_code == 404
    response = client.post(url, edit_data(report, narrative="Ændret efter godkendelse"))
    assert response.status_code == 404
    report.refresh_from_db()
    assert report.narrative == "Nu også med almen praksis."

    actions = list(
        AuditEvent.objects.filter(scope=f"report:{report.pk}")
        .order_by("at", "id")
        .values_list("action", flat=True)
    )
    assert actions == ["changed", "submitted", "returned", "changed", "resubmitted", "approved"]


def test_returning_needs_a_comment(client, ssu_secretary, fyn_secretary, open_round):
    report = fyn_report(open_round)
    fill(report, fyn_secretary)
    reporting.activity_report_submit(report_id=report.pk, user=fyn_secretary)
    client.force_login(ssu_secretary)
    response = client.post(
        reverse("goals:report_review", args=[report.pk]), {"action": "return", "comment": " "}, follow=True
    )
    assert "Skriv en kommentar til klyngen." in response.content.decode()
    report.refresh_from_db()
    assert report.status == "submitted"


def test_the_secretariat_reopens_an_approved_report_with_a_reason(
    client, ssu_secretary, fyn_secretary, open_round
):
    report = fyn_report(open_round)
    fill(report, fyn_secretary, assessment="partly_on_plan")
    reporting.activity_report_submit(report_id=report.pk, user=fyn_secretary)
    reporting.activity_report_approve(report_id=report.pk, user=ssu_secretary)
    client.force_login(ssu_secretary)
    review = reverse("goals:report_review", args=[report.pk])
    client.post(review, {"action": "reopen", "comment": ""})
    report.refresh_from_db()
    assert report.status == "approved"  # no reason, no reopening
    client.post(review, {"action": "reopen", "comment": "Tallet for 2025 var forkert."})
    report.refresh_from_db()
    assert report.status == "returned" and report.review_comment == "Tallet for 2025 var forkert."
    event = AuditEvent.objects.filter(scope=f"report:{report.pk}", action="reopened").get()
    assert event.actor == ssu_secretary and event.comment == "Tallet for 2025 var forkert."


def test_a_report_cannot_be_sent_without_assessment_narrative_and_an_activity(
    client, fyn_secretary, open_round
):
    report = fyn_report(open_round)
    client.force_login(fyn_secretary)
    data = edit_data(report, assessment="", narrative="Første udkast")
    data["submit"] = "1"
    response = client.post(reverse("goals:report_edit", args=[report.pk]), data, follow=True)
    page = response.content.decode()
    assert "Kladden er gemt, men rapporten er ikke sendt" in page
    assert "Vælg en samlet vurdering." in page and "Tilføj mindst én aktivitet." in page
    report.refresh_from_db()
    assert report.status == "draft" and report.narrative == "Første udkast"


def test_html_in_a_narrative_is_shown_as_text(client, fyn_secretary, ssu_secretary, open_round):
    report = fyn_report(open_round)
    narrative = '<script>alert("x")</script><b>fed</b>'
    reporting.activity_report_save(
        report_id=report.pk,
        user=fyn_secretary,
        version=1,
        assessment="on_plan",
        narrative=narrative,
        activities=[reporting.ActivityInput(title="<img src=x onerror=alert(1)>")],
    )
    client.force_login(ssu_secretary)
    page = client.get(reverse("goals:report_detail", args=[report.pk])).content.decode()
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;b&gt;fed&lt;/b&gt;" in page
    assert "<script>alert" not in page and "<b>fed</b>" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page


def test_a_secretariat_cannot_write_another_clusters_report_by_url(client, lillebaelt_secretary, open_round):
    report = fyn_report(open_round)
    client.force_login(lillebaelt_secretary)
    for name in ("report_detail", "report_edit"):
        assert client.get(reverse(f"goals:{name}", args=[report.pk])).status_code == 404
    response = client.post(
        reverse("goals:report_edit", args=[report.pk]), {**edit_data(report), "submit": "1"}
    )
    assert response.status_code == 404
    response = client.post(reverse("goals:report_autosave", args=[report.pk]), edit_data(report))
    assert response.status_code == 404
    report.refresh_from_db()
    assert report.status == "draft" and report.narrative == "" and report.version == 1


def test_a_forged_activity_id_from_another_clusters_report_changes_nothing_there(
    client, fyn_secretary, lillebaelt_secretary, open_round
):
    theirs = open_round.reports.get(cluster__code="lillebaelt", objective=fyn_report(open_round).objective)
    fill(
        theirs,
        lillebaelt_secretary,
        assessment="",
        narrative="",
        activities=[reporting.ActivityInput(title="Lillebælts aktivitet")],
    )
    their_activity = theirs.activities.get()
    mine = fyn_report(open_round)
    client.force_login(fyn_secretary)
    data = edit_data(mine, activities=[{"id": their_activity.pk, "title": "Overtaget"}])
    assert client.post(reverse("goals:report_autosave", args=[mine.pk]), data).status_code == 200
    their_activity.refresh_from_db()
    assert their_activity.title == "Lillebælts aktivitet" and their_activity.report_id == theirs.pk
    assert theirs.activities.count() == 1
    # The text typed is kept, as a new activity of the secretary's own report.
    assert [(a.title, a.pk != their_activity.pk) for a in mine.activities.all()] == [("Overtaget", True)]


def test_unticking_remove_after_autosave_deleted_the_activity_keeps_it(client, fyn_secretary, open_round):
    report = fyn_report(open_round)
    client.force_login(fyn_secretary)
    url = reverse("goals:report_autosave", args=[report.pk])
    first = client.post(url, edit_data(report, activities=[{"title": "Behold mig"}])).json()
    activity_id = first["ids"]["activities-0"]
    removed = edit_data(
        report, version=2, activities=[{"id": activity_id, "title": "Behold mig", "DELETE": "on"}]
    )
    assert client.post(url, removed).json()["ids"] == {}
    assert not report.activities.exists()
    # The page still sends the old id when the box is unticked again.
    kept = edit_data(report, version=3, activities=[{"id": activity_id, "title": "Behold mig"}])
    response = client.post(url, kept)
    assert response.status_code == 200
    assert list(report.activities.values_list("title", flat=True)) == ["Behold mig"]


def test_autosave_stores_the_draft_and_tells_the_page_the_new_ids(client, fyn_secretary, open_round):
    report = fyn_report(open_round)
    client.force_login(fyn_secretary)
    url = reverse("goals:report_autosave", args=[report.pk])
    data = edit_data(report, assessment="", narrative="Halvt skrevet", activities=[{"title": "Ny aktivitet"}])
    response = client.post(url, data)
    assert response.status_code == 200
    payload = response.json()
    activity = Activity.objects.get(report=report)
    assert payload["version"] == 2 and payload["ids"] == {"activities-0": activity.pk}
    # The page's "before it can be sent" checklist follows what is saved.
    assert payload["problems"] == ["Vælg en samlet vurdering."]
    # The next autosave sends the id back: the same activity is updated, not duplicated.
    data = edit_data(
        report, version=2, narrative="Helt skrevet", activities=[{"id": activity.pk, "title": "Omdøbt"}]
    )
    response = client.post(url, data)
    assert response.status_code == 200 and response.json()["problems"] == []
    assert list(Activity.objects.filter(report=report).values_list("title", flat=True)) == ["Omdøbt"]
    # A burst of autosaves by one person is one event in the history, from the first text to the last.
    events = AuditEvent.objects.filter(scope=f"report:{report.pk}")
    assert events.count() == 1
    assert events.get().changes["Beskrivelse af status"] == ["", "Helt skrevet"]


def test_autosave_from_a_stale_page_is_refused_and_the_newer_text_kept(client, fyn_secretary, open_round):
    report = fyn_report(open_round)
    client.force_login(fyn_secretary)
    url = reverse("goals:report_autosave", args=[report.pk])
    assert client.post(url, edit_data(report, narrative="Fra fane 1")).status_code == 200
    response = client.post(url, edit_data(report, version=1, narrative="Fra fane 2"))
    assert response.status_code == 409
    assert "gemt et andet sted" in response.json()["error"]
    report.refresh_from_db()
    assert report.narrative == "Fra fane 1"


def test_a_save_from_a_stale_page_shows_the_users_text_again(client, fyn_secretary, open_round):
    report = fyn_report(open_round)
    client.force_login(fyn_secretary)
    fill(report, fyn_secretary, assessment="", narrative="Gemt i en anden fane", activities=[])
    response = client.post(
        reverse("goals:report_edit", args=[report.pk]), edit_data(report, version=1, narrative="Min tekst")
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "Min tekst" in page and "gemt et andet sted" in page
    report.refresh_from_db()
    assert report.narrative == "Gemt i en anden fane"


def test_autosave_after_the_session_timed_out_is_refused_without_losing_anything(
    client, fyn_secretary, open_round
):
    report = fyn_report(open_round)
    response = client.post(
        reverse("goals:report_autosave", args=[report.pk]), edit_data(report, narrative="Tabt?")
    )
    assert response.status_code == 403
    assert "Din tekst er gemt i browseren" in response.json()["error"]
    report.refresh_from_db()
    assert report.narrative == "" and report.version == 1


def test_an_invalid_activity_link_is_reported_and_nothing_is_saved(client, fyn_secretary, open_round):
    report = fyn_report(open_round)
    client.force_login(fyn_secretary)
    data = edit_data(report, narrative="Tekst", activities=[{"title": "A", "link": "ikke en adresse"}])
    response = client.post(reverse("goals:report_autosave", args=[report.pk]), data)
    assert response.status_code == 400
    assert "activities-0-link" in response.json()["errors"]
    report.refresh_from_db()
    assert report.narrative == "" and report.version == 1


def test_a_new_round_starts_from_last_years_unfinished_activities(
    agreement, ssu_secretary, fyn_secretary, open_round
):
    report = fyn_report(open_round)
    fill(
        report,
        fyn_secretary,
        assessment="",
        narrative="",
        activities=[
            reporting.ActivityInput(title="Fortsætter", status="started", partners=["region"]),
            reporting.ActivityInput(title="Færdig", status="finished"),
        ],
    )
    next_round = reporting.reporting_round_open(
        agreement=agreement,
        year=2026,
        deadline=timezone.localdate() + datetime.timedelta(days=60),
        user=ssu_secretary,
    )
    copied = next_round.reports.get(cluster__code="fyn", objective=report.objective)
    assert [(a.title, a.status, a.partners) for a in copied.activities.all()] == [
        ("Fortsætter", "started", ["region"])
    ]
    assert copied.status == "draft" and copied.narrative == ""


def test_completeness_shows_who_has_reported_and_what_is_overdue(
    client, ssu_secretary, fyn_secretary, open_round
):
    report = fyn_report(open_round)
    fill(report, fyn_secretary, assessment="not_on_plan")
    reporting.activity_report_submit(report_id=report.pk, user=fyn_secretary)
    ReportingRound.objects.filter(pk=open_round.pk).update(
        deadline=timezone.localdate() - datetime.timedelta(days=1)
    )
    client.force_login(ssu_secretary)
    page = client.get(reverse("goals:round_detail", args=[open_round.pk])).content.decode()
    assert "Ikke på plan" in page and "Indsendt" in page
    total = open_round.reports.count()
    # Every report still with its cluster after the deadline is overdue; the submitted one is not.
    assert page.count('class="overdue"') == total - 1


def test_a_cluster_secretariat_sees_only_its_own_column_of_the_round(client, fyn_secretary, open_round):
    client.force_login(fyn_secretary)
    page = client.get(reverse("goals:round_detail", args=[open_round.pk])).content.decode()
    assert "Sundhedsklynge Fyn" in page and "Lillebælt" not in page


def test_reminders_go_to_clusters_with_reports_due_once(fyn_secretary, lillebaelt_secretary, open_round):
    today = open_round.deadline - datetime.timedelta(days=open_round.reminder_days + 1)
    assert reporting.reporting_reminders_send(today=today) == 0
    today = open_round.deadline - datetime.timedelta(days=open_round.reminder_days)
    assert reporting.reporting_reminders_send(today=today) == 2
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == ["frida@example.dk", "lars@example.dk"]
    assert "Påmindelse" in mail.outbox[0].subject
    assert "/rapportering/rapporter/" in mail.outbox[0].body
    # Run twice (beat fires again, or two workers): no second mail.
    assert reporting.reporting_reminders_send(today=today) == 0
    assert len(mail.outbox) == 2


def test_reminders_skip_reports_already_sent(fyn_secretary, open_round):
    for report in open_round.reports.filter(cluster__code="fyn"):
        fill(report, fyn_secretary)
        reporting.activity_report_submit(report_id=report.pk, user=fyn_secretary)
    assert reporting.reporting_reminders_send(today=open_round.deadline) == 0
    assert mail.outbox == []


def test_the_reminder_task_is_scheduled_daily_by_celery_beat():
    from django.conf import settings

    entry = settings.CELERY_BEAT_SCHEDULE["reporting-reminders"]
    from sundhedsaftale.celery import app

    app.loader.import_default_modules()
    assert entry["task"] in app.tasks


def test_approved_reports_show_on_the_cluster_page(client, ssu_secretary, fyn_secretary, open_round):
    report = fyn_report(open_round)
    fill(
        report,
        fyn_secretary,
        assessment="partly_on_plan",
        narrative="Offentlig status",
        activities=[reporting.ActivityInput(title="Synlig aktivitet")],
    )
    page = client.get(reverse("goals:area_detail", args=["fyn"])).content.decode()
    assert "Synlig aktivitet" not in page  # a draft is never public
    reporting.activity_report_submit(report_id=report.pk, user=fyn_secretary)
    reporting.activity_report_approve(report_id=report.pk, user=ssu_secretary)
    page = client.get(reverse("goals:area_detail", args=["fyn"])).content.decode()
    assert "Synlig aktivitet" in page and "Delvist på plan" in page
    # And anyone may read the approved report itself.
    assert client.get(reverse("goals:report_detail", args=[report.pk])).status_code == 200


def test_approved_reports_feed_the_objectives_status_on_the_agreement_page(
    client, ssu_secretary, fyn_secretary, open_round
):
    report = fyn_report(open_round)
    page = client.get(reverse("goals:agreement_detail", args=[SLUG])).content.decode()
    assert "0 af 4 klynger har en godkendt status for 2025." in page
    fill(report, fyn_secretary)
    reporting.activity_report_submit(report_id=report.pk, user=fyn_secretary)
    reporting.activity_report_approve(report_id=report.pk, user=ssu_secretary)
    page = client.get(reverse("goals:agreement_detail", args=[SLUG])).content.decode()
    assert "1 af 4 klynger har en godkendt status for 2025: Sundhedsklynge Fyn: På plan." in page


def test_the_cluster_page_takes_the_same_queries_with_one_or_all_reports_approved(
    client, ssu_secretary, fyn_secretary, open_round, django_assert_num_queries
):
    def approve(report):
        fill(
            report,
            fyn_secretary,
            assessment="on_plan",
            narrative="x",
            activities=[reporting.ActivityInput(title="A"), reporting.ActivityInput(title="B")],
        )
        reporting.activity_report_submit(report_id=report.pk, user=fyn_secretary)
        reporting.activity_report_approve(report_id=report.pk, user=ssu_secretary)

    reports = list(open_round.reports.filter(cluster__code="fyn"))
    approve(reports[0])
    url = reverse("goals:area_detail", args=["fyn"])
    client.get(url)  # warm caches (content types, sample-data check)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for report in reports[1:]:
        approve(report)
    with django_assert_num_queries(len(one.captured_queries)):
        page = client.get(url).content.decode()
    assert page.count("A (planlagt)") == len(reports)


def test_editing_only_an_activitys_description_shows_in_the_history(fyn_secretary, open_round):
    report = fyn_report(open_round)
    _, ids = fill(
        report,
        fyn_secretary,
        assessment="",
        narrative="",
        activities=[reporting.ActivityInput(title="A", description="Første udgave", key="k")],
    )
    AuditEvent.objects.all().delete()  # start a fresh burst
    fill(
        report,
        fyn_secretary,
        assessment="",
        narrative="",
        activities=[reporting.ActivityInput(id=ids["k"], title="A", description="Anden udgave", key="k")],
    )
    old, new = AuditEvent.objects.get(scope=f"report:{report.pk}").changes["Aktivitet: A"]
    assert "Første udgave" in old and "Anden udgave" in new


def _approved(report, fyn_secretary, ssu_secretary, narrative="Offentlig tekst"):
    fill(report, fyn_secretary, narrative="Udkast")
    reporting.activity_report_save(
        report_id=report.pk,
        user=fyn_secretary,
        version=report.version + 1,
        assessment="on_plan",
        narrative=narrative,
        activities=[reporting.ActivityInput(title="A")],
    )
    reporting.activity_report_submit(report_id=report.pk, user=fyn_secretary)
    reporting.activity_report_return(report_id=report.pk, user=ssu_secretary, comment="Intern bemærkning")
    reporting.activity_report_submit(report_id=report.pk, user=fyn_secretary)
    reporting.activity_report_approve(report_id=report.pk, user=ssu_secretary)


def test_the_history_of_an_approved_report_with_its_drafts_is_not_public(
    client, ssu_member, fyn_secretary, ssu_secretary, open_round
):
    report = fyn_report(open_round)
    _approved(report, fyn_secretary, ssu_secretary)
    url = reverse("goals:report_detail", args=[report.pk])
    for viewer in (None, ssu_member):
        if viewer:
            client.force_login(viewer)
        page = client.get(url).content.decode()
        assert "Offentlig tekst" in page
        assert "Udkast" not in page and "Intern bemærkning" not in page and "Historik" not in page
    for viewer in (fyn_secretary, ssu_secretary):
        client.force_login(viewer)
        page = client.get(url).content.decode()
        assert "Historik" in page and "Intern bemærkning" in page


def test_a_new_round_does_not_hide_last_rounds_published_status(
    client, agreement, fyn_secretary, ssu_secretary, open_round
):
    _approved(fyn_report(open_round), fyn_secretary, ssu_secretary)
    reporting.reporting_round_open(
        agreement=agreement,
        year=2026,
        deadline=timezone.localdate() + datetime.timedelta(days=60),
        user=ssu_secretary,
    )
    page = client.get(reverse("goals:agreement_detail", args=[SLUG])).content.decode()
    assert "1 af 4 klynger har en godkendt status for 2025: Sundhedsklynge Fyn: På plan." in page


def test_a_reopened_report_is_reminded_again(fyn_secretary, ssu_secretary, open_round):
    report = fyn_report(open_round)
    reporting.reporting_reminders_send(today=open_round.deadline)
    _approved(report, fyn_secretary, ssu_secretary)
    reporting.activity_report_reopen(report_id=report.pk, user=ssu_secretary, reason="Ret tallet")
    mail.outbox.clear()
    assert reporting.reporting_reminders_send(today=open_round.deadline) == 1
    assert report.objective.text[:40] in mail.outbox[0].body


def test_the_history_is_written_in_danish_whatever_the_editors_language(fyn_secretary, open_round):
    from django.utils import translation

    report = fyn_report(open_round)
    with translation.override("en"):
        fill(
            report,
            fyn_secretary,
            assessment="on_plan",
            narrative="x",
            activities=[reporting.ActivityInput(title="A", status="started")],
        )
    changes = AuditEvent.objects.get(scope=f"report:{report.pk}").changes
    assert changes["Samlet vurdering"] == ["", "På plan"]
    assert changes["Aktivitet: A"] == ["", "A (Igangsat)"]


def test_autosave_answers_a_timed_out_session_in_json_also_when_every_page_needs_a_log_in(
    client, settings, open_round
):
    auth = "django.contrib.auth.middleware.AuthenticationMiddleware"
    settings.MIDDLEWARE = [
        *settings.MIDDLEWARE[: settings.MIDDLEWARE.index(auth) + 1],
        "django.contrib.auth.middleware.LoginRequiredMiddleware",
        *settings.MIDDLEWARE[settings.MIDDLEWARE.index(auth) + 1 :],
    ]
    report = fyn_report(open_round)
    assert client.get(reverse("goals:report_detail", args=[report.pk])).status_code == 302
    response = client.post(reverse("goals:report_autosave", args=[report.pk]), edit_data(report))
    assert response.status_code == 403 and "logget ud" in response.json()["error"]


def test_the_browser_copy_key_is_the_plain_id_even_above_a_thousand(client, fyn_secretary, open_round):
    """Danish number formatting must not turn report 12345 into "12.345" in the page's data attributes."""
    report = fyn_report(open_round)
    ActivityReport.objects.filter(pk=report.pk).update(id=12345)
    client.force_login(fyn_secretary)
    page = client.get(reverse("goals:report_edit", args=[12345])).content.decode()
    assert f'data-storage-key="report-12345-user-{fyn_secretary.pk}-draft"' in page


def test_the_history_names_each_activity_added_or_removed(fyn_secretary, open_round):
    report = fyn_report(open_round)
    _, ids = fill(
        report,
        fyn_secretary,
        assessment="",
        narrative="",
        activities=[
            reporting.ActivityInput(title="Bliver", key="a"),
            reporting.ActivityInput(title="Går", key="b"),
        ],
    )
    AuditEvent.objects.all().delete()
    fill(
        report,
        fyn_secretary,
        assessment="",
        narrative="",
        activities=[
            reporting.ActivityInput(id=ids["a"], title="Bliver", key="a"),
            reporting.ActivityInput(title="Ny"),
        ],
    )
    changes = AuditEvent.objects.get(scope=f"report:{report.pk}").changes
    assert changes == {"Aktivitet: Går": ["Går (Planlagt)", ""], "Aktivitet: Ny": ["", "Ny (Planlagt)"]}


def test_the_rounds_message_to_the_clusters_is_on_each_report_form(client, fyn_secretary, open_round):
    open_round.note = "Husk at nævne <b>samarbejdet</b> med almen praksis."
    open_round.save()
    client.force_login(fyn_secretary)
    html = client.get(reverse("goals:report_edit", args=[fyn_report(open_round).pk])).content.decode()
    assert "Besked fra SSU-sekretariatet til klyngerne:" in html
    assert "Husk at nævne &lt;b&gt;samarbejdet&lt;/b&gt; med almen praksis." in html
