"""The measure page: one follow-up's trend, status, comparisons, map and breakdowns, and its downloads.

The numbers are made up for the 2019-2023 agreement's daily smoking target (19 % -> 13 % in 2023, lower is
better) and stored as real, not sample, values unless a test says otherwise.
"""

import csv
import gzip
import io
import json
import re

import openpyxl
import pytest
from django.urls import reverse

from clusters.models import Area
from goals.models import Measure
from goals.services import measure_statuses_refresh
from indicators.models import Observation
from tests.factories import observe

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_page_cache")]

AGREEMENT = "syddanmark-2019-2023"
# The data version and the area codes (the page cache's key; the cache is empty), measure_get,
# agreement_areas, the areas, the observations, the area's status, the compared areas' statuses, the
# sample-data check: the same however many areas have data.
QUERIES = 9


@pytest.fixture
def smoking():
    return Measure.objects.get(objective__vision__agreement__slug=AGREEMENT, indicator__code="dagligrygning")


def _syddanmark_municipalities():
    return list(
        Area.objects.filter(kind=Area.Kind.MUNICIPALITY, parent__code="1083")
        .exclude(code="461")
        .order_by("code")
        .values_list("code", flat=True)
    )


def _load(municipalities=2, sample=False):
    """Region, Denmark, the Fyn cluster, Odense (with sex and age breakdowns) and `municipalities` - 1 others."""
    for code, v2017, v2021 in [("1083", 19.0, 16.5), ("000", 17.0, 15.0), ("fyn", 18.0, 15.5)]:
        observe(code, 2017, v2017, 0.4, sample=sample)
        observe(code, 2021, v2021, 0.4, sample=sample)
    observe("461", 2017, 18.5, 0.6, sample=sample)
    observe("461", 2021, 16.3, ci_low=15.1, ci_high=17.6, sample=sample)
    observe("461", 2021, 17.2, 1.5, sex="maend", sample=sample)
    observe("461", 2021, 15.4, 1.4, sex="kvinder", sample=sample)
    observe("461", 2021, 12.1, 2.3, age_group="16-24", sample=sample)
    observe("461", 2021, 19.8, 2.0, age_group="45-54", sample=sample)
    for i, code in enumerate(_syddanmark_municipalities()[: municipalities - 1]):
        observe(code, 2017, 20.0 + i / 10, 1.0, sample=sample)
        observe(code, 2021, 18.0 + i / 10, 1.0, sample=sample)
    measure_statuses_refresh()


