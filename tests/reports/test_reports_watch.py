"""No report job is stuck without a way forward: a PDF or batch whose task could not be sent (the broker was
down) or whose worker died is picked up by the `reports_watch` beat job."""

import datetime

import kombu.exceptions
import pytest
from django.utils import timezone

from reports import services, tasks
from reports.models import ReportBatch, StatusReport

from .conftest import YEAR


@pytest.fixture
def broker_down(monkeypatch):
    def refuse(*args, **kwargs):
        raise kombu.exceptions.OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.status_report_pdf_task, "delay", refuse)
    monkeypatch.setattr(tasks.report_batch_task, "delay", refuse)


def test_publishing_while_the_broker_is_down_publishes_and_the_watch_renders_the_pdf_later(
    django_capture_on_commit_callbacks, data, agreement, ssu_secretary, broker_down, monkeypatch
):
    draft = services.status_report_create(agreement=agreement, year=YEAR, user=ssu_secretary)
    with django_capture_on_commit_callbacks(execute=True):
        report = services.status_report_publish(report_id=draft.pk, user=ssu_secretary)
    report.refresh_from_db()
    assert report.status == StatusReport.Status.PUBLISHED and not report.pdf

    # The broker is back; the watch waits until the report has been without its PDF for a while.
    sent = []
    monkeypatch.setattr(tasks.status_report_pdf_task, "delay", sent.append)
    assert services.reports_watch(stall_seconds=3600)["pdfs"] == 0
    assert services.reports_watch(stall_seconds=0)["pdfs"] == 1
    assert sent == [report.pk]


def test_a_batch_that_could_not_be_queued_is_sent_again_and_one_whose_worker_died_fails_with_a_reason(
    django_capture_on_commit_callbacks, data, agreement, ssu_secretary, broker_down, monkeypatch
):
    with django_capture_on_commit_callbacks(execute=True):
        queued = services.report_batch_create(
            agreement=agreement, year=YEAR, kind="annual", user=ssu_secretary
        )
    assert ReportBatch.objects.get(pk=queued.pk).status == ReportBatch.Status.QUEUED

    running = ReportBatch.objects.create(
        agreement=agreement, year=YEAR, kind="midway", steps_total=54, status=ReportBatch.Status.RUNNING
    )
    ReportBatch.objects.filter(pk=running.pk).update(created_at=timezone.now() - datetime.timedelta(days=1))

    sent = []
    monkeypatch.setattr(tasks.report_batch_task, "delay", sent.append)
    counts = services.reports_watch(stall_seconds=0)
    assert sent == [queued.pk] and counts["batches"] == 1 and counts["failed"] == 1
    running.refresh_from_db()
    assert running.status == ReportBatch.Status.FAILED
    assert "Start en ny kørsel" in running.error
