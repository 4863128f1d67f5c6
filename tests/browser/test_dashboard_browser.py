"""The dashboard in a real browser: from the overview to a measure's drawn Plotly charts, the keyboard path
through a page, and axe-core's accessibility audit of the main pages.

Playwright drives Debian's Chromium against pytest-django's live server (see conftest.py; skipped without
Chromium). The measure followed is the 2019-2023 agreement's daily smoking target: 19 % in 2017 down to 13 %
in 2023, lower is better.
"""

import re
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from clusters.models import Area
from goals.models import Measure
from goals.services import measure_statuses_refresh
from indicators.models import Indicator, Observation

pytestmark = pytest.mark.browser

AGREEMENT = "syddanmark-2019-2023"
AGREEMENT_TITLE = "Sundhedsaftalen 2019-2023"
TREND = '[data-chart="chart-data-trend"]'

# The trend chart of Region Syddanmark (the agreement's own area, the overview's default).
TREND_TRACES = [
    "95 %-konfidensinterval",
    "Region Syddanmark",
    "Hele landet",
    "Lige linje fra udgangspunkt til mål",
    "Udgangspunkt (2017)",
    "Mål: 13,0 % i 2023",
]

# Plotly marks a container it has drawn with .js-plotly-plot and keeps the figure's traces in `el.data`;
# charts.js adds .chart-drawn once newPlot has resolved.
TREND_DRAWN = """() => {
  const el = document.querySelector('[data-chart="chart-data-trend"].js-plotly-plot');
  return !!el && Array.isArray(el.data) && el.data.length > 0 && el.classList.contains('chart-drawn');
}"""
ALL_CHARTS_DRAWN = """() => {
  const charts = Array.from(document.querySelectorAll('[data-chart]'));
  return charts.length > 0 && charts.every(el => el.classList.contains('chart-drawn'));
}"""

BLOCKING_IMPACTS = ("serious", "critical")


def _smoking():
    return Measure.objects.get(objective__vision__agreement__slug=AGREEMENT, indicator__code="dagligrygning")


def _measure_url(measure=None):
    return reverse("goals:measure_detail", args=[(measure or _smoking()).pk])


# A live-server test is transactional - the database is flushed after it - so each test loads its own data.


@pytest.fixture
def smoking_site(live_server):
    """Reference data and real observations of daily smoking for Denmark, the region, two clusters and two
    municipalities, with the region split by sex and age: every chart of the measure page, in a second
    rather than the full sample data's fifteen."""
    from django.core.management import call_command

    call_command("bootstrap", verbosity=0)
    indicator = Indicator.objects.get(code="dagligrygning")
    areas = {
        a.code: a for a in Area.objects.filter(code__in=["000", "1083", "fyn", "lillebaelt", "461", "561"])
    }
    values = {"000": (17.0, 15.0), "1083": (19.0, 16.5), "fyn": (18.0, 15.5), "lillebaelt": (19.5, 16.0)}
    values |= {"461": (18.5, 16.3), "561": (20.5, 18.0)}
    rows = [
        (code, year, "alle", "alle", v)
        for code, pair in values.items()
        for year, v in zip((2017, 2021), pair, strict=True)
    ]
    rows += [("1083", 2021, sex, "alle", v) for sex, v in [("maend", 17.4), ("kvinder", 15.6)]]
    rows += [("1083", 2021, "alle", age, v) for age, v in [("16-24", 12.1), ("45-54", 19.8)]]
    Observation.objects.bulk_create(
        Observation(
            indicator=indicator,
            area=areas[code],
            year=year,
            sex=sex,
            age_group=age_group,
            value=v,
            ci_low=round(v - 0.8, 1),
            ci_high=round(v + 0.8, 1),
        )
        for code, year, sex, age_group, v in rows
    )
    measure_statuses_refresh()
    return live_server


@pytest.fixture
def sample_site(live_server):
    """What a visitor sees after `make run`: reference data, sample data for every indicator and area, and
    the statuses computed from it - the varied statuses, badges and tables the accessibility audit needs."""
    from django.core.management import call_command

    from indicators.services import sample_data_generate

    call_command("bootstrap", verbosity=0)
    sample_data_generate(seed=1)
    measure_statuses_refresh()
    return live_server


