"""The report as HTML: the context every rendering shares, and the stand-alone document Chromium prints.

The page (templates/reports/report_detail.html) and the PDF document (templates/reports/report_document.html)
include the same body (templates/reports/includes/report_body.html) with the same context from the same
content, so what the secretariat previews is what is published, printed and stored as PDF.
"""

from functools import cache
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import mark_safe

from .models import StatusReport
from .selectors import OFF_TRACK, ON_TRACK

CSS_FILE = Path(settings.BASE_DIR) / "static" / "css" / "report.css"


def _indicator_measures(content: dict) -> list[dict]:
    return [
        m
        for v in content.get("visions", [])
        for o in v["objectives"]
        for m in o["measures"]
        if m["kind"] == "indicator"
    ]


def report_context(report: StatusReport, content: dict) -> dict:
    """What the report body needs besides the content: the summary's two lists and the dates."""
    measures = _indicator_measures(content)
    published = report.published_at
    return {
        "report": report,
        "content": content,
        "off_track": [m for m in measures if m["status"] in OFF_TRACK],
        "on_track": [m for m in measures if m["status"] in ON_TRACK],
        "no_data": [m for m in measures if m["status"] not in OFF_TRACK + ON_TRACK],
        "published_on": timezone.localtime(published).date() if published else None,
    }


@cache
def _css() -> str:
    return CSS_FILE.read_text(encoding="utf-8")


def report_document_html(report: StatusReport, content: dict) -> str:
    """The report as one self-contained HTML document (CSS inline, no scripts, no links to fetch), in Danish:
    what Chromium prints to PDF."""
    css = _css() if not settings.DEBUG else CSS_FILE.read_text(encoding="utf-8")
    with translation.override("da"):
        return render_to_string(
            "reports/report_document.html", {**report_context(report, content), "inline_css": mark_safe(css)}
        )
