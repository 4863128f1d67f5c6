"""The municipalities on a map, coloured by value, status or benchmark result, and GeoJSON helpers."""

import math
from collections.abc import Iterable, Mapping, Sequence

from django.utils.translation import gettext as _

from .format import (
    _hover,
    _layout,
    benchmark_label,
    status_label,
    unit_label,
)
from .style import (
    BENCHMARK_ORDER,
    BENCHMARK_STYLE,
    BLACK,
    FONT,
    NO_VALUE_COLOUR,
    UNIT_SUFFIXES,
    vocabulary,
)
from .values import AreaValue

# Map


def region_features(geojson: Mapping, codes: Iterable[str]) -> dict:
    """The GeoJSON FeatureCollection with only the municipalities in `codes` (property kommunekode)."""
    wanted = set(codes)
    return {
        "type": "FeatureCollection",
        "features": [f for f in geojson.get("features", []) if f["properties"].get("kommunekode") in wanted],
    }


def simplify_geojson(geojson: Mapping, tolerance: float) -> dict:
    """The features with every ring simplified (Douglas-Peucker, `tolerance` in degrees), as MultiPolygons.

    Boundaries at 1:500.000 carry far more points than a map a few hundred pixels wide can show; 0.002 degrees
    (100-200 m) cuts the file to a third without a visible change. Rings that collapse are dropped, but never a
    municipality's last one.
    """
    features = []
    for feature in geojson.get("features", []):
        geometry = feature.get("geometry") or {}
        if geometry.get("type") == "Polygon":
            polygons = [geometry["coordinates"]]
        elif geometry.get("type") == "MultiPolygon":
            polygons = geometry["coordinates"]
        else:
            features.append(feature)
            continue
        simplified = []
        for polygon in polygons:
            rings = [_simplify_ring(ring, tolerance) for ring in polygon]
            if len(rings[0]) >= 4:
                simplified.append([ring for ring in rings if len(ring) >= 4])
        if not simplified:
            simplified = polygons
        features.append({**feature, "geometry": {"type": "MultiPolygon", "coordinates": simplified}})
    return {**geojson, "features": features}


def _simplify_ring(points: Sequence[Sequence[float]], tolerance: float) -> list:
    if len(points) < 5:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = points[first][:2], points[last][:2]
        dx, dy = x2 - x1, y2 - y1
        length = math.hypot(dx, dy)
        farthest, index = 0.0, None
        for i in range(first + 1, last):
            x, y = points[i][:2]
            if length:
                distance = abs(dy * x - dx * y + x2 * y1 - y2 * x1) / length
            else:
                distance = math.hypot(x - x1, y - y1)
            if distance > farthest:
                farthest, index = distance, i
        if index is not None and farthest > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [point for point, kept in zip(points, keep, strict=True) if kept]


def map_figure(
    values_by_municipality_code: Mapping[str, AreaValue],
    geojson: Mapping,
    *,
    unit: str,
    mode: str = "value",
    title: str = "",
    geojson_url: str | None = None,
    highlight: str | None = None,
    profile_url: str | None = None,
) -> dict:
    """The municipalities in `values_by_municipality_code` (every one of the region's, with or without a value),
    drawn from `geojson` without map tiles, coloured by value or by a category.

    mode "value": a sequential colour scale, municipalities without a value in light grey.
    mode "status" or "benchmark": one trace per status (benchmark result) with its colour in the legend, and the
    status icon written on each municipality, so the map is not read by colour alone.

    The `highlight` municipality (the page's area) gets a thick outline and a legend entry of its own. With
    `profile_url` ("/omraader/{code}/") each municipality carries its profile, which a click opens.

    With `geojson_url` the traces name that URL (the same boundaries as a file plotly.js fetches once and the
    browser caches) instead of carrying the boundaries in every page.
    """
    features = region_features(geojson, values_by_municipality_code)
    by_code = {f["properties"]["kommunekode"]: f for f in features["features"]}
    rows = [r for code, r in values_by_municipality_code.items() if code in by_code]
    traces = []
    if mode == "value":
        with_value = [r for r in rows if r.value is not None]
        if with_value:
            traces.append(
                {
                    **_choropleth(with_value, by_code),
                    "name": unit_label(unit),
                    "z": [r.value for r in with_value],
                    "text": [
                        _hover(r.name, r.value, r.ci_low, r.ci_high, unit, r.is_sample) for r in with_value
                    ],
                    # Darker is more, whichever direction is good: the legend and status say which is better.
                    # The lightest blue is still clearly blue, so the lowest value never reads as the grey
                    # of "no data".
                    "colorscale": VALUE_SCALE,
                    "showscale": True,
                    "colorbar": {
                        "title": {"text": unit_label(unit)},
                        "ticksuffix": UNIT_SUFFIXES.get(unit, ""),
                        "thickness": 14,
                        "len": 0.8,
                    },
                    "marker": {"line": {"color": "#ffffff", "width": 1}},
                }
            )
        missing = [r for r in rows if r.value is None]
        if missing:
            traces.append(_uniform_trace(missing, by_code, NO_VALUE_COLOUR, _("Ingen data"), unit))
    else:
        if mode == "status":
            statuses = vocabulary()
            categories = [
                (s, statuses.status_colours[s], statuses.status_icons[s], status_label(s))
                for s in statuses.status_order
            ]
            key = "status"
        else:
            categories = [
                (b, BENCHMARK_STYLE[b][0], BENCHMARK_STYLE[b][2], benchmark_label(b)) for b in BENCHMARK_ORDER
            ]
            key = "benchmark"
        default = categories[-1][0]
        icons = []
        for code, colour, icon, label in categories:
            group = [r for r in rows if (getattr(r, key) or default) == code]
            if not group:
                continue
            traces.append(_uniform_trace(group, by_code, colour, f"{icon} {label}", unit, suffix=label))
            icons.extend((r, icon) for r in group)
        centres = {code: feature_centre(f) for code, f in by_code.items()}
        located = [(r, icon) for r, icon in icons if centres.get(r.code)]
        if located:
            traces.append(
                {
                    "type": "scattergeo",
                    "name": _("Symboler"),
                    "lon": [centres[r.code][0] for r, _icon in located],
                    "lat": [centres[r.code][1] for r, _icon in located],
                    "text": [icon for _r, icon in located],
                    "mode": "text",
                    "textfont": {"size": 14, "color": BLACK, "family": FONT},
                    "hoverinfo": "skip",
                    "showlegend": False,
                }
            )
    chosen = [r for r in rows if r.code == highlight]
    if chosen:
        traces.append(_outline_trace(chosen[0], by_code, unit))
    if profile_url:
        for trace in traces:
            if trace.get("type") == "choropleth":
                trace["customdata"] = [profile_url.format(code=code) for code in trace["locations"]]
    layout = _layout(
        title,
        geo={
            "visible": False,
            "fitbounds": "locations",
            "scope": "world",
            "resolution": 110,
            "projection": {"type": "mercator"},
            "bgcolor": "#ffffff",
        },
        height=520,
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
        legend={"orientation": "v", "yanchor": "top", "y": 1, "x": 0, "bgcolor": "rgba(255,255,255,0.8)"},
    )
    if geojson_url:
        for trace in traces:
            if "geojson" in trace:
                trace["geojson"] = geojson_url
    return {"data": traces, "layout": layout}