def _chart_traces(page):
    return page.evaluate(
        """() => Object.fromEntries(Array.from(document.querySelectorAll('.js-plotly-plot')).map(el => [
          el.getAttribute('data-chart'),
          {names: el.data.map(t => t.name), svgTraces: el.querySelectorAll('g.trace').length}
        ]))"""
    )


def test_overview_leads_to_a_measure_whose_trend_chart_draws_with_its_traces(smoking_site, page, tmp_path):
    site = smoking_site
    errors, foreign = [], []
    host = urlsplit(site.url).netloc
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("request", lambda req: foreign.append(req.url) if urlsplit(req.url).netloc != host else None)

    page.goto(site.url + "/")
    page.get_by_role("link", name=AGREEMENT_TITLE, exact=True).click()
    page.wait_for_url(re.compile(rf"/aftaler/{AGREEMENT}/$"))
    page.locator("a[href*='/opfoelgning/']", has_text="ryger dagligt").first.click()
    page.wait_for_url(re.compile(r"/opfoelgning/\d+/\?omraade=1083&aar=\d{4}$"))
    assert urlsplit(page.url).path == _measure_url()

    page.wait_for_function(TREND_DRAWN)
    traces = _chart_traces(page)
    assert traces["chart-data-trend"]["names"] == TREND_TRACES
    # Drawn, not just handed over: one SVG group per trace.
    assert traces["chart-data-trend"]["svgTraces"] == len(TREND_TRACES)

    page.wait_for_function(ALL_CHARTS_DRAWN)
    traces = _chart_traces(page)
    assert set(traces) == {
        "chart-data-trend",
        "chart-data-clusters",
        "chart-data-municipalities",
        "chart-data-map",
        "chart-data-breakdown",
    }
    assert all(chart["names"] and chart["svgTraces"] for chart in traces.values()), traces
    assert traces["chart-data-breakdown"]["names"] == ["Køn", "Aldersgruppe"]

    screenshot = tmp_path / "measure-page.png"
    page.screenshot(path=str(screenshot), full_page=True)
    assert screenshot.stat().st_size > 50_000
    print(f"\nScreenshot of the measure page: {screenshot}")

    assert not errors, errors
    # plotly.js, its map and everything else come from the app itself, never a CDN.
    assert not foreign, foreign


def test_the_overview_draws_a_sparkline_per_follow_up_with_a_text_alternative(smoking_site, page):
    page.goto(
        smoking_site.url + reverse("goals:agreement_detail", args=[AGREEMENT]) + "?omraade=1083&aar=2023"
    )
    sparkline = page.locator("svg.sparkline").first
    assert sparkline.is_visible()
    box = sparkline.bounding_box()
    assert box and box["width"] >= 100 and box["height"] >= 20
    # Named for screen readers with every year and value, in Danish notation.
    assert (
        page.get_by_role("img", name="Dagligrygning, Region Syddanmark 2017: 19,0 %, 2021: 16,5 %").count()
        == 1
    )
    # A line and the newest value as a dot, drawn in the link colour (no JavaScript involved), with the
    # baseline the status is measured from (a ring), the target (a square) and the newest value's CI (a bar).
    assert sparkline.locator("polyline").count() == 1
    assert sparkline.locator("circle:not(.spark-baseline)").count() == 1
    assert sparkline.locator("circle.spark-baseline").count() == 1
    assert sparkline.locator("rect.spark-target").count() == 1
    assert sparkline.locator("path.spark-ci").count() == 1


def test_keyboard_reaches_the_skip_link_first_then_main_and_the_chart(smoking_site, page):
    page.goto(smoking_site.url + _measure_url() + "?omraade=1083&aar=2023")
    page.wait_for_function(TREND_DRAWN)

    page.keyboard.press("Tab")
    focused = page.evaluate(
        "() => ({cls: document.activeElement.className, href: document.activeElement.getAttribute('href')})"
    )
    assert focused == {"cls": "skip-link", "href": "#indhold"}
    assert page.locator(".skip-link").is_visible()
    box = page.locator(".skip-link").bounding_box()
    assert box and box["x"] >= 0 and box["y"] >= 0, "the focused skip link is on screen"

    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement && document.activeElement.id === 'indhold'")
    assert page.evaluate("() => document.activeElement.tagName") == "MAIN"
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.querySelector('main').contains(document.activeElement)")

    # The chart container is a tab stop of its own, reached by Tab alone, with a visible focus outline.
    for _ in range(60):
        if page.evaluate("() => document.activeElement.matches('[data-chart=\"chart-data-trend\"]')"):
            break
        page.keyboard.press("Tab")
    else:
        pytest.fail("Tab never reached the trend chart")
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    assert page.locator(TREND).get_attribute("aria-label")


