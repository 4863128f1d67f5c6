"""Chart building: the figures the measure page draws, checked trace by trace against the numbers put in.

The functions are pure, so these tests need no database. The numbers are the method's worked example
(daily smoking, 18,5 % in 2017 and 15,0 % in 2021, target 9,25 % in 2025) and made-up neighbours.
"""

import json

from indicators import charts
from indicators.charts import AreaValue, GroupValue, Series, Value

ODENSE = Series(
    "Odense",
    (
        Value(2013, 19.9, 18.7, 21.1),
        Value(2017, 18.5, 17.9, 19.1),
        Value(2021, 16.3, 15.1, 17.6, is_sample=True),
    ),
)
REGION = Series("Region Syddanmark", (Value(2017, 17.8, 17.5, 18.1), Value(2021, 16.0, 15.7, 16.3)))
DENMARK = Series("Hele landet", (Value(2017, 16.9, 16.8, 17.0), Value(2021, 15.3, 15.2, 15.4)))


def _trace(figure, name):
    found = [t for t in figure["data"] if t.get("name") == name]
    assert len(found) == 1, [t.get("name") for t in figure["data"]]
    return found[0]


def _trend():
    return charts.trend_figure(
        ODENSE, unit="percent", baseline=(2017, 18.5), target=(2025, 9.25), comparisons=[REGION, DENMARK]
    )


def test_the_ci_band_runs_along_the_upper_bounds_and_back_along_the_lower():
    band = _trace(_trend(), "95 %-konfidensinterval")
    assert band["x"] == [2013, 2017, 2021, 2021, 2017, 2013]
    assert band["y"] == [21.1, 19.1, 17.6, 15.1, 17.9, 18.7]
    assert band["fill"] == "toself"


def test_the_area_line_has_its_values_and_danish_hover_text():
    line = _trace(_trend(), "Odense")
    assert line["x"] == [2013, 2017, 2021]
    assert line["y"] == [19.9, 18.5, 16.3]
    assert line["text"][2].startswith("Odense 2021: 16,3 %")
    assert "95 %-konfidensinterval: 15,1–17,6 %" in line["text"][2]
    assert "eksempeldata" in line["text"][2] and "eksempeldata" not in line["text"][0]


def test_the_target_and_baseline_are_marked_and_joined_by_a_straight_line():
    figure = _trend()
    target = _trace(figure, "Mål: 9,3 % i 2025")
    assert (target["x"], target["y"]) == ([2025], [9.25])
    baseline = _trace(figure, "Udgangspunkt (2017)")
    assert (baseline["x"], baseline["y"]) == ([2017], [18.5])
    line = _trace(figure, "Lige linje fra udgangspunkt til mål")
    assert (line["x"], line["y"]) == ([2017, 2025], [18.5, 9.25])
    # The target year is on the axis, years are never written with a thousands separator.
    assert figure["layout"]["xaxis"]["tickvals"] == [2013, 2017, 2021, 2025]
    assert figure["layout"]["xaxis"]["tickformat"] == "d"


def test_comparison_series_are_dashed_and_told_apart_by_marker_too():
    figure = _trend()
    region, denmark = _trace(figure, "Region Syddanmark"), _trace(figure, "Hele landet")
    assert region["y"] == [17.8, 16.0] and denmark["y"] == [16.9, 15.3]
    assert region["line"]["dash"] != "solid" and denmark["line"]["dash"] != "solid"
    assert region["line"]["dash"] != denmark["line"]["dash"]
    assert region["marker"]["symbol"] != denmark["marker"]["symbol"]


def test_a_direction_only_measure_has_no_target_marker_or_line():
    figure = charts.trend_figure(ODENSE, unit="percent", baseline=(2017, 18.5), target=None, comparisons=[])
    names = [t["name"] for t in figure["data"]]
    assert not any(name.startswith("Mål") for name in names)
    assert "Lige linje fra udgangspunkt til mål" not in names
    assert "Udgangspunkt (2017)" in names


def test_figures_use_danish_decimal_commas_and_are_json():
    figure = _trend()
    assert figure["layout"]["separators"] == ",."
    assert figure["layout"]["yaxis"]["ticksuffix"] == " %"
    assert figure["layout"]["yaxis"]["title"]["text"] == "Andel (%)"
    json.dumps(figure)


def test_a_value_without_ci_gets_no_band_point():
    series = Series("Fanø", (Value(2017, 20.0), Value(2021, 18.0, 16.0, 20.0)))
    figure = charts.trend_figure(series, unit="percent", baseline=None, target=None, comparisons=[])
    band = _trace(figure, "95 %-konfidensinterval")
    assert band["x"] == [2021, 2021] and band["y"] == [20.0, 16.0]
    assert _trace(figure, "Fanø")["text"][0] == "Fanø 2017: 20,0 %"