def _url(measure, **params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return reverse("goals:measure_detail", args=[measure.pk]) + (f"?{query}" if query else "")


def _chart(html, name):
    match = re.search(rf'<script id="chart-data-{name}" type="application/json">(.*?)</script>', html, re.S)
    assert match, f"no figure for {name}"
    return json.loads(match.group(1))


def test_the_page_shows_the_status_its_explanation_and_the_numbers_in_danish(client, smoking):
    _load()
    response = client.get(_url(smoking, omraade="461", aar=2023))
    assert response.status_code == 200
    html = response.content.decode()
    assert smoking.follow_up_text in html
    assert "Fremgang, men for langsomt" in html  # 40 % of the change in 67 % of the time
    assert '<details class="why" open>' in html
    assert "Andelen er faldet fra 18,5 % i 2017 til 16,3 % i 2021." in html
    # The trend table: Odense's value with its CI, the region and Denmark beside it.
    assert '<th scope="row">2021</th><td class="num">16,3 <span class="ci">(15,1–17,6)</span></td>' in html
    assert "16,5" in html and "15,0" in html
    assert "<caption>" in html and 'scope="col"' in html
    # Breadcrumbs back to the agreement in the same area and year, and the indicator's page.
    assert f'href="/aftaler/{AGREEMENT}/?omraade=461&amp;aar=2023"' in html
    assert 'href="/indikatorer/dagligrygning/"' in html
    assert "Nye data forventes" in html


def test_the_trend_chart_has_the_ci_band_target_and_comparisons(client, smoking):
    _load()
    html = client.get(_url(smoking, omraade="461", aar=2023)).content.decode()
    trend = _chart(html, "trend")
    names = [t["name"] for t in trend["data"]]
    assert names[:2] == ["95 %-konfidensinterval", "Odense"]
    assert "Region Syddanmark" in names and "Hele landet" in names
    target = next(t for t in trend["data"] if t["name"].startswith("Mål"))
    assert (target["x"], target["y"]) == ([2023], [13.0])
    band = trend["data"][0]
    assert band["y"] == [19.1, 17.6, 15.1, 17.9]
    assert trend["layout"]["separators"] == ",."
    assert 'data-chart="chart-data-trend" tabindex="0" role="group" aria-label=' in html


def test_clusters_and_municipalities_are_compared_with_the_region_and_mapped(client, smoking):
    _load(municipalities=3)
    html = client.get(_url(smoking, omraade="461", aar=2023)).content.decode()
    clusters = _chart(html, "clusters")
    fyn = next(t for t in clusters["data"] if "Sundhedsklynge Fyn" in t["y"])
    # Fyn 15,5 (15,1-15,9) against the region's 16,5: the benchmark lies above the CI, lower is better.
    assert fyn["name"] == "Bedre end sammenligningsområdet"
    municipalities = _chart(html, "municipalities")
    odense = next(t for t in municipalities["data"] if "Odense" in t["y"])
    assert odense["name"] == "På niveau med sammenligningsområdet"
    map_figure = _chart(html, "map")
    # The boundaries are one file the browser fetches once (and caches), named by every map trace.
    urls = {t["geojson"] for t in map_figure["data"] if "geojson" in t}
    assert urls == {reverse("goals:municipality_map", args=["1083"])}
    response = client.get(urls.pop(), HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip" and "max-age" in response["Cache-Control"]
    boundaries = json.loads(gzip.decompress(response.content))
    drawn = {f["properties"]["kommunekode"] for f in boundaries["features"]}
    assert len(drawn) == 22 and "101" not in drawn  # Syddanmark's municipalities, not København
    coloured = {code for t in map_figure["data"] if t.get("type") == "choropleth" for code in t["locations"]}
    assert coloured <= drawn and "461" in coloured
    assert "Geodatastyrelsen" in html  # the GeoJSON's attribution under the map
    breakdown = _chart(html, "breakdown")
    assert [t["x"] for t in breakdown["data"]] == [["Mænd", "Kvinder"], ["16-24 år", "45-54 år"]]
    assert '<th scope="row">Kvinder</th><td class="num">15,4</td>' in html


def test_the_status_map_shows_each_municipalitys_status_in_words_too(client, smoking):
    _load()
    html = client.get(_url(smoking, omraade="461", aar=2023, kort="status")).content.decode()
    map_figure = _chart(html, "map")
    names = [t["name"] for t in map_figure["data"] if t["type"] == "choropleth"]
    assert any(name.endswith("Mangler data") for name in names)
    assert any(t["type"] == "scattergeo" for t in map_figure["data"])


@pytest.mark.parametrize("municipalities", [2, 22])
def test_the_query_count_does_not_grow_with_the_data(
    client, smoking, django_assert_num_queries, municipalities
):
    _load(municipalities=municipalities)
    with django_assert_num_queries(QUERIES):
        response = client.get(_url(smoking, omraade="461", aar=2023))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<tr") >= municipalities


def test_a_measure_without_data_still_has_a_page(client, smoking, django_assert_num_queries):
    with django_assert_num_queries(QUERIES):
        response = client.get(_url(smoking))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Der er endnu ingen data for Region Syddanmark" in html
    assert "plotly" not in html  # nothing to draw, nothing to download


def test_an_activity_status_follow_up_has_a_page_without_charts(client):
    measure = Measure.objects.filter(kind=Measure.Kind.ACTIVITY_STATUS).first()
    response = client.get(_url(measure))
    assert response.status_code == 200
    assert "aktivitetsstatus" in response.content.decode()


def test_an_unknown_measure_is_404(client):
    assert client.get("/opfoelgning/999999/").status_code == 404
    assert client.get("/opfoelgning/999999/data.csv").status_code == 404


def test_an_area_outside_the_agreement_is_a_danish_form_error(client, smoking):
    _load()
    response = client.get(_url(smoking, omraade="101", aar=2023))  # København is not in Syddanmark
    assert response.status_code == 200
    html = response.content.decode()
    assert "Vælg et område fra listen." in html
    assert "Status for Region Syddanmark vurderet i" in html
    assert client.get(_url(smoking, aar="abc")).status_code == 200


def test_sample_values_are_labelled_per_series(client, smoking):
    _load(sample=True)
    html = client.get(_url(smoking, omraade="461", aar=2023)).content.decode()
    assert "Eksempeldata" in html  # the banner
    assert "Eksempeldata, ikke officielle tal: Odense, Region Syddanmark, Hele landet." in html


def test_the_page_loads_nothing_from_the_internet(client, smoking):
    _load()
    html = client.get(_url(smoking, omraade="461", aar=2023)).content.decode()
    assert "http://" not in html and "https://" not in html
    assert '<script src="/static/js/vendor/plotly-geo.min.js" defer>' in html
    assert "<script>" not in html  # no inline script: charts are drawn by static/js/charts.js


def test_the_csv_follows_danish_conventions(client, smoking):
    _load()
    response = client.get(reverse("goals:measure_data_csv", args=[smoking.pk]) + "?omraade=461&aar=2023")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff")), delimiter=";"))
    header = rows[0]
    # The canonical file the importer reads, then what the page shows about each value.
    assert header == [
        "indikator",
        "område",
        "år",
        "køn",
        "alder",
        "uddannelse",
        "andel",
        "nedre",
        "øvre",
        "antal svarpersoner",
        "områdenavn",
        "diagram",
        "enhed",
        "sammenligning",
        "status",
        "eksempeldata",
    ]
    record = {(r[1], r[2], r[3], r[4]): dict(zip(header, r, strict=True)) for r in rows[1:]}
    assert len(record) == len(rows) - 1  # one line per value, however many charts draw it
    odense = record["461", "2021", "Alle", "Alle"]
    assert (odense["andel"], odense["nedre"], odense["øvre"]) == ("16,3", "15,1", "17,6")
    assert odense["diagram"].startswith("Udvikling") and odense["områdenavn"] == "Odense"
    assert record["1083", "2017", "Alle", "Alle"]["andel"] == "19"
    assert record["fyn", "2021", "Alle", "Alle"]["sammenligning"] == "Bedre end sammenligningsområdet"
    assert record["461", "2021", "Kvinder", "Alle"]["andel"] == "15,4"
    assert record["461", "2021", "Kvinder", "Alle"]["diagram"] == "Køn"
    assert record["461", "2021", "Alle", "16-24"]["andel"] == "12,1"
    assert odense["eksempeldata"] == "nej"


def test_the_xlsx_has_the_same_values_as_numbers(client, smoking):
    _load()
    response = client.get(reverse("goals:measure_data_xlsx", args=[smoking.pk]) + "?omraade=461&aar=2023")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Data", "Om data"]
    rows = list(workbook["Data"].iter_rows(values_only=True))
    assert rows[0][6] == "andel"
    odense = next(r for r in rows if r[1] == "461" and r[2] == 2021 and r[3:5] == ("Alle", "Alle"))
    assert odense[6:9] == (16.3, 15.1, 17.6)
    about = dict(workbook["Om data"].iter_rows(values_only=True))
    assert about["Område"] == "Odense" and about["Indikator"] == "Dagligrygning"


def test_the_agreement_page_links_each_indicator_follow_up_to_its_page(client, smoking):
    html = client.get(
        reverse("goals:agreement_detail", args=[AGREEMENT]) + "?omraade=461&aar=2023"
    ).content.decode()
    assert f'href="/opfoelgning/{smoking.pk}/?omraade=461&amp;aar=2023"' in html
    activity = Measure.objects.filter(kind=Measure.Kind.ACTIVITY_STATUS).first()
    assert (
        f'href="/opfoelgning/{activity.pk}/'
        not in client.get(
            reverse("goals:agreement_detail", args=[activity.objective.vision.agreement.slug])
        ).content.decode()
    )


def test_with_only_regional_data_there_is_a_trend_but_no_empty_comparison_or_map(client, smoking):
    observe("1083", 2017, 19.0, 0.4)
    observe("1083", 2021, 16.5, 0.4)
    measure_statuses_refresh()
    html = client.get(_url(smoking, aar=2023)).content.decode()
    assert _chart(html, "trend")["data"][1]["y"] == [19.0, 16.5]
    assert "chart-data-clusters" not in html and "chart-data-map" not in html
    assert "Sammenligning 2" not in html


def test_a_real_value_in_a_sample_series_is_not_marked_as_sample(client, smoking):
    """An upload replaced one sample value: the table marks each value, so the real one reads as real."""
    _load(sample=True)
    Observation.objects.filter(area__code="461", year=2021, sex="alle", age_group="alle").update(
        is_sample=False, value=16.4
    )
    html = client.get(_url(smoking, omraade="461", aar=2023)).content.decode()
    table = html[html.index("Tallene bag udviklingen") :]
    table = table[: table.index("</table>")]
    row_2017 = table[table.index(">2017<") :].split("</tr>")[0]
    row_2021 = table[table.index(">2021<") :].split("</tr>")[0]
    mark = '<span class="visually-hidden"> (eksempeldata)</span>'
    # 2017: Odense, the region and Denmark are all generated; 2021: Odense is real, the others are not.
    assert row_2017.count(mark) == 3
    odense_2021 = row_2021.split("</td>")[0]
    assert row_2021.count(mark) == 2 and "16,4" in odense_2021 and mark not in odense_2021
