"""Data for status-report tests: a few values for Region Syddanmark, Denmark and Odense under Sundhedsaftalen
2024-2027, with their statuses computed, and helpers to publish a report as the SSU secretariat."""

import pytest

from goals.models import Agreement
from goals.services import measure_statuses_refresh
from tests import factories

AGREEMENT = "syddanmark-2024-2027"
YEAR = 2026


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def _page_cache(empty_page_cache):
    """Every test starts with an empty page cache (the links to published reports are in cached fragments)."""


def observe(code, indicator, year, value, ci=0.5, sample=False):
    factories.observe(code, year, value, ci, indicator=indicator, sample=sample)


@pytest.fixture
def data(db):
    """Smoking falls in the region (improving), alcohol rises (worsening); Denmark and Odense have values too."""
    for code, values in {"1083": (17.7, 16.5), "000": (17.0, 16.0), "461": (18.0, 15.0)}.items():
        observe(code, "dagligrygning", 2021, values[0])
        observe(code, "dagligrygning", 2025, values[1])
    observe("1083", "hoejt-alkoholforbrug", 2021, 10.0)
    observe("1083", "hoejt-alkoholforbrug", 2025, 13.0)
    measure_statuses_refresh()


@pytest.fixture
def agreement(db):
    return Agreement.objects.select_related("area").get(slug=AGREEMENT)


@pytest.fixture
def published(data, agreement, ssu_secretary):
    from reports import services

    draft = services.status_report_create(agreement=agreement, year=YEAR, user=ssu_secretary)
    services.status_report_update(
        report_id=draft.pk, user=ssu_secretary, foreword="Årets status til SSU.", comments={}
    )
    return services.status_report_publish(report_id=draft.pk, user=ssu_secretary, render_pdf=False)
