"""The open data API as an analyst's program meets it: codes as keys, filters, the envelope, CSV in Danish
conventions, paging, conditional requests, and values that equal the pages' and their downloads'."""

import csv
import io
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache
from django.db.models import Q
from django.urls import reverse

from clusters.models import Area
from goals import selectors as goals_selectors
from goals.models import Measure
from indicators.ingest.load import format_number
from indicators.models import Indicator, Observation

pytestmark = pytest.mark.django_db

OBSERVATIONS = "/api/v1/observationer/"


def _csv(response) -> list[list[str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff"), "UTF-8 with a byte order mark, as Danish Excel needs"
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def _path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _all_pages(client, url, **headers):
    rows = []
    while url:
        response = client.get(url, **headers)
        assert response.status_code == 200, response.content[:300]
        body = response.json()
        rows += body["results"]
        url = body["next"] and _path(body["next"])
    return rows


def test_the_agreement_tree_is_keyed_by_codes_and_carries_the_targets_provenance(client):
    response = client.get("/api/v1/aftaler/syddanmark-2019-2023/")
    assert response.status_code == 200
    agreement = response.json()["result"]
    measures = [m for v in agreement["visions"] for o in v["objectives"] for m in o["measures"]]
    smoking = next(m for m in measures if m["indicator"] == "dagligrygning")
    stored = Measure.objects.select_related("target").get(
        objective__vision__agreement__slug="syddanmark-2019-2023", indicator__code="dagligrygning"
    )
    assert smoking["target"]["stated_baseline"] == stored.target.stated_baseline
    assert smoking["target"]["note"] == stored.target.note
    assert smoking["follow_up_is_quote"] is stored.follow_up_is_quote
    assert "id" not in smoking and smoking["key"].startswith("syddanmark-2019-2023/")
    # The key opens the measure on its own.
    detail = client.get(f"/api/v1/opfoelgninger/{smoking['key']}/")
    assert detail.status_code == 200
    assert detail.json()["result"]["follow_up_text"] == stored.follow_up_text


def test_all_municipalities_in_a_region_in_one_call(client):
    response = client.get("/api/v1/omraader/?omraadetype=kommune&region=1083&antal=1000")
    codes = {a["code"] for a in response.json()["results"]}
    expected = set(
        Area.objects.filter(kind=Area.Kind.MUNICIPALITY)
        .filter(Q(parent__code="1083") | Q(parent__parent__code="1083"))
        .values_list("code", flat=True)
    )
    assert codes == expected and len(codes) == 22
    odense = client.get("/api/v1/omraader/461/").json()["result"]
    assert {m["cluster"] for m in odense["memberships"]} == {"fyn"}
    assert odense["memberships"][0]["valid_from"]


def test_observations_for_many_areas_years_and_a_breakdown(client, values):
    url = f"{OBSERVATIONS}?indikator=dagligrygning&omraade=461,479&aar=2017,2021&koen=kvinder"
    rows = _all_pages(client, url)
    expected = Observation.objects.filter(
        indicator__code="dagligrygning", area__code__in=["461", "479"], year__in=[2017, 2021], sex="kvinder"
    )
    assert len(rows) == expected.count() > 0
    assert {(r["area"], r["year"], r["sex"]) for r in rows} <= {
        (a, y, "kvinder") for a in ("461", "479") for y in (2017, 2021)
    }
    suppressed = [r for r in rows if r["suppressed"]]
    assert all(r["value"] is None for r in suppressed)


def test_paging_through_observations_gives_every_row_once_in_a_stable_order(client, values):
    url = (
        f"{OBSERVATIONS}?indikator=dagligrygning,boern-unges-trivsel&omraadetype=kommune&region=1083&antal=97"
    )
    rows = _all_pages(client, url)
    keys = [(r["indicator"], r["area"], r["year"], r["sex"], r["age_group"], r["education"]) for r in rows]
    assert len(keys) == len(set(keys))
    expected = Observation.objects.filter(
        indicator__code__in=["dagligrygning", "boern-unges-trivsel"], area__kind="municipality"
    ).count()
    assert len(rows) == expected
    assert _all_pages(client, url) == rows


def test_each_value_and_the_envelope_say_whether_it_is_sample_data(client, values):
    body = client.get(f"{OBSERVATIONS}?indikator=dagligrygning&antal=10000").json()
    sample = {(r["area"], r["year"], r["sex"], r["age_group"]) for r in body["results"] if r["eksempeldata"]}
    stored = set(
        Observation.objects.filter(indicator__code="dagligrygning", is_sample=True).values_list(
            "area__code", "year", "sex", "age_group"
        )
    )
    assert sample == stored and body["eksempeldata"] is True
    Observation.objects.update(is_sample=False)
    cache.clear()
    assert client.get(f"{OBSERVATIONS}?indikator=dagligrygning&antal=5").json()["eksempeldata"] is False


def test_the_csv_equals_the_indicator_pages_download_for_the_same_selection(client, values):
    rng = values
    area = rng.choice(list(Area.objects.filter(parent__code="1083").values_list("code", flat=True)))
    year = rng.choice(list(range(2013, 2026)))
    query = f"omraade={area}&aar={year}"
    page = client.get(reverse("goals:indicator_values_csv", args=["dagligrygning"]) + "?" + query)
    page_rows = _csv(type("R", (), {"content": b"".join(page.streaming_content)})())
    api = client.get(f"{OBSERVATIONS}?indikator=dagligrygning&{query}&format=csv&antal=10000")
    assert api["Content-Type"].startswith("text/csv")
    assert _csv(api) == page_rows, f"area {area}, year {year}"
    # Asked for with the Accept header instead of ?format=csv: the same table.
    accepted = client.get(
        f"{OBSERVATIONS}?indikator=dagligrygning&{query}&antal=10000", HTTP_ACCEPT="text/csv"
    )
    assert _csv(accepted) == page_rows


def test_numbers_in_the_csv_have_a_decimal_comma(client, values):
    rows = _csv(client.get(f"{OBSERVATIONS}?indikator=dagligrygning&omraade=1083&format=csv&antal=200"))
    assert rows[0][:3] == ["indikator", "område", "år"]
    values_column = [row[6] for row in rows[1:] if row[6]]
    assert values_column and all("." not in v for v in values_column)
    assert any("," in v for v in values_column)


def test_statuses_equal_the_measure_pages_for_areas_and_years_nobody_chose(client, values):
    rng = values
    measures = list(
        Measure.objects.filter(
            objective__vision__agreement__slug="syddanmark-2024-2027",
            kind="indicator",
            indicator__code__in=["dagligrygning", "boern-unges-trivsel"],
        ).select_related("objective__vision__agreement")
    )
    agreement = measures[0].objective.vision.agreement
    areas = goals_selectors.agreement_areas(agreement)
    for _ in range(4):
        measure, area, year = rng.choice(measures), rng.choice(areas), rng.choice(range(2018, 2028))
        key = f"{agreement.slug}/{measure.objective.vision.order}.{measure.objective.order}.{measure.order}"
        response = client.get(f"/api/v1/status/?opfoelgning={key}&omraade={area.code}&aar={year}")
        assert response.status_code == 200
        (row,) = response.json()["results"]
        page = goals_selectors.measure_page_data(
            measure=goals_selectors.measure_get(measure.pk), area=area, year=year
        )
        where = f"{key} in {area.code}, {year}"
        assert row["status"] == page.status.status, where
        assert row["explanation"] == page.status.explanation, where
        assert row["latest_value"] == page.status.latest_value, where
        # And the page itself shows that explanation.
        html = client.get(f"/opfoelgning/{measure.pk}/?omraade={area.code}&aar={year}").content.decode()
        assert row["status_label"] in html, where
        # The values behind it equal the measure page's CSV download's trend rows for the area.
        download = _csv(client.get(f"/opfoelgning/{measure.pk}/data.csv?omraade={area.code}&aar={year}"))
        # The canonical columns (indicators/fileformat.py), with the charts a value is drawn in.
        column = {name: index for index, name in enumerate(download[0])}
        trend = {
            int(r[column["år"]]): r[column["andel"]]
            for r in download[1:]
            if "Udvikling" in r[column["diagram"]] and r[column["område"]] == area.code and r[column["andel"]]
        }
        api_values = _all_pages(
            client,
            f"{OBSERVATIONS}?indikator={measure.indicator.code}&omraade={area.code}&til_aar={year}"
            f"&koen={measure.sex}&alder={measure.age_group}&uddannelse={measure.education}",
        )
        assert trend == {
            r["year"]: format_number(r["value"]) for r in api_values if r["value"] is not None
        }, where


def test_every_response_names_its_url_and_data_version(client, values):
    url = f"{OBSERVATIONS}?indikator=dagligrygning&antal=5"
    response = client.get(url)
    body = response.json()
    assert body["self"] == f"http://testserver{url}"
    assert response["Link"].startswith(f'<http://testserver{url}>; rel="self"')
    assert 'rel="next"' in response["Link"]
    assert response["X-Data-Version"] == body["data_version"] == goals_selectors.data_version()
    csv_response = client.get(url + "&format=csv")
    assert csv_response["X-Data-Version"] == body["data_version"]
    assert csv_response["Link"].startswith(f"<http://testserver{url}&format=csv>")


def test_a_client_asking_again_gets_304_until_the_data_changes(client):
    url = "/api/v1/indikatorer/dagligrygning/"
    first = client.get(url)
    etag, modified = first["ETag"], first["Last-Modified"]
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
    assert client.get(url + "?format=json", HTTP_IF_NONE_MATCH=etag).status_code == 200
    indicator = Indicator.objects.get(code="dagligrygning")
    indicator.definition = "Ny definition"
    indicator.save()
    changed = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed.json()["result"]["definition"] == "Ny definition"
    assert changed["ETag"] != etag


def test_unknown_codes_are_a_400_that_names_them(client):
    response = client.get(f"{OBSERVATIONS}?indikator=dagligrygning,findes-ikke&omraade=461")
    assert response.status_code == 400
    assert "findes-ikke" in response.json()["detail"]
    assert client.get("/api/v1/omraader/?region=461").status_code == 400  # a municipality is not a region
    assert client.get(f"{OBSERVATIONS}?antal=10001").status_code == 400
    assert client.get(f"{OBSERVATIONS}?efter=notacursor").status_code == 400
    assert client.get("/api/v1/aftaler/findes-ikke/").status_code == 404
    assert client.get("/api/v1/opfoelgninger/syddanmark-2024-2027/9.9.9/").status_code == 404


def test_a_page_of_10000_observations_is_allowed(client, values):
    body = client.get(f"{OBSERVATIONS}?antal=10000").json()
    assert len(body["results"]) == min(10_000, Observation.objects.count())


def test_the_docs_are_served_by_the_app_itself(client):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200 and b"openapi: 3" in schema.content
    for url in ("/api/docs/", "/api/redoc/"):
        html = client.get(url).content.decode()
        assert "/static/drf_spectacular_sidecar/" in html
        assert "https://" not in html, f"{url} loads something from another site"


def test_every_field_in_the_schema_is_described_in_danish_and_english(client):
    import yaml

    schema = yaml.safe_load(client.get("/api/schema/").content)
    missing = []
    for name, component in schema["components"]["schemas"].items():
        for field, spec in component.get("properties", {}).items():
            description = spec.get("description", "")
            if " / " not in description:
                missing.append(f"{name}.{field}")
    for path, operations in schema["paths"].items():
        for parameter in operations["get"].get("parameters", []):
            if " / " not in parameter.get("description", ""):
                missing.append(f"{path} {parameter['name']}")
    assert missing == []


def test_a_nul_byte_in_a_filter_is_a_danish_400_not_a_server_error(client):
    # PostgreSQL refuses text with NUL bytes; the API must answer the client, not fail.
    response = client.get("/api/v1/observationer/?indikator=dagligrygning%00&omraade=461")
    assert response.status_code == 400
    assert "NUL-tegn" in response.json()["detail"]


@pytest.mark.parametrize(
    "url",
    ["/api/v1/aftaler/?side=%C2%B9", "/api/v1/observationer/?indikator=dagligrygning&aar=%C2%B2%C2%B3"],
)
def test_a_superscript_digit_is_a_danish_400_not_a_server_error(client, url):
    # "¹" is a digit to str.isdigit() but not to int(): found by the schema fuzzer as a 500.
    response = client.get(url)
    assert response.status_code == 400
    assert "heltal" in response.json()["detail"] or "årstal" in response.json()["detail"]


def test_the_fast_json_renderer_writes_what_drf_would():
    """orjson (api/renderers.py) must not change a byte that clients parse: dates and times as DRF writes
    them, lazy translations, Decimals, error details and odd floats read back as the same values."""
    import datetime
    import json
    from decimal import Decimal

    from django.utils.translation import gettext_lazy
    from rest_framework.exceptions import ErrorDetail
    from rest_framework.renderers import JSONRenderer

    from api.renderers import FastJSONRenderer

    data = {
        "results": [{"value": 16.3, "small": 1e-05, "big": 1e16, "none": None, "flag": True, "n": 3}],
        "when": datetime.datetime(2026, 12, 3, 13, 5, 7, 123456, tzinfo=datetime.UTC),
        "day": datetime.date(2026, 12, 3),
        "amount": Decimal("12.50"),
        "label": gettext_lazy("Forværring"),
        "detail": ErrorDetail("Ugyldig værdi", code="invalid"),
        "text": "Sønderborg ½ \u2028",
    }
    fast = FastJSONRenderer().render(data)
    assert json.loads(fast) == json.loads(JSONRenderer().render(data))
    assert b"\\u00f8" not in fast and "Sønderborg".encode() in fast
    assert FastJSONRenderer().render(None) == b""
