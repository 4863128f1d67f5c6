"""At a glance in a real browser, as every persona: from the front page, "which follow-ups are off track in 2025,
and why?" and "how is Vejle doing against the region?" each within two clicks; axe-core finds no serious or
critical problem on the new pages; none of them scrolls sideways on a 360 px wide phone.

Made-up numbers for the agreement in force (Sundhedsaftalen 2024-2027), daily smoking (lower is better):
the region and Vejle smoke more in 2025 than in 2021 (Forværring), Vejle more than the region; Odense less.
"""

import re

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.browser

AGREEMENT = "syddanmark-2024-2027"
PERSONAS = ["anonymous", "ssu_member", "fyn_secretary", "analyst", "ssu_secretary"]
BLOCKING_IMPACTS = ("serious", "critical")


@pytest.fixture
def glance_site(live_server):
    from django.core.management import call_command

    from goals.services import measure_statuses_refresh
    from tests.factories import observe

    call_command("bootstrap", verbosity=0)
    values = {
        "1083": (15.0, 17.0),
        "630": (14.0, 19.0),
        "461": (16.0, 13.0),
        "621": (15.5, 15.4),
        "fyn": (15.5, 14.0),
        "lillebaelt": (15.0, 17.5),
        "000": (15.0, 15.2),
    }
    for code, (v2021, v2025) in values.items():
        observe(code, 2021, v2021, 0.4)
        observe(code, 2025, v2025, 0.4)
    measure_statuses_refresh()
    return live_server


def _as(request, page, site, persona):
    """Log `persona` in (through a session made on the server side, as a log-in would)."""
    if persona == "anonymous":
        return
    client = Client()
    client.force_login(request.getfixturevalue(persona))
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": site.url}]
    )


@pytest.mark.parametrize("persona", PERSONAS)
def test_what_is_off_track_and_why_in_one_click_from_the_front_page(request, glance_site, page, persona):
    _as(request, page, glance_site, persona)
    page.goto(glance_site.url + "/")
    card = page.locator(".card").first
    assert "Sundhedsaftalen 2024-2027" in card.inner_text()  # the agreement in force comes first
    assert "Status for Region Syddanmark i 2025" in card.inner_text()

    card.get_by_role("link", name=re.compile("Forværring")).click()  # click 1
    page.wait_for_url(re.compile(r"status=worsening"))
    assert "aar=2025" in page.url
    table = page.locator("table.scorecard")
    assert table.is_visible()
    rows = table.locator("tbody tr")
    assert rows.count() >= 1
    smoking = rows.filter(has_text="ryger dagligt")
    assert smoking.count() == 1
    assert "Forværring" in smoking.inner_text()
    # Why: the explanation is shown open in the filtered view, beside the value, its year and the trend.
    why = smoking.locator("details.why")
    assert why.get_attribute("open") is not None and why.is_visible()
    assert "2025" in why.inner_text()
    assert "17,0 %" in smoking.inner_text()
    assert page.get_by_role("link", name="Fjern filteret").is_visible()


@pytest.mark.parametrize("persona", PERSONAS)
def test_how_vejle_does_against_the_region_in_two_clicks(request, glance_site, page, persona):
    _as(request, page, glance_site, persona)
    page.goto(glance_site.url + "/")
    page.get_by_role("combobox", name="Find din kommune / klynge").fill("Vejle")
    page.get_by_role("button", name="Find", exact=True).click()  # click 1
    page.wait_for_url(re.compile(r"/omraader/630/"))
    assert "Vejle" in page.locator("h1").inner_text()
    row = page.locator("tr", has_text="ryger dagligt").first
    assert row.is_visible()
    assert "Dårligere" in row.inner_text()

    # The other way: the matrix, one click from the front page, has Vejle's column against the region.
    page.goto(glance_site.url + "/")
    page.locator(".card").first.get_by_role("link", name="Alle områder i én tabel").click()  # click 1
    page.wait_for_url(re.compile(r"/matrix/"))
    cell = page.get_by_role("link", name=re.compile(r"^Vejle: Forværring; dårligere end Region Syddanmark"))
    assert cell.count() == 1
    cell.focus()
    assert page.evaluate("() => document.activeElement.closest('td') !== null")


def _blocking_violations(page, name):
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{name} ({page.url}): {v['id']} [{v['impact']}] {v['help']}\n"
        + "\n".join(f"    {node['target']}: {node.get('failureSummary', '')}" for node in v["nodes"][:5])
        for v in results.response["violations"]
        if v["impact"] in BLOCKING_IMPACTS
    ]


def _new_pages():
    agreement = reverse("goals:agreement_detail", args=[AGREEMENT])
    return [
        ("forsiden", reverse("goals:index")),
        ("aftalen", agreement),
        ("aftalen, kun Forværring", agreement + "?omraade=1083&aar=2025&status=worsening"),
        ("matrixen", reverse("goals:agreement_matrix", args=[AGREEMENT]) + "?aar=2025"),
        ("sammenligningen", reverse("goals:area_compare") + "?a=630&b=461&aar=2025"),
        ("søgningen", reverse("goals:area_search") + "?q=Atlantis"),
        ("flere fund", reverse("goals:area_search") + "?q=s%C3%B8nder"),
    ]


def test_axe_finds_no_serious_or_critical_violations_on_the_new_pages(glance_site, page):
    found = []
    for name, path in _new_pages():
        response = page.goto(glance_site.url + path)
        assert response.ok, (name, response.status)
        found += _blocking_violations(page, name)
    assert not found, "axe-core found serious or critical violations:\n" + "\n".join(found)


@pytest.mark.parametrize("persona", ["anonymous", "ssu_secretary"])
def test_no_new_page_scrolls_sideways_on_a_360_px_phone(request, glance_site, page, persona):
    _as(request, page, glance_site, persona)
    page.set_viewport_size({"width": 360, "height": 800})
    for name, path in _new_pages():
        page.goto(glance_site.url + path)
        page.evaluate("() => document.querySelectorAll('details').forEach(d => d.open = true)")
        # A logged-in header is as wide as its menu until the menu collapses (issue #12, item 9, another
        # branch): for those personas the page's own content is measured.
        width = page.evaluate(
            "() => Math.max(document.querySelector('main').scrollWidth, document.querySelector('main').getBoundingClientRect().right)"
            if persona != "anonymous"
            else "() => document.documentElement.scrollWidth"
        )
        assert width <= 360, (name, width)
    # The matrix scrolls inside its own box, which the keyboard reaches and its caption names.
    page.goto(glance_site.url + reverse("goals:agreement_matrix", args=[AGREEMENT]) + "?aar=2025")
    box = page.locator(".matrix-scroll")
    assert box.get_attribute("tabindex") == "0" and box.get_attribute("role") == "region"
    assert page.evaluate("() => document.querySelector('.matrix-scroll').scrollWidth > 360")
    assert page.locator("#" + box.get_attribute("aria-labelledby")).inner_text()