ROWS = [
    AreaValue("461", "Odense", 16.3, 15.1, 17.6, benchmark="similar"),
    AreaValue("621", "Kolding", 19.4, 18.0, 20.8, benchmark="worse"),
    AreaValue("430", "Faaborg-Midtfyn", 13.4, 11.5, 15.3, benchmark="better"),
    AreaValue("563", "Fanø", 15.0, benchmark="not_compared"),
    AreaValue("492", "Ærø", None),
]


def test_comparison_has_one_trace_per_benchmark_result_with_its_own_symbol():
    figure = charts.comparison_figure(
        ROWS, unit="percent", benchmark_value=17.0, benchmark_name="Region Syddanmark"
    )
    names = [t["name"] for t in figure["data"]]
    assert names == [
        "Bedre end sammenligningsområdet",
        "På niveau med sammenligningsområdet",
        "Dårligere end sammenligningsområdet",
        "Ikke sammenlignet",
    ]
    symbols = [t["marker"]["symbol"] for t in figure["data"]]
    colours = [t["marker"]["color"] for t in figure["data"]]
    assert len(set(symbols)) == 4, "never colour alone"
    assert colours[0] == "#0072B2" and colours[2] == "#D55E00"
    worse = _trace(figure, "Dårligere end sammenligningsområdet")
    assert worse["x"] == [19.4] and worse["y"] == ["Kolding"]
    assert round(worse["error_x"]["array"][0], 6) == 1.4
    assert round(worse["error_x"]["arrayminus"][0], 6) == 1.4
    assert "Kolding: 19,4 %" in worse["text"][0]
    assert "Dårligere end sammenligningsområdet" in worse["text"][0]


def test_comparison_orders_by_value_leaves_out_missing_values_and_draws_the_benchmark():
    figure = charts.comparison_figure(
        ROWS, unit="percent", benchmark_value=17.0, benchmark_name="Region Syddanmark"
    )
    assert figure["layout"]["yaxis"]["categoryarray"] == ["Faaborg-Midtfyn", "Fanø", "Odense", "Kolding"]
    (line,) = figure["layout"]["shapes"]
    assert line["x0"] == line["x1"] == 17.0
    assert line["name"] == "Region Syddanmark: 17,0 %"
    not_compared = _trace(figure, "Ikke sammenlignet")
    assert not_compared["error_x"]["array"] == [None]


GEOJSON = {
    "type": "FeatureCollection",
    "attribution": "Geodatastyrelsen",
    "features": [
        {
            "type": "Feature",
            "properties": {"kommunekode": code, "kommune": name},
            "geometry": {
                "type": "Polygon",
                "coordinates": [[[x, 55.0], [x + 0.2, 55.0], [x + 0.2, 55.2], [x, 55.2], [x, 55.0]]],
            },
        }
        for code, name, x in [("461", "Odense", 10.3), ("621", "Kolding", 9.4), ("101", "København", 12.5)]
    ],
}


def test_the_map_draws_only_the_regions_municipalities_from_the_geojson():
    values = {"461": ROWS[0], "621": ROWS[1]}
    figure = charts.map_figure(values, GEOJSON, unit="percent", mode="value")
    (trace,) = figure["data"]
    assert trace["type"] == "choropleth"
    assert trace["featureidkey"] == "properties.kommunekode"
    assert [f["properties"]["kommunekode"] for f in trace["geojson"]["features"]] == ["461", "621"]
    assert trace["locations"] == ["461", "621"] and trace["z"] == [16.3, 19.4]
    assert trace["text"][0].startswith("Odense: 16,3 %")
    geo = figure["layout"]["geo"]
    assert geo["visible"] is False and geo["fitbounds"] == "locations"


def test_a_municipality_without_value_is_drawn_grey_and_named_in_the_legend():
    values = {"461": ROWS[0], "492": AreaValue("492", "Ærø", None)}
    geojson = {
        **GEOJSON,
        "features": [*GEOJSON["features"], {**GEOJSON["features"][0], "properties": {"kommunekode": "492"}}],
    }
    figure = charts.map_figure(values, geojson, unit="percent", mode="value")
    missing = _trace(figure, "Ingen data")
    assert missing["locations"] == ["492"] and missing["showlegend"] is True
    assert "Ærø: ingen data" in missing["text"][0]


def test_with_a_geojson_url_every_trace_names_the_file_instead_of_carrying_the_boundaries():
    values = {
        "461": AreaValue("461", "Odense", 16.3, status="behind"),
        "621": AreaValue("621", "Kolding", 19.4, status="worsening"),
    }
    figure = charts.map_figure(
        values, GEOJSON, unit="percent", mode="status", geojson_url="/kort/1083.geojson"
    )
    choropleths = [t for t in figure["data"] if t["type"] == "choropleth"]
    assert [t["geojson"] for t in choropleths] == ["/kort/1083.geojson"] * 2
    assert [t["locations"] for t in choropleths] == [["461"], ["621"]]
    # The icons are still placed from the boundaries the server read.
    icons = next(t for t in figure["data"] if t["type"] == "scattergeo")
    assert (icons["lon"][0], icons["lat"][0]) == (10.4, 55.1)


