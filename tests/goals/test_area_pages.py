"""The area page (cluster, municipality or region): every follow-up's status there, compared with the region.

Made-up numbers for the 2019-2023 agreement's daily smoking target (19 % -> 13 % in 2023, lower is better).
"""

import pytest
from django.urls import reverse

from clusters.models import Area
from goals import selectors
from goals.models import Measure
from goals.services import measure_statuses_refresh
from tests.factories import observe

pytestmark = pytest.mark.django_db

AGREEMENT = "syddanmark-2019-2023"
# The area with its region, its members, its clusters; the measures; their statuses; the values of the area,
# its region, the country and the spine's range in one query; the sample-data check; its published status
# reports.
QUERIES = 8


def _load(municipalities=2):
    """Region Syddanmark, the Fyn cluster, Odense (better than the region) and `municipalities` - 1 others."""
    for code, v2017, v2021 in [("1083", 19.0, 16.5), ("fyn", 18.0, 16.4)]:
        observe(code, 2017, v2017, 0.4)
        observe(code, 2021, v2021, 0.4)
    observe("461", 2017, 18.5, 0.6)
    observe("461", 2021, 14.0, 0.6)
    others = (
        Area.objects.filter(kind=Area.Kind.MUNICIPALITY, parent__code="1083")
        .exclude(code="461")
        .order_by("code")
        .values_list("code", flat=True)
    )
    for i, code in enumerate(list(others)[: municipalities - 1]):
        observe(code, 2017, 20.0 + i / 10, 1.0)
        observe(code, 2021, 18.0 + i / 10, 1.0)
    measure_statuses_refresh()


@pytest.fixture
def smoking():
    return Measure.objects.get(objective__vision__agreement__slug=AGREEMENT, indicator__code="dagligrygning")


def _url(code, **params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return reverse("goals:area_detail", args=[code]) + (f"?{query}" if query else "")


def test_overview_groups_measures_and_finds_the_stored_status(smoking):
    _load()
    overview = selectors.area_status_overview(area=Area.objects.get(code="461"), year=2023)
    agreements = {a.agreement.slug: a for a in overview.agreements}
    assert AGREEMENT in agreements
    line = next(line for line in agreements[AGREEMENT].lines if line.measure.pk == smoking.pk)
    assert line.status_row is not None and line.data_year == 2021
    assert line.benchmark == "better"
    assert all(line.measure.kind == Measure.Kind.INDICATOR for a in overview.agreements for line in a.lines)


def test_municipality_page_shows_status_benchmark_and_clusters(client, smoking):
    _load()
    response = client.get(_url("461", aar=2023))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Odense" in html
    assert smoking.follow_up_text in html
    status = smoking.statuses.filter(area__code="461", as_of_year=2021).get()
    assert status.get_status_display() in html
    assert "Bedre" in html
    assert reverse("goals:measure_detail", args=[smoking.pk]) + "?omraade=461&amp;aar=2023" in html
    assert reverse("goals:area_detail", args=["fyn"]) in html
    assert "Region Syddanmark" in html


def test_cluster_page_lists_members_and_status(client, smoking):
    _load()
    response = client.get(_url("fyn", aar=2023))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Sundhedsklynge Fyn" in html
    assert reverse("goals:area_detail", args=["461"]) in html
    assert smoking.follow_up_text in html
    status = smoking.statuses.filter(area__code="fyn", as_of_year=2021).get()
    assert status.get_status_display() in html
    assert status.explanation and status.explanation[:40] in html.replace("&#x27;", "'")


def test_lillebaelt_shows_vejen_as_political_only(client):
    response = client.get(_url("lillebaelt"))
    assert response.status_code == 200
    html = response.content.decode()
    row = html[html.index(reverse("goals:area_detail", args=["575"])) :][:300]
    assert "Vejen" in row and "kun politisk niveau" in row


def test_unknown_area_is_404(client):
    assert client.get(_url("atlantis")).status_code == 404


def test_invalid_year_gives_danish_error_and_still_200(client):
    response = client.get(_url("fyn", aar="sidste"))
    assert response.status_code == 200
    assert "Skriv året som et helt tal" in response.content.decode()


@pytest.mark.parametrize("municipalities", [2, 10])
def test_query_count_does_not_grow_with_data(client, django_assert_num_queries, municipalities):
    _load(municipalities)
    # A cluster's page also looks up its approved activity reports (none here; with reports, their
    # activities take one more query: tests/goals/test_reports.py).
    for code, queries in (("fyn", QUERIES + 1), ("461", QUERIES)):
        with django_assert_num_queries(queries):
            assert client.get(_url(code, aar=2023)).status_code == 200


def test_cluster_page_links_to_area_pages(client):
    response = client.get(reverse("clusters:cluster_detail", args=["lillebaelt"]))
    html = response.content.decode()
    assert "Se klyngens profil og status på målene" in html
    assert reverse("goals:area_detail", args=["lillebaelt"]) in html
    assert reverse("goals:area_detail", args=["575"]) in html


def test_the_comparison_with_the_region_reads_as_a_sentence(client, smoking):
    _load()
    html = client.get(_url("461", aar=2023)).content.decode()
    assert 'Bedre</span> <span class="meta">(end Region Syddanmark)' in html
    html = client.get(_url("fyn", aar=2023)).content.decode()
    assert 'På niveau</span> <span class="meta">(med Region Syddanmark)' in html
