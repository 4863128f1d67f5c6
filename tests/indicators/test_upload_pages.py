"""The analyst's upload pages: choose a file, see problems or a preview, confirm, roll back."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from indicators.models import Observation, Upload

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_tasks")]

GOOD = (
    "indikator;område;år;køn;alder;uddannelse;andel;nedre;øvre;antal svarpersoner\r\n"
    "dagligrygning;461;2021;Alle;16+;Alle;16,3;15,1;17,6;4.812\r\n"
    "dagligrygning;Region Syddanmark;2021;Kvinder;16-24;Alle;9,8;7,9;12,0;1.020\r\n"
).encode("cp1252")
DATA = Path(__file__).resolve().parent.parent / "data"
BAD = "indikator;område;år;andel\r\ndagligrygning;461;2021;16,3x\r\n".encode("cp1252")


def _post(client, content, capture, name="data.csv"):
    """Upload a file, let the background check run (tasks run in-process here), and open the upload's page."""
    with capture(execute=True):
        response = client.post(reverse("indicators:upload_list"), {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 302
    return client.get(response["Location"])


def test_an_anonymous_visitor_is_asked_to_log_in(client):
    response = client.get(reverse("indicators:upload_list"))
    assert response.status_code == 302 and "/konto/login/" in response["Location"]


def test_a_user_who_is_not_an_analyst_gets_404(client, ssu_member):
    client.force_login(ssu_member)
    assert client.get(reverse("indicators:upload_list")).status_code == 404
    upload = Upload.objects.create(original_name="x.csv", sha256="0" * 64, size=1)
    assert client.get(reverse("indicators:upload_detail", args=[upload.pk])).status_code == 404


def test_an_analyst_sees_the_preview_confirms_and_the_values_are_stored(
    analyst_client, django_capture_on_commit_callbacks
):
    html = _post(analyst_client, GOOD, django_capture_on_commit_callbacks).content.decode()
    upload = Upload.objects.get()
    assert upload.status == Upload.Status.AWAITING_CONFIRMATION
    assert "Det vil uploaden ændre" in html and "Godkend og indlæs" in html
    assert not Observation.objects.filter(upload=upload).exists()  # nothing visible before confirming

    with django_capture_on_commit_callbacks(execute=True):
        analyst_client.post(reverse("indicators:upload_confirm", args=[upload.pk]))
    response = analyst_client.get(reverse("indicators:upload_detail", args=[upload.pk]))
    upload.refresh_from_db()
    assert upload.status == Upload.Status.LOADED
    odense = Observation.objects.get(upload=upload, area__code="461")
    assert (odense.value, odense.ci_low, odense.ci_high, odense.respondents) == (16.3, 15.1, 17.6, 4812)
    assert "Rul tilbage" in response.content.decode()


def test_a_broken_file_shows_the_danish_problem_list_and_stores_nothing(
    analyst_client, django_capture_on_commit_callbacks
):
    before = Observation.objects.count()
    html = _post(analyst_client, BAD, django_capture_on_commit_callbacks).content.decode()
    assert "Filen er afvist" in html
    assert "16,3x" in html and "ikke et tal" in html
    assert Observation.objects.count() == before


def test_a_rejected_file_also_shows_the_warning_that_explains_its_problems(
    analyst_client, django_capture_on_commit_callbacks
):
    # "aldr" is not a known column, so both lines read as all ages and are one value twice: the page must
    # show the warning naming the column meant, not only the duplicate.
    data = (DATA / "bad-misspelt-age-column.csv").read_bytes()
    html = _post(analyst_client, data, django_capture_on_commit_callbacks).content.decode()
    assert "Filen er afvist" in html and "Samme måling to gange" in html
    assert "Kolonnen »aldr« kendes ikke og er ikke indlæst. Mente du »alder«?" in html


def test_a_rollback_restores_the_page_and_the_values(analyst_client, django_capture_on_commit_callbacks):
    _post(analyst_client, GOOD, django_capture_on_commit_callbacks)
    upload = Upload.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        analyst_client.post(reverse("indicators:upload_confirm", args=[upload.pk]))
    key = {"indicator__code": "dagligrygning", "area__code": "461", "year": 2021}
    assert Observation.objects.filter(**key, is_sample=False).exists()
    with django_capture_on_commit_callbacks(execute=True):
        analyst_client.post(reverse("indicators:upload_rollback", args=[upload.pk]))
    html = analyst_client.get(reverse("indicators:upload_detail", args=[upload.pk])).content.decode()
    assert "Uploaden er rullet tilbage; de tidligere værdier er genskabt." in html
    assert not Observation.objects.filter(**key, is_sample=False).exists()


def test_the_progress_endpoint_reports_status_for_the_progress_bar(analyst_client):
    upload = Upload.objects.create(
        original_name="x.csv", sha256="0" * 64, size=1, status="validating", progress=40
    )
    data = analyst_client.get(reverse("indicators:upload_status", args=[upload.pk])).json()
    assert data == {"status": "validating", "label": "Kontrolleres", "progress": 40, "working": True}


def test_an_empty_choice_is_refused_in_danish(analyst_client):
    response = analyst_client.post(reverse("indicators:upload_list"), {})
    assert "Vælg en fil." in response.content.decode()
    assert not Upload.objects.exists()


def test_the_preview_shows_every_part_of_a_value_that_changes(
    analyst_client, django_capture_on_commit_callbacks
):
    """Same share, new interval and respondent count: the analyst must see what changes, not 16,3 → 16,3."""
    _post(analyst_client, GOOD, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        analyst_client.post(reverse("indicators:upload_confirm", args=[Upload.objects.get().pk]))
    revised = GOOD.replace(b"16,3;15,1;17,6;4.812", b"16,3;15,1;17,5;5.085")

    html = _post(
        analyst_client, revised, django_capture_on_commit_callbacks, name="rettet.csv"
    ).content.decode()

    row = html[html.index("<td>Dagligrygning</td>") :]
    row = row[: row.index("</tr>")]
    assert '<td class="num">16,3</td>' in row  # unchanged part shown once
    assert "<del>15,1–17,6</del> → <ins>15,1–17,5</ins>" in row
    assert "<del>4.812</del> → <ins>5.085</ins>" in row
