"""Uploads end to end on the development database (tasks run in-process): validate and stage, preview,
confirm and load, re-upload, change, roll back; rejected files and repeated tasks change nothing."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import OperationalError
from django.urls import reverse

from clusters.models import Area
from goals.models import Measure
from indicators import services, tasks
from indicators.ingest import load
from indicators.models import Indicator, Observation, ObservationHistory, StagedObservation, Upload
from indicators.services import uploads

# Tasks run in this process even when REDIS_URL points at a broker (see tests/conftest.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_tasks")]

HEADER = "indikator;område;år;køn;alder;uddannelse;andel;nedre;øvre;antal svarpersoner\n"
FIRST = HEADER + (
    "dagligrygning;461;2021;Alle;16+;Alle;16,3;15,1;17,6;4.812\n"
    "dagligrygning;Region Syddanmark;2021;Kvinder;16-24;Alle;9,8;7,9;12,0;1.020\n"
    "dagligrygning;Odense;2017;Alle;16+;Alle;-;;;\n"
)
# The same three values, one of them (Odense 2021) changed by more than a third.
CHANGED = HEADER + (
    "dagligrygning;461;2021;Alle;16+;Alle;22,5;21,0;24,0;4.812\n"
    "dagligrygning;Region Syddanmark;2021;Kvinder;16-24;Alle;9,8;7,9;12,0;1.020\n"
    "dagligrygning;Odense;2017;Alle;16+;Alle;-;;;\n"
)
KEY_FIELDS = ("indicator__code", "area__code", "year", "sex", "age_group", "education")
CONTENT_FIELDS = ("period_label", "value", "ci_low", "ci_high", "respondents", "suppressed", "is_sample")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def submit(django_capture_on_commit_callbacks, analyst):
    """Upload a file as the analyst; the validation task runs (in-process) when the request commits."""

    def submit(text, name="indikatorer.csv", encoding="utf-8"):
        data = text.encode(encoding) if isinstance(text, str) else text
        with django_capture_on_commit_callbacks(execute=True):
            upload = services.upload_create(file=ContentFile(data, name=name), user=analyst)
        upload.refresh_from_db()
        return upload

    return submit


@pytest.fixture
def confirm(django_capture_on_commit_callbacks, analyst):
    def confirm(upload):
        with django_capture_on_commit_callbacks(execute=True):
            services.upload_confirm(upload_id=upload.pk, user=analyst)
        upload.refresh_from_db()
        return upload

    return confirm


@pytest.fixture
def rollback(django_capture_on_commit_callbacks, analyst):
    def rollback(upload):
        with django_capture_on_commit_callbacks(execute=True):
            services.upload_rollback(upload_id=upload.pk, user=analyst)
        upload.refresh_from_db()
        return upload

    return rollback


def stored():
    """Every observation as (key, content, upload id), in key order."""
    return list(
        Observation.objects.order_by(*KEY_FIELDS).values_list(*KEY_FIELDS, *CONTENT_FIELDS, "upload_id")
    )


def snapshot():
    """Everything an upload may write: observations, replaced values and staged rows."""
    return {
        "observations": stored(),
        "history": list(ObservationHistory.objects.order_by("pk").values_list()),
        "staged": list(StagedObservation.objects.order_by("pk").values_list()),
    }


def value(area_code, year, sex="alle", age_group="alle"):
    return Observation.objects.get(
        indicator__code="dagligrygning", area__code=area_code, year=year, sex=sex, age_group=age_group
    )


def test_a_file_is_validated_previewed_confirmed_and_loaded(submit, confirm, analyst):
    upload = submit(FIRST)

    assert upload.status == Upload.Status.AWAITING_CONFIRMATION
    assert upload.progress == 100
    assert (upload.rows, upload.new, upload.changed, upload.unchanged, upload.suppressed) == (3, 3, 0, 0, 1)
    assert upload.problems == []
    assert len(upload.sha256) == 64
    assert upload.uploaded_by == analyst
    assert upload.preview["staged"] == 3
    assert upload.preview["changed_examples"] == []
    # Nothing is visible before the analyst confirms.
    assert not Observation.objects.filter(indicator__code="dagligrygning").exists()
    assert StagedObservation.objects.filter(upload=upload).count() == 3

    upload = confirm(upload)

    assert upload.status == Upload.Status.LOADED
    assert upload.confirmed_by == analyst and upload.loaded_at is not None
    odense = value("461", 2021)
    assert (odense.value, odense.ci_low, odense.ci_high, odense.respondents) == (16.3, 15.1, 17.6, 4812)
    assert odense.upload == upload and not odense.is_sample
    young_women = value("1083", 2021, sex="kvinder", age_group="16-24")
    assert young_women.value == 9.8
    suppressed = value("461", 2017)
    assert suppressed.suppressed and suppressed.value is None
    assert not StagedObservation.objects.exists()
    assert not ObservationHistory.objects.exists()  # it replaced nothing


def test_uploading_the_same_file_again_changes_nothing_and_says_so(submit, confirm):
    first = confirm(submit(FIRST))
    before = snapshot()

    again = submit(FIRST)

    assert again.status == Upload.Status.AWAITING_CONFIRMATION
    assert (again.new, again.changed, again.unchanged) == (0, 0, 3)
    assert again.preview["same_as_upload"] == first.pk
    assert again.preview["message"] == "Ingen ændringer: alle 3 værdier findes allerede med samme indhold."
    again = confirm(again)
    assert again.status == Upload.Status.LOADED
    assert (again.new, again.changed) == (0, 0)
    assert snapshot() == before  # not even the upload id of the values moved


def test_a_changed_value_is_previewed_as_old_to_new_and_rollback_restores_exactly_what_it_replaced(
    submit, confirm, rollback
):
    first = confirm(submit(FIRST))
    before = snapshot()

    change = submit(CHANGED)

    assert (change.new, change.changed, change.unchanged) == (0, 1, 2)
    (example,) = change.preview["changed_examples"]
    assert example["old"] == 16.3 and example["new"] == 22.5
    assert example["area"] == "Odense" and example["year"] == 2021 and example["breakdown"] == "Alle"
    assert example["old_ci"] == [15.1, 17.6] and example["new_ci"] == [21.0, 24.0]
    (warning,) = change.warnings
    assert warning["line"] == 2 and "mere end en tredjedel" in warning["message"]
    assert value("461", 2021).value == 16.3  # still the old value until confirmed

    change = confirm(change)

    odense = value("461", 2021)
    assert (odense.value, odense.ci_low, odense.ci_high, odense.upload_id) == (22.5, 21.0, 24.0, change.pk)
    (replaced,) = ObservationHistory.objects.filter(upload=change)
    assert (replaced.value, replaced.ci_low, replaced.ci_high, replaced.respondents) == (
        16.3,
        15.1,
        17.6,
        4812,
    )
    assert replaced.replaced_upload == first

    change = rollback(change)

    assert change.status == Upload.Status.ROLLED_BACK and change.rolled_back_by is not None
    assert stored() == before["observations"]

    rollback(first)
    assert not Observation.objects.filter(indicator__code="dagligrygning").exists()


def test_an_upload_cannot_be_rolled_back_while_a_later_one_changed_its_values(submit, confirm, rollback):
    first = confirm(submit(FIRST))
    second = confirm(submit(CHANGED))

    with pytest.raises(ValidationError) as refused:
        services.upload_rollback(upload_id=first.pk, user=None)

    assert "senere upload" in refused.value.messages[0]
    assert f"nr. {second.pk}" in refused.value.messages[0]
    first.refresh_from_db()
    assert first.status == Upload.Status.LOADED
    rollback(second)
    rollback(first)
    assert not Observation.objects.filter(indicator__code="dagligrygning").exists()


def test_real_data_replaces_sample_data_and_rollback_brings_the_sample_back(submit, confirm, rollback):
    sample = Observation.objects.create(
        indicator=Indicator.objects.get(code="dagligrygning"),
        area=Area.objects.get(code="461"),
        year=2021,
        value=30.0,
        ci_low=28.0,
        ci_high=32.0,
        is_sample=True,
    )
    upload = submit(FIRST)
    assert (upload.new, upload.changed) == (2, 1)
    assert upload.preview["replaces_sample"] == 1
    assert upload.warnings == []  # moving sample data is not worth a warning

    upload = confirm(upload)
    sample.refresh_from_db()
    assert (sample.value, sample.is_sample, sample.upload_id) == (16.3, False, upload.pk)

    rollback(upload)
    sample.refresh_from_db()
    assert (sample.value, sample.ci_low, sample.ci_high, sample.is_sample, sample.upload_id) == (
        30.0,
        28.0,
        32.0,
        True,
        None,
    )
    assert Observation.objects.filter(indicator__code="dagligrygning").count() == 1


def test_a_rejected_file_leaves_the_database_exactly_as_it_was(submit, confirm):
    confirm(submit(FIRST))
    before = snapshot()
    bad = HEADER + (
        "dagligrygning;461;2023;Alle;16+;Alle;12,0;11,0;13,0;1.000\n"
        "dagligrygning;Atlantis;2023;Alle;16+;Alle;12,0;11,0;13,0;1.000\n"
        "dagligrygning;461;2024;Alle;16+;Alle;120;;;\n"
    )

    upload = submit(bad)

    assert upload.status == Upload.Status.REJECTED
    assert [(p["line"], p["column"]) for p in upload.problems] == [(3, "område"), (4, "andel")]
    assert all(p["message"] for p in upload.problems)
    assert snapshot() == before
    with pytest.raises(ValidationError):
        services.upload_confirm(upload_id=upload.pk, user=None)


def test_an_unreadable_file_is_rejected_with_one_problem(submit):
    upload = submit(b"", name="tom.csv")

    assert upload.status == Upload.Status.REJECTED
    assert len(upload.problems) == 1 and upload.problems[0]["message"]
    assert not StagedObservation.objects.exists()


def test_a_file_above_the_size_limit_is_refused_and_nothing_is_stored(settings, media, analyst):
    settings.UPLOAD_MAX_BYTES = 10

    with pytest.raises(ValidationError) as refused:
        services.upload_create(file=ContentFile(FIRST.encode(), name="stor.csv"), user=analyst)

    assert "største tilladte fil" in refused.value.messages[0]
    assert not Upload.objects.exists()
    assert not media.exists() or not any(media.rglob("*.csv"))


def test_discarding_deletes_the_staged_rows_and_loads_nothing(submit):
    upload = submit(FIRST)

    services.upload_discard(upload_id=upload.pk, user=None)
    services.upload_discard(upload_id=upload.pk, user=None)  # a second click does nothing

    upload.refresh_from_db()
    assert upload.status == Upload.Status.DISCARDED
    assert not StagedObservation.objects.exists()
    assert not Observation.objects.filter(indicator__code="dagligrygning").exists()
    with pytest.raises(ValidationError):
        services.upload_confirm(upload_id=upload.pk, user=None)


def test_running_each_task_twice_is_safe(submit, django_capture_on_commit_callbacks):
    upload = submit(FIRST)
    staged = snapshot()

    tasks.upload_validate_task.delay(upload.pk)  # again, after it finished

    assert snapshot() == staged
    services.upload_confirm(upload_id=upload.pk, user=None, enqueue=False)
    services.upload_confirm(upload_id=upload.pk, user=None, enqueue=False)  # a double click
    tasks.upload_load_task.delay(upload.pk)
    loaded = snapshot()
    tasks.upload_load_task.delay(upload.pk)
    tasks.upload_validate_task.delay(upload.pk)

    assert snapshot() == loaded
    upload.refresh_from_db()
    assert upload.status == Upload.Status.LOADED and upload.new == 3


def test_a_load_that_dies_before_commit_leaves_nothing_and_can_be_completed(submit, confirm, monkeypatch):
    confirm(submit(FIRST))
    change = submit(CHANGED)
    services.upload_confirm(upload_id=change.pk, user=None, enqueue=False)
    before = snapshot()

    def die():
        raise SystemExit("worker killed")  # not an Exception: nothing may catch it on the way out

    monkeypatch.setattr(load, "sleep_for_tests", die)
    with pytest.raises(SystemExit):
        uploads.upload_load(upload_id=change.pk)

    assert snapshot() == before  # the upsert and the history were rolled back with the transaction
    change.refresh_from_db()
    assert change.status == Upload.Status.LOADING
    monkeypatch.undo()

    uploads.upload_load(upload_id=change.pk)

    change.refresh_from_db()
    assert change.status == Upload.Status.LOADED
    assert value("461", 2021).value == 22.5
    assert ObservationHistory.objects.filter(upload=change).count() == 1


def test_an_unexpected_error_marks_the_upload_failed_and_is_not_retried(submit, monkeypatch):
    upload = submit(FIRST)
    services.upload_confirm(upload_id=upload.pk, user=None, enqueue=False)
    calls = []

    def broken(upload_id, **kwargs):
        calls.append(upload_id)
        raise ValueError("a bug")

    monkeypatch.setattr(load, "upsert", broken)
    tasks.upload_load_task.delay(upload.pk)

    upload.refresh_from_db()
    assert upload.status == Upload.Status.FAILED
    assert upload.error == "ValueError: a bug"
    assert calls == [upload.pk]
    assert not StagedObservation.objects.exists()
    assert not Observation.objects.filter(indicator__code="dagligrygning").exists()


def test_a_database_outage_is_retried(submit, monkeypatch):
    upload = submit(FIRST)
    services.upload_confirm(upload_id=upload.pk, user=None, enqueue=False)
    real_upsert = load.upsert
    calls = []

    def flaky(upload_id, **kwargs):
        calls.append(upload_id)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return real_upsert(upload_id, **kwargs)

    monkeypatch.setattr(load, "upsert", flaky)
    # Run eagerly without propagating, Celery applies the retry at once; a worker would first wait.
    result = tasks.upload_load_task.apply(args=[upload.pk], throw=False)

    upload.refresh_from_db()
    assert result.successful()
    assert len(calls) == 2
    assert upload.status == Upload.Status.LOADED
    assert value("461", 2021).value == 16.3


def test_the_preview_names_the_measures_whose_status_changes(submit):
    measure = Measure.objects.get(
        indicator__code="dagligrygning",
        objective__vision__agreement__slug="syddanmark-2019-2023",
        sex="alle",
        age_group="alle",
        education="alle",
    )
    region = measure.objective.vision.agreement.area
    text = HEADER + (
        f"dagligrygning;{region.code};2017;Alle;16+;Alle;17,0;16,0;18,0;9.000\n"
        f"dagligrygning;{region.code};2021;Alle;16+;Alle;14,0;13,0;15,0;9.000\n"
    )

    upload = submit(text)

    changes = {
        (c["measure_id"], c["area"], c["sex"], c["age_group"], c["education"], c["year"]): c
        for c in upload.preview["status_changes"]
    }
    change = changes[measure.pk, region.code, "alle", "alle", "alle", 2021]
    assert change["agreement"] == measure.objective.vision.agreement.slug
    assert change["agreement_title"] == measure.objective.vision.agreement.title
    assert change["area_name"] == region.name
    assert change["old_status"] is None and change["new_status"] not in (None, "no_data")
    assert change["new_label"]
    # The preview's trial load was rolled back.
    assert not Observation.objects.filter(indicator__code="dagligrygning").exists()
    assert not ObservationHistory.objects.exists()


def test_resume_enqueues_the_task_an_upload_waits_for(submit, django_capture_on_commit_callbacks):
    upload = submit(FIRST)
    services.upload_confirm(upload_id=upload.pk, user=None, enqueue=False)

    with django_capture_on_commit_callbacks(execute=True):
        assert services.upload_resume(upload_id=upload.pk)

    upload.refresh_from_db()
    assert upload.status == Upload.Status.LOADED
    assert not services.upload_resume(upload_id=upload.pk)


def test_a_windows_1252_file_from_danish_excel_loads_with_its_letters_intact(submit, confirm):
    text = (
        HEADER
        + "dagligrygning;Region Syddanmark;2021;Mænd;16-24;Lang videregående uddannelse;9,8;7,9;12,0;1.020\n"
    )

    upload = confirm(submit(text.replace("\n", "\r\n"), encoding="cp1252"))

    assert upload.status == Upload.Status.LOADED
    stored_value = Observation.objects.get(indicator__code="dagligrygning", area__code="1083")
    assert (stored_value.sex, stored_value.education, stored_value.value) == (
        "maend",
        "Lang videregående uddannelse",
        9.8,
    )


# Committed rows: on PostgreSQL the progress is written through a connection of its own while the file is
# staged in one transaction, and is seen by others (here: the test's connection) as the analyst's page sees it.
@pytest.mark.django_db(transaction=True)
def test_validation_progress_is_visible_while_the_file_is_checked(submit, monkeypatch):
    seen = []
    real_validate = uploads.validate_chunks

    def validate(table, lookup, *, progress=None, **options):
        monkeypatch.setattr(uploads, "PROGRESS_INTERVAL", 0)
        progress(0.5)
        seen.append(Upload.objects.values_list("status", "progress").get())
        return real_validate(table, lookup, progress=progress, **options)

    monkeypatch.setattr(uploads, "validate_chunks", validate)
    upload = submit(FIRST)

    assert seen == [(Upload.Status.VALIDATING, 35)]
    assert upload.progress == 100


def test_an_upload_nobody_confirms_is_discarded_after_the_set_days_and_its_staging_freed(submit, settings):
    from datetime import timedelta

    from django.utils import timezone

    from indicators.services.uploads import uploads_discard_stale

    upload = submit(FIRST)
    assert upload.status == "awaiting_confirmation"
    assert StagedObservation.objects.filter(upload_id=upload.pk).exists()
    assert uploads_discard_stale(days=14) == 0  # validated just now
    Upload.objects.filter(pk=upload.pk).update(validated_at=timezone.now() - timedelta(days=15))
    assert uploads_discard_stale(days=14) == 1
    upload.refresh_from_db()
    assert upload.status == "discarded" and "ikke godkendt inden for 14 dage" in upload.error
    assert not StagedObservation.objects.filter(upload_id=upload.pk).exists()
    assert not Observation.objects.exists()
    assert uploads_discard_stale(days=14) == 0  # a second run finds nothing
    assert "indicators.uploads_discard_stale" in [e["task"] for e in settings.CELERY_BEAT_SCHEDULE.values()]


def test_a_first_load_into_an_analysed_empty_table_plans_no_nested_loop(submit, confirm):
    """PostgreSQL planned the new-key insert into an observation table that ANALYZE had seen empty as a
    nested loop over a sequential scan of the table being filled: quadratic, a million rows did not finish in
    ten minutes (docs/ingest-benchmarks.md). The load must not get that plan."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's planner")
    table = connection.ops.quote_name(Observation._meta.db_table)
    Observation.objects.all().delete()
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {table}")
    upload = submit(FIRST)
    plans = []

    def explain(execute, sql, params, many, context):
        if sql.lstrip().startswith(f"INSERT INTO {table}") and "NOT EXISTS" in sql:
            with context["connection"].cursor() as cursor:
                cursor.execute("EXPLAIN " + sql, params)
                plans.append("\n".join(row[0] for row in cursor.fetchall()))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(explain):
        upload = confirm(upload)
    assert upload.status == Upload.Status.LOADED
    assert len(plans) == 1
    assert "Anti Join" in plans[0] and "Nested Loop" not in plans[0], plans[0]


def test_the_analyst_downloads_a_rejected_file_exactly_as_uploaded(submit, client, analyst):
    """A rejected upload changes nothing, and the analyst can fetch the file itself from its page to correct
    it: byte for byte, as a download, never rendered by the browser."""
    data = (HEADER + "dagligrygning;461;2021;Alle;16+;Alle;16,3\n<script>alert(1)</script>;x\n").encode(
        "cp1252"
    )
    upload = submit(data, name="rettes.csv")
    assert upload.status == Upload.Status.REJECTED

    client.force_login(analyst)
    page = client.get(reverse("indicators:upload_detail", args=[upload.pk])).content.decode()
    url = reverse("indicators:upload_file", args=[upload.pk])
    assert f'href="{url}" download' in page

    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == data
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"] == 'attachment; filename="rettes.csv"'
    assert response["X-Content-Type-Options"] == "nosniff"
