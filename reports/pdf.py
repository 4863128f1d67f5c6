"""The PDF engine: headless Chromium driven by Playwright prints the report's own HTML (docs/reports.md says
why Chromium and not WeasyPrint). The HTML carries its CSS inline and every network request is refused, so
printing needs neither the web server nor the internet.

Playwright's sync API runs an event loop in the calling thread, in which Django's ORM refuses to run: callers
read the database before and write after, never inside `PdfPrinter`.
"""

import contextlib
import importlib.util
import os
import shutil
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

# As tests/browser/conftest.py: a headless Chromium that needs no sandbox, GPU or network of its own.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # Docker gives a container 64 MB of /dev/shm, too little for Chromium's renderer; use /tmp instead.
    "--disable-dev-shm-usage",
]


class PdfEngineMissing(Exception):
    """Chromium or Playwright is not installed here."""


def chromium_path() -> str | None:
    candidate = settings.CHROMIUM_PATH
    path = Path(candidate) if os.sep in candidate else Path(shutil.which(candidate) or candidate)
    return str(path) if path.is_file() and os.access(path, os.X_OK) else None


def engine_missing() -> str:
    """Why PDFs cannot be made here, in Danish; "" when they can."""
    if importlib.util.find_spec("playwright") is None:
        return _("PDF-motoren (Playwright) er ikke installeret på serveren.")
    if chromium_path() is None:
        return _("PDF-motoren (Chromium) er ikke installeret på serveren (forventet i %(path)s).") % {
            "path": settings.CHROMIUM_PATH
        }
    return ""


class PdfPrinter:
    """One Chromium for many reports (starting it costs about a second): `with PdfPrinter() as p: p.pdf(html)`."""

    def __enter__(self):
        if reason := engine_missing():
            raise PdfEngineMissing(reason)
        from playwright.sync_api import sync_playwright

        self._playwright = sync_playwright().start()
        try:
            self._browser = self._playwright.chromium.launch(
                executable_path=chromium_path(), args=CHROMIUM_ARGS
            )
        except Exception:
            self._playwright.stop()
            raise
        return self

    def __exit__(self, *exc):
        self._browser.close()
        self._playwright.stop()

    def pdf(self, html: str) -> bytes:
        """A4 as the page's own @page rules lay it out (margins, page numbers and date in the margin boxes)."""
        context = self._browser.new_context(locale="da-DK", offline=True)
        try:
            page = context.new_page()
            page.route("**/*", lambda route: route.abort())  # everything the report needs is inline
            page.set_content(html, wait_until="load")
            page.emulate_media(media="print")
            return page.pdf(
                format="A4", print_background=True, prefer_css_page_size=True, tagged=True, outline=True
            )
        finally:
            context.close()


@contextlib.contextmanager
def orm_allowed():
    """Let Django's ORM run between two prints of one `PdfPrinter`. Playwright's sync API leaves its event loop
    marked as running in this thread, and Django then refuses every query (SynchronousOnlyOperation), although
    nothing asynchronous runs while the query does. Only for the few calls between prints."""
    saved = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = saved


def html_to_pdf(html: str) -> bytes:
    with PdfPrinter() as printer:
        return printer.pdf(html)
