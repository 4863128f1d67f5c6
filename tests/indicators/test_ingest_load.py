"""The load's set-based SQL on one upload that mixes new, changed and unchanged values: what it writes,
what it keeps for a rollback, and that the rollback restores exactly the replaced values (issue #3: the
load is a changed-keys statement plus a new-keys insert, and must behave as the single upsert did)."""

import pytest
from django.core.files.base import ContentFile

from goals.models import Measure
from indicators import services
from indicators.ingest import load
from indicators.models import Observation, ObservationHistory, StagedObservation, Upload

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_tasks")]

HEADER = "indikator;område;år;køn;alder;uddannelse;andel;nedre;øvre;antal svarpersoner\n"
FIRST = HEADER + (
    "dagligrygning;461;2021;Alle;16+;Alle;16,3;15,1;17,6;4.812\n"
    "dagligrygning;461;2017;Alle;16+;Alle;18,0;17,0;19,0;4.000\n"
    "dagligrygning;461;2013;Alle;16+;Alle;-;;;\n"
    "dagligrygning;Odense;2021;Kvinder;16-24;Grundskole;20,0;;;\n"
)
# 2021: new value; 2017: unchanged; 2013: suppressed -> published; Kvinder 16-24: a CI added (the value
# itself is the same, so only a null-safe comparison sees the change); two keys that are new.
SECOND = HEADER + (
    "dagligrygning;461;2021;Alle;16+;Alle;16,9;15,5;18,2;4.900\n"
    "dagligrygning;461;2017;Alle;16+;Alle;18,0;17,0;19,0;4.000\n"
    "dagligrygning;461;2013;Alle;16+;Alle;19,5;;;\n"
    "dagligrygning;Odense;2021;Kvinder;16-24;Grundskole;20,0;18,0;22,0;\n"
    "dagligrygning;461;2010;Alle;16+;Alle;21,0;;;\n"
    "dagligrygning;Odense;2021;Mænd;16-24;Grundskole;25,0;;;\n"
)
KEY = ("indicator__code", "area__code", "year", "sex", "age_group", "education")
CONTENT = (
    "period_label",
    "value",
    "ci_low",
    "ci_high",
    "respondents",
    "suppressed",
    "is_sample",
    "upload_id",
)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def confirm(django_capture_on_commit_callbacks, analyst):
    """Confirm an upload; the load runs in-process when the confirmation commits."""

    def confirm(upload):
        with django_capture_on_commit_callbacks(execute=True):
            services.upload_confirm(upload_id=upload.pk, user=analyst)
        upload.refresh_from_db()
        return upload

    return confirm


@pytest.fixture
def run(django_capture_on_commit_callbacks, analyst, confirm):
    """Upload a file (validated in-process) and, unless told not to, confirm it."""

    def run(text, *, confirmed=True):
        with django_capture_on_commit_callbacks(execute=True):
            upload = services.upload_create(file=ContentFile(text.encode(), name="data.csv"), user=analyst)
        upload.refresh_from_db()
        return confirm(upload) if confirmed else upload

    return run


def stored():
    return list(Observation.objects.order_by(*KEY).values_list(*KEY, *CONTENT))


