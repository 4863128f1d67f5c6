"""Every page a persona reaches, on a 360 px wide phone: nothing scrolls sideways, and the menu folds behind a
button that works with the keyboard (and stays open without JavaScript). Plus axe-core on the area profile.

The crawler starts at the front page, as an anonymous visitor and as each persona of tests/conftest.py logged
in through the login form, and follows same-site links breadth first to a bounded depth. It opens at most two
pages per view (the 30th measure page says nothing the second does not), skips downloads, the admin and the
logout, and opens every <details> before measuring, so a folded table counts too.
"""

import re
from collections import deque
from urllib.parse import urljoin, urlsplit

import pytest
from django.urls import Resolver404, resolve, reverse

from clusters.models import Area
from goals.services import measure_statuses_refresh
from indicators.models import Indicator, Observation

pytestmark = pytest.mark.browser

WIDTH = 360
DEPTH = 3
PER_VIEW = 2
# Downloads and pages outside the app's own templates.
SKIPPED = re.compile(r"(\.csv|\.xlsx|/data\.|/admin/|/logout|/static/|/media/)")

PERSONAS = {
    "anonym": None,
    "ssu_member": ("sofie", "ssu-medlem-kode-1"),
    "analyst": ("anna", "analytiker-kode-1"),
    "fyn_secretary": ("frida", "frida-kode-1"),
    "lillebaelt_secretary": ("lars", "lars-kode-1"),
    "ssu_secretary": ("signe", "signe-kode-1"),
}

OVERFLOW = """() => {
  document.querySelectorAll('details').forEach(d => { d.open = true; });
  const width = window.innerWidth;
  const wide = Array.from(document.querySelectorAll('body *')).filter(el => {
    const box = el.getBoundingClientRect();
    return box.width > 0 && box.right > width + 1 && !el.closest('.table-scroll, .chart, .js-plotly-plot');
  }).slice(0, 5).map(el => el.tagName.toLowerCase() + (el.className && el.className.baseVal === undefined
    ? '.' + String(el.className).split(' ').join('.') : ''));
  return {scroll: document.documentElement.scrollWidth, inner: width, wide: wide};
}"""


@pytest.fixture
def phone_site(live_server):
    """Reference data and daily smoking for Denmark, the region, two clusters and two municipalities: every
    kind of page with a status, a chart and a table, without the minutes the full sample data takes."""
    from django.core.management import call_command

    call_command("bootstrap", verbosity=0)
    indicator = Indicator.objects.get(code="dagligrygning")
    areas = {
        a.code: a for a in Area.objects.filter(code__in=["000", "1083", "fyn", "lillebaelt", "461", "630"])
    }
    values = {"000": (17.0, 15.0), "1083": (19.0, 16.5), "fyn": (18.0, 15.5), "lillebaelt": (19.5, 16.0)}
    values |= {"461": (18.5, 16.3), "630": (20.5, 18.0)}
    Observation.objects.bulk_create(
        Observation(
            indicator=indicator,
            area=areas[code],
            year=year,
            value=v,
            ci_low=round(v - 0.8, 1),
            ci_high=round(v + 0.8, 1),
        )
        for code, pair in values.items()
        for year, v in zip((2017, 2021), pair, strict=True)
    )
    measure_statuses_refresh()
    return live_server


def _log_in(page, site, username, password):
    page.goto(site.url + reverse("login"))
    page.get_by_label("Brugernavn").fill(username)
    page.get_by_label("Adgangskode").fill(password)
    page.get_by_label("Adgangskode").press("Enter")
    page.wait_for_load_state()
    assert reverse("login") not in page.url, f"{username} could not log in"


def _view_name(path: str) -> str | None:
    try:
        return resolve(path).view_name
    except Resolver404:
        return None


def _crawl(page, site):
    """(url, measurement) for every page reached; the menu is checked folded on each."""
    host = urlsplit(site.url).netloc
    seen, per_view, results = set(), {}, []
    queue = deque([(site.url + "/", 0)])
    while queue:
        url, depth = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        path = urlsplit(url).path
        view = _view_name(path)
        if view is None or per_view.get(view, 0) >= PER_VIEW:
            continue
        per_view[view] = per_view.get(view, 0) + 1
        response = page.goto(url)
        assert response is not None and response.status < 500, (url, response and response.status)
        page.wait_for_load_state("load")
        # The API's documentation (/api/docs/, /api/redoc/) is the sidecar's own page without the site's
        # menu; it must still fit the phone.
        if not path.startswith("/api/"):
            toggle = page.locator(".menu-toggle")
            assert toggle.is_visible(), f"{url}: no menu button on a phone"
            assert toggle.get_attribute("aria-expanded") == "false"
            assert not page.locator("#site-menu").is_visible(), f"{url}: the menu is not folded"
        results.append((url, page.evaluate(OVERFLOW)))
        if depth >= DEPTH:
            continue
        for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.getAttribute('href'))"):
            target = urljoin(url, href).split("#")[0]
            parts = urlsplit(target)
            if parts.scheme in ("http", "https") and parts.netloc == host and not SKIPPED.search(parts.path):
                queue.append((target, depth + 1))
    return results