def test_the_status_map_has_a_legend_entry_and_an_icon_per_status():
    values = {
        "461": AreaValue("461", "Odense", 16.3, status="behind"),
        "621": AreaValue("621", "Kolding", 19.4, status="worsening"),
    }
    figure = charts.map_figure(values, GEOJSON, unit="percent", mode="status")
    names = [t["name"] for t in figure["data"] if t["type"] == "choropleth"]
    assert names == ["→ Fremgang, men for langsomt", "↘ Forværring"]
    icons = next(t for t in figure["data"] if t["type"] == "scattergeo")
    assert icons["text"] == ["→", "↘"]
    # The icon sits in the middle of the municipality's square.
    assert (icons["lon"][0], icons["lat"][0]) == (10.4, 55.1)


def test_breakdowns_show_each_sex_and_age_group_with_ci_and_the_total_line():
    figure = charts.breakdown_figure(
        [GroupValue("Mænd", 18.0, 16.5, 19.5), GroupValue("Kvinder", 14.6, 13.4, 15.8)],
        [GroupValue("16-24 år", 12.1, 9.8, 14.4), GroupValue("75+ år", 9.0, 7.1, 10.9)],
        unit="percent",
        total=16.3,
        total_name="Odense",
    )
    sex, age = _trace(figure, "Køn"), _trace(figure, "Aldersgruppe")
    assert sex["x"] == ["Mænd", "Kvinder"] and sex["y"] == [18.0, 14.6]
    assert age["x"] == ["16-24 år", "75+ år"] and age["y"] == [12.1, 9.0]
    assert round(sex["error_y"]["array"][0], 6) == 1.5 and round(sex["error_y"]["arrayminus"][1], 6) == 1.2
    assert sex["marker"]["symbol"] != age["marker"]["symbol"]
    (total,) = figure["layout"]["shapes"]
    assert total["y0"] == 16.3 and total["name"] == "Odense: 16,3 %"


def test_numbers_are_formatted_the_danish_way():
    assert charts.format_value(16.3, "percent") == "16,3 %"
    assert charts.format_value(9.25, "percent") == "9,3 %"
    assert charts.format_value(1234.56, "count") == "1.234,6"
    assert charts.format_value(81.04, "years") == "81,0 år"
    assert charts.format_ci(15.1, 17.6, "percent") == "15,1–17,6 %"
    assert charts.format_ci(None, None, "percent") == ""


def test_simplifying_the_boundaries_drops_points_a_map_cannot_show_but_keeps_every_municipality():
    wiggly = [[10.0, 55.0], [10.5, 55.0001], [11.0, 55.0], [11.0, 56.0], [10.0, 56.0], [10.0, 55.0]]
    tiny_island = [[12.0, 55.0], [12.0001, 55.0], [12.0001, 55.0001], [12.0, 55.0001], [12.0, 55.0]]
    geojson = {
        "type": "FeatureCollection",
        "attribution": "Geodatastyrelsen",
        "features": [
            {
                "properties": {"kommunekode": "1"},
                "geometry": {"type": "MultiPolygon", "coordinates": [[wiggly]]},
            },
            {
                "properties": {"kommunekode": "2"},
                "geometry": {"type": "Polygon", "coordinates": [tiny_island]},
            },
        ],
    }
    simplified = charts.simplify_geojson(geojson, 0.002)
    assert simplified["attribution"] == "Geodatastyrelsen"
    first, second = simplified["features"]
    assert first["geometry"]["coordinates"] == [
        [[[10.0, 55.0], [11.0, 55.0], [11.0, 56.0], [10.0, 56.0], [10.0, 55.0]]]
    ]
    # Smaller than the tolerance, but a municipality never disappears from the map.
    assert second["geometry"]["coordinates"] == [[tiny_island]]


def test_tables_and_charts_write_numbers_in_the_readers_notation():
    from django.utils import translation

    from indicators.charts.format import _layout, format_ci, format_number, format_value

    with translation.override("da"):
        assert (format_number(1234.5), format_value(16.25, "percent")) == ("1.234,5", "16,3 %")
        assert _layout("x")["separators"] == ",."
    with translation.override("en"):
        assert (format_number(1234.5), format_value(16.25, "percent")) == ("1,234.5", "16.3 %")
        assert format_ci(15.1, 17.6, "percent") == "15.1–17.6 %"
        assert _layout("x")["separators"] == ".,"