# ColorBrewer's Blues from its third step: light, but never grey.
VALUE_SCALE = [[0.0, "#c6dbef"], [0.25, "#9ecae1"], [0.5, "#6baed6"], [0.75, "#2171b5"], [1.0, "#08306b"]]


def _outline_trace(row: AreaValue, by_code: Mapping[str, Mapping], unit: str) -> dict:
    """The chosen municipality drawn again on top: no fill, a thick dark outline, named in the legend."""
    return {
        **_choropleth([row], by_code),
        "name": _("Valgt: %(name)s") % {"name": row.name},
        "z": [1],
        "text": [_hover(row.name, row.value, row.ci_low, row.ci_high, unit, row.is_sample)],
        "colorscale": [[0, "rgba(0,0,0,0)"], [1, "rgba(0,0,0,0)"]],
        "marker": {"line": {"color": BLACK, "width": 3}},
        "showscale": False,
        "showlegend": True,
    }


def _choropleth(rows: Sequence[AreaValue], by_code: Mapping[str, Mapping]) -> dict:
    """A choropleth trace for `rows` carrying only their own boundaries, so no outline is sent twice."""
    return {
        "type": "choropleth",
        "geojson": {"type": "FeatureCollection", "features": [by_code[r.code] for r in rows]},
        "featureidkey": "properties.kommunekode",
        "locations": [r.code for r in rows],
        "hovertemplate": "%{text}<extra></extra>",
    }


def _uniform_trace(
    rows: Sequence[AreaValue],
    by_code: Mapping[str, Mapping],
    colour: str,
    name: str,
    unit: str,
    suffix: str = "",
) -> dict:
    """A choropleth of one colour, shown in the legend (a one-colour scale has no colour bar to explain it)."""
    return {
        **_choropleth(rows, by_code),
        "name": name,
        "z": [1] * len(rows),
        "text": [
            _hover(r.name, r.value, r.ci_low, r.ci_high, unit, r.is_sample)
            + (f"<br>{suffix}" if suffix else "")
            for r in rows
        ],
        "colorscale": [[0, colour], [1, colour]],
        "marker": {"line": {"color": "#5a6470", "width": 0.8}},
        "showscale": False,
        "showlegend": True,
    }


def feature_centre(feature: Mapping) -> tuple[float, float] | None:
    """A point inside-ish a municipality for its label: the centroid of its largest polygon's outer ring."""
    geometry = feature.get("geometry") or {}
    if geometry.get("type") == "Polygon":
        rings = [geometry["coordinates"][0]]
    elif geometry.get("type") == "MultiPolygon":
        rings = [polygon[0] for polygon in geometry["coordinates"]]
    else:
        return None
    best = None
    for ring in rings:
        area, cx, cy = _ring_centroid(ring)
        if best is None or abs(area) > abs(best[0]):
            best = (area, cx, cy)
    if best is None or best[0] == 0:
        return None
    return (round(best[1], 4), round(best[2], 4))


def _ring_centroid(ring: Sequence[Sequence[float]]) -> tuple[float, float, float]:
    area = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:], strict=False):
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if math.isclose(area, 0.0):
        return 0.0, 0.0, 0.0
    return area / 2, cx / (3 * area), cy / (3 * area)
