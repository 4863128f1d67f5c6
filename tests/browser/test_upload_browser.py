"""An analyst in a real browser: uploads a Danish CSV, watches the check finish, reads the preview, loads
it, and is asked before rolling it back (tasks run in-process, as without a broker)."""

import pytest
from django.urls import reverse

from indicators.models import Observation, Upload

from .test_dashboard_browser import _blocking_violations

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("eager_tasks")]

PASSWORD = "analytiker-kode-1"
CSV = (
    "indikator;område;år;køn;alder;uddannelse;andel;nedre;øvre;antal svarpersoner\r\n"
    "dagligrygning;461;2021;Alle;16+;Alle;16,3;15,1;17,6;4.812\r\n"
    "dagligrygning;Region Syddanmark;2021;Kvinder;16-24;Alle;9,8;7,9;12,0;1.020\r\n"
).encode("cp1252")


@pytest.fixture
def upload_site(live_server, settings, tmp_path):
    from django.core.management import call_command

    from sundhedsaftale.roles import ANALYST
    from tests.factories import user_create

    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("bootstrap", verbosity=0)
    user_create("anna", role=ANALYST, password=PASSWORD)
    return live_server


def test_an_analyst_uploads_previews_loads_and_is_asked_before_rolling_back(upload_site, page, tmp_path):
    page.goto(upload_site.url + reverse("login") + "?next=" + reverse("indicators:upload_list"))
    page.get_by_label("Brugernavn").fill("anna")
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url("**" + reverse("indicators:upload_list"))

    path = tmp_path / "dagligrygning.csv"
    path.write_bytes(CSV)
    page.get_by_label("Fil").set_input_files(str(path))
    page.get_by_role("button", name="Upload og kontrollér").click()
    page.get_by_role("button", name="Godkend og indlæs").wait_for()
    assert not Observation.objects.filter(upload__isnull=False).exists()  # nothing shown before confirming
    assert not _blocking_violations(page, "forhåndsvisningen")

    page.get_by_role("button", name="Godkend og indlæs").click()
    page.get_by_role("button", name="Rul tilbage").wait_for()
    upload = Upload.objects.get()
    assert upload.status == Upload.Status.LOADED
    assert Observation.objects.filter(upload=upload).count() == 2

    # Cancelling the question changes nothing.
    questions = []
    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.dismiss()))
    page.get_by_role("button", name="Rul tilbage").click()
    assert questions and "De 2 værdier, den tilføjede eller ændrede" in questions[0]
    upload.refresh_from_db()
    assert upload.status == Upload.Status.LOADED

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Rul tilbage").click()
    page.get_by_text("Uploaden er rullet tilbage").first.wait_for()
    upload.refresh_from_db()
    assert upload.status == Upload.Status.ROLLED_BACK
    assert not Observation.objects.filter(upload=upload).exists()