def _blocking_violations(page, name):
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{name} ({page.url}): {v['id']} [{v['impact']}] {v['help']}\n"
        + "\n".join(f"    {node['target']}: {node.get('failureSummary', '')}" for node in v["nodes"][:5])
        for v in results.response["violations"]
        if v["impact"] in BLOCKING_IMPACTS
    ]


def test_axe_finds_no_serious_or_critical_violations(sample_site, page):
    site = sample_site
    measure = _smoking()
    pages = [
        ("forsiden", reverse("goals:index"), None),
        ("aftalen", reverse("goals:agreement_detail", args=[AGREEMENT]), None),
        ("opfølgningen", _measure_url(measure) + "?omraade=461&aar=2023", ALL_CHARTS_DRAWN),
        ("sundhedsklyngen", reverse("clusters:cluster_detail", args=["lillebaelt"]), None),
        ("indikatoren", measure.indicator.get_absolute_url(), None),
        ("indikatorens værdier", measure.indicator.get_absolute_url() + "?omraade=461&side=2", None),
        ("log ind", reverse("login"), None),
    ]
    found = []
    for name, path, ready in pages:
        response = page.goto(site.url + path)
        assert response.ok, (name, response.status)
        if ready:
            page.wait_for_function(ready)
        found += _blocking_violations(page, name)
    assert not found, "axe-core found serious or critical violations:\n" + "\n".join(found)


def test_printing_puts_the_folded_tables_and_explanations_on_paper(smoking_site, page):
    page.goto(smoking_site.url + _measure_url() + "?omraade=1083&aar=2023")
    folded = page.locator("details:not([open])")
    count = folded.count()
    assert count, "the measure page folds its tables away on screen"
    first_table = page.locator("details:not([open]) table").first.element_handle()
    assert not first_table.is_visible()

    page.emulate_media(media="print")
    page.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")
    assert page.locator("details:not([open])").count() == 0
    assert first_table.is_visible()
    assert not page.get_by_role("link", name="Log ind").is_visible()  # no screen controls on paper

    page.evaluate("() => window.dispatchEvent(new Event('afterprint'))")
    page.emulate_media(media="screen")
    assert page.locator("details:not([open])").count() == count


@pytest.mark.parametrize("path", ["measure", "area", "indicator"])
def test_a_phone_wide_screen_never_scrolls_the_page_sideways(smoking_site, page, path):
    urls = {
        "measure": _measure_url() + "?omraade=1083&aar=2023",
        "area": reverse("goals:area_detail", args=["fyn"]),
        "indicator": reverse("goals:indicator_detail", args=["dagligrygning"]),
    }
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(smoking_site.url + urls[path])
    page.evaluate("() => document.querySelectorAll('details').forEach(d => d.open = true)")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 375
    # A table box that scrolls can be reached with the keyboard and is named by its caption.
    for box in page.locator(".table-scroll[tabindex='0']").all():
        assert box.get_attribute("role") == "region"
        named_by = box.get_attribute("aria-labelledby")
        assert box.get_attribute("aria-label") or page.locator(f"#{named_by}").inner_text()


def test_the_chart_toolbar_speaks_the_pages_language(smoking_site, page):
    page.goto(smoking_site.url + _measure_url() + "?omraade=1083&aar=2023")
    page.wait_for_function(TREND_DRAWN)
    titles = page.evaluate(
        "() => Array.from(document.querySelectorAll('.modebar-btn')).map(b => b.getAttribute('data-title'))"
    )
    assert "Hent diagrammet som PNG" in titles
    assert not any(title and title.startswith(("Download", "Reset")) for title in titles), titles
