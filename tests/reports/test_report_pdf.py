"""The report's PDF, printed by headless Chromium and read back with pdftotext as a committee member would read
the paper: every follow-up with its status, Danish letters intact, at most 15 A4 pages for the region, and no
heading left alone at the bottom of a page. Skipped, with the reason, without Chromium or poppler-utils."""

import re
import shutil
import subprocess

import pytest
from django.urls import reverse

from goals.services import measure_statuses_refresh
from indicators.services import sample_data_generate
from reports import pdf, services, tasks
from reports.models import StatusReport

from .conftest import YEAR

pytestmark = [pytest.mark.django_db, pytest.mark.browser, pytest.mark.usefixtures("eager_tasks")]


@pytest.fixture(autouse=True)
def _needs_the_engine():
    if reason := pdf.engine_missing():
        pytest.skip(f"PDF test: {reason}")
    if not shutil.which("pdftotext"):
        pytest.skip("PDF test: pdftotext (poppler-utils) is not installed")


def pages_text(path) -> list[str]:
    """The text of each page, in reading order (pdftotext's default), pages split at form feeds."""
    text = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout
    return [page for page in text.split("\f") if page.strip()]


def flat(text: str) -> str:
    return " ".join(text.split())


def measures(content):
    return [(o, m) for v in content["visions"] for o in v["objectives"] for m in o["measures"]]


def test_the_pdf_holds_every_follow_up_with_its_status_in_selectable_danish_text(
    client, published, django_capture_on_commit_callbacks
):
    tasks.status_report_pdf_task.delay(published.pk)
    published.refresh_from_db()
    assert published.pdf and not published.pdf_error
    text = flat("\n".join(pages_text(published.pdf.path)))
    content = published.content_data
    assert "Årlig status 2026" in text and "Sundhedsaftalen 2024-2027" in text and "Region Syddanmark" in text
    for _objective, m in measures(content):
        assert flat(m["follow_up"]) in text
        if m["kind"] == "indicator":
            name = m["indicator"]["name"]
            assert re.search(re.escape(name) + r".{0,4}" + re.escape(m["status_label"]), text), name
    assert "Side 1 af" in text and "Offentliggjort" in text
    response = client.get(reverse("reports:pdf", args=[published.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_the_regions_yearly_report_fits_15_pages_and_no_heading_ends_a_page(
    agreement, ssu_secretary, tmp_path
):
    sample_data_generate(seed=1)
    measure_statuses_refresh()
    report = services.status_report_create(agreement=agreement, year=YEAR, user=ssu_secretary)
    report = services.status_report_publish(report_id=report.pk, user=ssu_secretary, render_pdf=False)
    report = services.status_report_pdf_render(report_id=report.pk)
    pages = pages_text(report.pdf.path)
    assert 2 < len(pages) <= 15
    content = report.content_data
    headings = [flat(v["title"]) for v in content["visions"]]
    headings += [flat(o["text"]) for v in content["visions"] for o in v["objectives"]]
    headings += [flat(m["indicator"]["name"]) for _o, m in measures(content) if m["kind"] == "indicator"]
    headings += ["Sammenfatning", "Om rapporten", "Ikke på rette vej", "På rette vej", "Forord"]
    for number, page in enumerate(pages, start=1):
        lines = [line.strip() for line in page.splitlines() if line.strip()]
        footer = [
            line
            for line in lines
            if line.startswith("Offentliggjort") or re.fullmatch(r"Side \d+ af \d+", line)
        ]
        assert f"Side {number} af {len(pages)}" in footer and any(
            "Årlig status 2026" in line for line in footer
        )
        # An objective's "Samlet: <status>" line belongs to its heading.
        body = [line for line in lines if line not in footer and not line.startswith("Samlet:")]
        last = body[-1]
        assert not any(
            last in heading or heading in last and len(last) < len(heading) + 25 for heading in headings
        ), f"page {number} ends with a heading: {last!r}"
    assert "Eksempeldata" in pages[0]
    assert StatusReport.objects.get(pk=report.pk).pdf