def test_a_mixed_upload_writes_new_and_changed_values_and_keeps_exactly_the_replaced_ones(run, confirm):
    first = run(FIRST)
    before = stored()

    second = run(SECOND, confirmed=False)
    assert (second.new, second.changed, second.unchanged) == (2, 3, 1)

    second = confirm(second)

    assert second.status == Upload.Status.LOADED
    assert (second.new, second.changed, second.unchanged) == (2, 3, 1)
    assert not StagedObservation.objects.filter(upload_id=second.pk).exists()
    written = {row[:6]: row[6:] for row in stored()}
    assert written["dagligrygning", "461", 2021, "alle", "alle", "alle"][1:5] == (16.9, 15.5, 18.2, 4900)
    assert written["dagligrygning", "461", 2013, "alle", "alle", "alle"][1] == 19.5
    assert written["dagligrygning", "461", 2013, "alle", "alle", "alle"][5] is False  # no longer suppressed
    # The unchanged value is not rewritten: it still belongs to the first upload.
    assert written["dagligrygning", "461", 2017, "alle", "alle", "alle"][-1] == first.pk
    # Exactly the three replaced values are kept, as they were, each naming the upload that wrote it.
    history = sorted(
        ObservationHistory.objects.filter(upload=second).values_list(
            "year", "sex", "value", "ci_low", "ci_high", "respondents", "suppressed", "replaced_upload_id"
        )
    )
    assert history == [
        (2013, "alle", None, None, None, None, True, first.pk),
        (2021, "alle", 16.3, 15.1, 17.6, 4812, False, first.pk),
        (2021, "kvinder", 20.0, None, None, None, False, first.pk),
    ]

    services.upload_rollback(upload_id=second.pk)

    assert stored() == before


def test_uploading_the_mixed_file_again_is_reported_unchanged_and_writes_nothing(run):
    run(FIRST)
    second = run(SECOND)
    after = stored()

    again = run(SECOND)

    assert (again.new, again.changed, again.unchanged) == (0, 0, 6)
    assert "Ingen ændringer" in again.preview["message"]
    assert again.preview["same_as_upload"] == second.pk
    assert stored() == after
    assert not ObservationHistory.objects.filter(upload=again).exists()


def test_the_status_preview_reads_only_the_rows_of_a_measures_own_breakdown(run, monkeypatch):
    """The preview reads the values as they will be after the load only for what a measure follows (its
    indicator, areas and breakdown): a value for another breakdown in the same area is not read, and
    nothing is written."""
    read = []
    real = load.observations_after

    def spy(upload_id, **kwargs):
        rows = list(real(upload_id, **kwargs))
        read.extend(rows)
        return iter(rows)

    monkeypatch.setattr(load, "observations_after", spy)

    measure = Measure.objects.filter(
        indicator__code="dagligrygning", sex="alle", age_group="alle", education="alle"
    ).select_related("objective__vision__agreement__area")[0]
    region = measure.objective.vision.agreement.area
    text = HEADER + (
        f"dagligrygning;{region.code};2021;Alle;16+;Alle;14,0;13,0;15,0;9.000\n"
        f"dagligrygning;{region.code};2021;Kvinder;16-24;Grundskole;30,0;;;\n"
    )
    before = Observation.objects.count()

    upload = run(text, confirmed=False)

    assert upload.status == Upload.Status.AWAITING_CONFIRMATION
    assert Observation.objects.count() == before
    new = (measure.indicator_id, region.pk, "alle", "alle", "alle", 2021, 14.0, 13.0, 15.0)
    assert new in read
    assert not [row for row in read if row[4] == "Grundskole"]
    assert not Observation.objects.filter(indicator__code="dagligrygning").exists()


def _staged(upload_id, rows):
    from django.db import transaction

    from indicators.ingest.stage import staged_delete

    StagedObservation.objects.bulk_create(
        StagedObservation(
            upload_id=upload_id,
            indicator_id=1,
            area_id=1,
            year=2000 + i,
            sex="alle",
            age_group="alle",
            education="alle",
            value=1.0,
            suppressed=False,
            line=i + 2,
        )
        for i in range(rows)
    )
    return transaction, staged_delete


def test_clearing_one_uploads_staged_rows_keeps_another_uploads():
    transaction, staged_delete = _staged(9001, 3)
    _staged(9002, 2)
    with transaction.atomic():
        staged_delete(upload_id=9001)
    assert list(StagedObservation.objects.values_list("upload_id", flat=True).distinct()) == [9002]
    with transaction.atomic():
        staged_delete(upload_id=9002)  # the last one: the table is emptied (truncated on PostgreSQL)
    assert not StagedObservation.objects.exists()