@pytest.mark.parametrize("persona", list(PERSONAS))
def test_no_page_a_persona_reaches_scrolls_sideways_on_a_phone(phone_site, browser, request, persona):
    if persona != "anonym":
        request.getfixturevalue(persona)
    context = browser.new_context(locale="da-DK", viewport={"width": WIDTH, "height": 740})
    context.set_default_timeout(20_000)
    page = context.new_page()
    try:
        if PERSONAS[persona]:
            _log_in(page, phone_site, *PERSONAS[persona])
        results = _crawl(page, phone_site)
    finally:
        context.close()
    reached = {urlsplit(url).path for url, _ in results}
    assert len(results) >= 8, reached
    assert {"/", "/klynger/", "/indikatorer/"} <= reached
    too_wide = [(url, m) for url, m in results if m["scroll"] > m["inner"]]
    assert not too_wide, f"{persona}: pages wider than {WIDTH} px: {too_wide}"


def test_the_phone_menu_opens_and_closes_with_the_keyboard(phone_site, browser, ssu_member):
    context = browser.new_context(locale="da-DK", viewport={"width": WIDTH, "height": 740})
    page = context.new_page()
    try:
        _log_in(page, phone_site, *PERSONAS["ssu_member"])
        page.goto(phone_site.url + "/")
        toggle = page.get_by_role("button", name="Menu")
        menu = page.locator("#site-menu")
        assert not menu.is_visible()
        toggle.focus()
        page.keyboard.press("Enter")
        assert toggle.get_attribute("aria-expanded") == "true"
        assert menu.is_visible()
        assert page.get_by_role("link", name="Sundhedsklynger").is_visible()
        assert page.get_by_role("button", name="Log ud").is_visible()
        assert page.evaluate("() => document.documentElement.scrollWidth") <= WIDTH
        page.get_by_role("link", name="Sundhedsklynger").focus()
        page.keyboard.press("Escape")
        assert toggle.get_attribute("aria-expanded") == "false"
        assert not menu.is_visible()
        assert page.evaluate("() => document.activeElement.classList.contains('menu-toggle')")
    finally:
        context.close()


def test_without_javascript_the_menu_stays_open_and_fits(phone_site, browser):
    context = browser.new_context(
        locale="da-DK", viewport={"width": WIDTH, "height": 740}, java_script_enabled=False
    )
    page = context.new_page()
    try:
        page.goto(phone_site.url + "/")
        assert not page.locator(".menu-toggle").is_visible()
        assert page.get_by_role("link", name="Sundhedsklynger").is_visible()
        assert page.evaluate("() => document.documentElement.scrollWidth") <= WIDTH
    finally:
        context.close()


def test_axe_finds_no_serious_or_critical_violations_on_the_area_profile(phone_site, page):
    from axe_playwright_python.sync_playwright import Axe

    found = []
    for code in ("461", "fyn", "1083"):
        for width in (1280, WIDTH):
            page.set_viewport_size({"width": width, "height": 900})
            response = page.goto(phone_site.url + reverse("goals:area_detail", args=[code]) + "?aar=2023")
            assert response.ok
            page.evaluate("() => document.querySelectorAll('details').forEach(d => { d.open = true; })")
            results = Axe().run(page)
            found += [
                f"{code} @ {width}px: {v['id']} [{v['impact']}] {v['help']}: "
                + "; ".join(str(node["target"]) for node in v["nodes"][:3])
                for v in results.response["violations"]
                if v["impact"] in ("serious", "critical")
            ]
    assert not found, "axe-core found serious or critical violations:\n" + "\n".join(found)


TOOLBAR_OVER_TITLE = """() => Array.from(document.querySelectorAll('.js-plotly-plot')).map(chart => {
  const bar = chart.querySelector('.modebar');
  const title = chart.querySelector('.gtitle');
  if (!bar || !title) return null;
  const a = bar.getBoundingClientRect(), b = title.getBoundingClientRect();
  const overlap = a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  return overlap ? chart.getAttribute('data-chart') : null;
}).filter(Boolean)"""


@pytest.mark.parametrize("width", [WIDTH, 1366])
def test_the_chart_toolbar_never_covers_a_chart_title(phone_site, page, width):
    from goals.models import Measure

    measure = Measure.objects.get(
        objective__vision__agreement__slug="syddanmark-2019-2023", indicator__code="dagligrygning"
    )
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(phone_site.url + reverse("goals:measure_detail", args=[measure.pk]) + "?omraade=461&aar=2023")
    page.wait_for_function(
        "() => { const c = document.querySelectorAll('[data-chart]');"
        " return c.length > 1 && Array.from(c).every(el => el.classList.contains('chart-drawn')); }"
    )
    # The toolbar shows when the pointer is over a chart: hover each one, as a reader would.
    for chart in page.locator(".js-plotly-plot").all():
        chart.hover()
    assert page.evaluate(TOOLBAR_OVER_TITLE) == []
