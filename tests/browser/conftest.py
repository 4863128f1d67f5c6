"""Browser tests: Playwright drives Debian's Chromium against pytest-django's live server.

They are skipped, with the reason shown, when Chromium (`/usr/bin/chromium`, or the path in CHROMIUM_PATH) or
the Playwright package is missing, so `make test` passes on a machine without a browser. Playwright never
downloads a browser of its own here: it launches the system one by its path.
"""

import importlib.util
import os
import shutil
from pathlib import Path

import pytest

# Playwright's sync API runs an asyncio event loop in the test thread, and Django's ORM then refuses to run
# there (SynchronousOnlyOperation) - when a test loads its data or pytest-django flushes the database after
# a live-server test. The ORM calls are ordinary synchronous ones, so the guard is switched off for the run.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str | None:
    """The Chromium to drive: CHROMIUM_PATH if set, else /usr/bin/chromium; None when it does not exist."""
    candidate = os.environ.get("CHROMIUM_PATH") or "/usr/bin/chromium"
    path = Path(candidate) if os.sep in candidate else Path(shutil.which(candidate) or candidate)
    return str(path) if path.is_file() and os.access(path, os.X_OK) else None


def _skip_reason() -> str | None:
    if chromium_path() is None:
        wanted = os.environ.get("CHROMIUM_PATH") or "/usr/bin/chromium"
        return f"browser test: no Chromium at {wanted} (install Debian's chromium or set CHROMIUM_PATH)"
    if (
        importlib.util.find_spec("playwright") is None
        or importlib.util.find_spec("axe_playwright_python") is None
    ):
        return "browser test: playwright / axe-playwright-python not installed (pip install -r requirements-dev.lock)"
    return None


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    # Before any fixture: no live server, database flush or data loading for a test that cannot run.
    if item.get_closest_marker("browser") and (reason := _skip_reason()):
        pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    if reason := _skip_reason():
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
    except Exception:
        playwright.stop()
        raise
    yield chromium
    chromium.close()
    playwright.stop()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="da-DK", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()
