"""Plotly figures for indicator values, as pure functions from plain values to JSON-ready dicts.

No ORM, no request: selectors load the numbers, these functions decide how they are drawn, and
`static/js/charts.js` hands the dicts to plotly.js unchanged. Figures are plain dicts rather than
plotly.graph_objects, because validating a graph object costs milliseconds a page does not have.

Conventions every figure follows:
- Danish numbers: `layout.separators` is ",." for axes, and hover texts are formatted here ("16,3 %").
- Colours from the Okabe-Ito palette, which colour-blind readers tell apart, and never colour alone:
  each benchmark result and status also has its own marker symbol or icon and a legend entry.
- The table under each chart on the page is the text alternative; hover texts repeat its numbers.
"""

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Okabe-Ito.
BLUE = "#0072B2"
ORANGE = "#E69F00"
VERMILLION = "#D55E00"
GREEN = "#009E73"
SKY = "#56B4E9"
GREY = "#6E6E6E"
LIGHT_GREY = "#B8C0CA"
BLACK = "#1B1F24"

FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif'
UNIT_SUFFIXES = {"percent": " %", "years": " år", "per_1000": " pr. 1.000", "count": ""}

BETTER, SIMILAR, WORSE, NOT_COMPARED = "better", "similar", "worse", "not_compared"
BENCHMARK_ORDER = (BETTER, SIMILAR, WORSE, NOT_COMPARED)
# result -> (colour, marker symbol, map icon)
BENCHMARK_STYLE = {
    BETTER: (BLUE, "circle", "+"),
    SIMILAR: (GREY, "square", "="),
    WORSE: (VERMILLION, "diamond", "−"),
    NOT_COMPARED: (LIGHT_GREY, "circle-open", "?"),
}
# The statuses of goals.progress, with the icons of templates/goals/includes/status_badge.html.
STATUS_ORDER = ("achieved", "on_track", "improving", "behind", "no_change", "worsening", "no_data")
STATUS_STYLE = {
    "achieved": ("#0B5394", "✓"),
    "on_track": (GREEN, "↗"),
    "improving": (GREEN, "↗"),
    "behind": (ORANGE, "→"),
    "no_change": ("#8A94A0", "≈"),
    "worsening": (VERMILLION, "↘"),
    "no_data": ("#FFFFFF", "?"),
}
NO_VALUE_COLOUR = "#E6E9ED"


class _Texts:
    """The value and its CI as the tables show them ("16,3", "15,1–17,6"): the same rounding as the charts."""

    value: float | None
    ci_low: float | None
    ci_high: float | None

    @property
    def value_text(self) -> str:
        return format_number(self.value)

    @property
    def ci_text(self) -> str:
        if self.ci_low is None or self.ci_high is None:
            return ""
        return f"{format_number(self.ci_low)}–{format_number(self.ci_high)}"


@dataclass(frozen=True)
class Value(_Texts):
    """One value in one year, with its 95 % CI when published."""

    year: int
    value: float | None
    ci_low: float | None = None
    ci_high: float | None = None
    is_sample: bool = False

    @property
    def has_ci(self) -> bool:
        return self.value is not None and self.ci_low is not None and self.ci_high is not None


@dataclass(frozen=True)
class Series:
    """One area's values over the years, oldest first."""

    name: str
    points: tuple[Value, ...]

    @property
    def is_sample(self) -> bool:
        return any(p.is_sample for p in self.points)


@dataclass(frozen=True)
class AreaValue(_Texts):
    """One area's value in one year, with its benchmark result and stored status (codes)."""

    code: str
    name: str
    value: float | None
    ci_low: float | None = None
    ci_high: float | None = None
    benchmark: str = NOT_COMPARED
    status: str = ""
    is_sample: bool = False

    @property
    def benchmark_label(self) -> str:
        return benchmark_label(self.benchmark or NOT_COMPARED)

    @property
    def benchmark_icon(self) -> str:
        return BENCHMARK_STYLE[self.benchmark or NOT_COMPARED][2]

    @property
    def status_label(self) -> str:
        return status_label(self.status) if self.status else ""


@dataclass(frozen=True)
class GroupValue(_Texts):
    """One breakdown group's value (a sex or an age group) with its CI."""

    label: str
    value: float | None
    ci_low: float | None = None
    ci_high: float | None = None
    is_sample: bool = False


# Formatting, shared with the tables and downloads so that a number reads the same everywhere.


def format_number(x: float | None, decimals: int = 1) -> str:
    """Danish notation (1.234,5), halves rounded up as readers expect; "–" for a missing value."""
    if x is None:
        return "–"
    exact = Decimal(f"{x:.9f}").quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return f"{exact:,.{decimals}f}".replace(",", " ").replace(".", ",").replace(" ", ".")


def format_value(x: float | None, unit: str, decimals: int = 1) -> str:
    """ "16,3 %", "81,2 år"."""
    if x is None:
        return _("ingen data")
    return format_number(x, decimals) + UNIT_SUFFIXES.get(unit, "")


def format_ci(low: float | None, high: float | None, unit: str) -> str:
    """ "15,1–17,6 %", or "" when the source publishes no CI."""
    if low is None or high is None:
        return ""
    return f"{format_number(low)}–{format_number(high)}{UNIT_SUFFIXES.get(unit, '')}"


_UNIT_LABELS = {
    "percent": gettext_lazy("Andel (%)"),
    "years": gettext_lazy("År"),
    "per_1000": gettext_lazy("Pr. 1.000 indbyggere"),
    "count": gettext_lazy("Antal"),
}
_BENCHMARK_LABELS = {
    BETTER: gettext_lazy("Bedre end sammenligningsområdet"),
    SIMILAR: gettext_lazy("På niveau med sammenligningsområdet"),
    WORSE: gettext_lazy("Dårligere end sammenligningsområdet"),
    NOT_COMPARED: gettext_lazy("Ikke sammenlignet"),
}
_STATUS_LABELS = {
    "no_data": gettext_lazy("Mangler data"),
    "achieved": gettext_lazy("Mål nået"),
    "on_track": gettext_lazy("På rette vej"),
    "behind": gettext_lazy("Fremgang, men for langsomt"),
    "improving": gettext_lazy("Udvikling i ønsket retning"),
    "no_change": gettext_lazy("Ingen sikker ændring"),
    "worsening": gettext_lazy("Forværring"),
}


def unit_label(unit: str) -> str:
    return str(_UNIT_LABELS.get(unit, ""))


def benchmark_label(result: str) -> str:
    return str(_BENCHMARK_LABELS[result])


def status_label(status: str) -> str:
    return str(_STATUS_LABELS[status])


def _hover(name: str, value: float | None, low: float | None, high: float | None, unit: str, sample: bool):
    text = f"{name}: {format_value(value, unit)}"
    ci = format_ci(low, high, unit)
    if ci:
        text += f"<br>{_CI_LABEL}: {ci}"
    if sample:
        text += f"<br>({_SAMPLE_LABEL})"
    return text


# Lazy, so they are translated into the language of the request that draws the chart.
_CI_LABEL = gettext_lazy("95 %-konfidensinterval")
_SAMPLE_LABEL = gettext_lazy("eksempeldata")


def _layout(title: str, **extra) -> dict:
    layout = {
        "title": {"text": title, "font": {"size": 16}, "x": 0, "xanchor": "left"},
        "separators": ",.",
        "font": {"family": FONT, "size": 13, "color": BLACK},
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "margin": {"l": 60, "r": 20, "t": 50, "b": 60},
        "hoverlabel": {"font": {"family": FONT}},
        "legend": {"orientation": "h", "yanchor": "top", "y": -0.15, "x": 0},
    }
    layout.update(extra)
    return layout


def _value_axis(unit: str, **extra) -> dict:
    axis = {
        "title": {"text": unit_label(unit)},
        "gridcolor": "#e3e7ec",
        "zeroline": False,
        "hoverformat": ",.1f",
    }
    if unit == "percent":
        axis["ticksuffix"] = " %"
    axis.update(extra)
    return axis


# Trend


def trend_figure(
    series: Series,
    *,
    unit: str,
    baseline: tuple[int, float] | None,
    target: tuple[int, float] | None,
    comparisons: Sequence[Series] = (),
    title: str | None = None,
) -> dict:
    """The area's values with their 95 % CI band, the comparison series dashed, the baseline and target
    marked, and the straight line from baseline to target that the status method measures progress against.

    `baseline` and `target` are (year, value); `target` is None for a direction-only measure.
    """
    points = [p for p in series.points if p.value is not None]
    traces = []
    band = [p for p in points if p.has_ci]
    if band:
        traces.append(
            {
                "type": "scatter",
                "name": _("95 %-konfidensinterval"),
                "x": [p.year for p in band] + [p.year for p in reversed(band)],
                "y": [p.ci_high for p in band] + [p.ci_low for p in reversed(band)],
                "fill": "toself",
                "fillcolor": "rgba(0, 114, 178, 0.18)",
                "line": {"width": 0, "color": "rgba(0, 114, 178, 0)"},
                "mode": "lines",
                "hoverinfo": "skip",
                "legendgroup": "area",
                "legendrank": 2,
            }
        )
    traces.append(
        {
            "type": "scatter",
            "name": series.name,
            "x": [p.year for p in points],
            "y": [p.value for p in points],
            "mode": "lines+markers",
            "line": {"color": BLUE, "width": 3},
            "marker": {"color": BLUE, "size": 8, "symbol": "circle"},
            "text": [
                _hover(f"{series.name} {p.year}", p.value, p.ci_low, p.ci_high, unit, p.is_sample)
                for p in points
            ],
            "hovertemplate": "%{text}<extra></extra>",
            "legendgroup": "area",
            "legendrank": 1,
        }
    )
    styles = [(ORANGE, "dash", "square"), (GREY, "dot", "diamond"), (SKY, "dashdot", "triangle-up")]
    for comparison, (colour, dash, symbol) in zip(comparisons, styles, strict=False):
        shown = [p for p in comparison.points if p.value is not None]
        traces.append(
            {
                "type": "scatter",
                "name": comparison.name,
                "x": [p.year for p in shown],
                "y": [p.value for p in shown],
                "mode": "lines+markers",
                "line": {"color": colour, "width": 2, "dash": dash},
                "marker": {"color": colour, "size": 7, "symbol": symbol},
                "text": [
                    _hover(f"{comparison.name} {p.year}", p.value, p.ci_low, p.ci_high, unit, p.is_sample)
                    for p in shown
                ],
                "hovertemplate": "%{text}<extra></extra>",
            }
        )
    if baseline is not None and target is not None:
        traces.append(
            {
                "type": "scatter",
                "name": _("Lige linje fra udgangspunkt til mål"),
                "x": [baseline[0], target[0]],
                "y": [baseline[1], target[1]],
                "mode": "lines",
                "line": {"color": GREEN, "width": 2, "dash": "dot"},
                "hoverinfo": "skip",
            }
        )
    if baseline is not None:
        traces.append(
            {
                "type": "scatter",
                "name": _("Udgangspunkt (%(year)s)") % {"year": baseline[0]},
                "x": [baseline[0]],
                "y": [baseline[1]],
                "mode": "markers",
                "marker": {
                    "symbol": "diamond-open",
                    "size": 16,
                    "color": BLACK,
                    "line": {"width": 2, "color": BLACK},
                },
                "text": [f"{_('Udgangspunkt')} {baseline[0]}: {format_value(baseline[1], unit)}"],
                "hovertemplate": "%{text}<extra></extra>",
            }
        )
    if target is not None:
        label = _("Mål: %(value)s i %(year)s") % {"value": format_value(target[1], unit), "year": target[0]}
        traces.append(
            {
                "type": "scatter",
                "name": label,
                "x": [target[0]],
                "y": [target[1]],
                "mode": "markers",
                "marker": {
                    "symbol": "star",
                    "size": 16,
                    "color": GREEN,
                    "line": {"width": 1, "color": BLACK},
                },
                "text": [label],
                "hovertemplate": "%{text}<extra></extra>",
            }
        )
    years = sorted({x for trace in traces for x in trace["x"]})
    layout = _layout(
        title or series.name,
        xaxis={
            "title": {"text": _("År")},
            "tickvals": years,
            "tickformat": "d",
            "showgrid": False,
        },
        yaxis=_value_axis(unit),
        hovermode="closest",
        height=460,
        margin={"l": 60, "r": 20, "t": 50, "b": 40},
        legend={"orientation": "h", "yanchor": "top", "y": -0.32, "x": 0},
    )
    if years:
        layout["xaxis"]["range"] = [years[0] - 0.5, years[-1] + 0.5]
    return {"data": traces, "layout": layout}


# Comparison of areas


def comparison_figure(
    rows: Sequence[AreaValue],
    *,
    unit: str,
    benchmark_value: float | None,
    benchmark_name: str = "",
    title: str = "",
    highlight: str | None = None,
) -> dict:
    """Areas as dots with 95 % CI whiskers, one trace per benchmark result so the legend names each result,
    and each result with its own marker symbol as well as its colour. The benchmark is a vertical line.

    Areas are ordered by value (highest at the top); areas without a value are left out (the table lists them).
    """
    shown = sorted((r for r in rows if r.value is not None), key=lambda r: (r.value, r.name))
    order = [r.name for r in shown]
    traces = []
    for result in BENCHMARK_ORDER:
        group = [r for r in shown if (r.benchmark or NOT_COMPARED) == result]
        if not group:
            continue
        colour, symbol, _icon = BENCHMARK_STYLE[result]
        label = benchmark_label(result)
        traces.append(
            {
                "type": "scatter",
                "name": label,
                "x": [r.value for r in group],
                "y": [r.name for r in group],
                "mode": "markers",
                "marker": {
                    "color": colour,
                    "symbol": symbol,
                    "size": [14 if r.code == highlight else 10 for r in group],
                    "line": {"width": [2 if r.code == highlight else 1 for r in group], "color": BLACK},
                },
                "error_x": {
                    "type": "data",
                    "symmetric": False,
                    "array": [_up(r) for r in group],
                    "arrayminus": [_down(r) for r in group],
                    "color": colour if result != NOT_COMPARED else GREY,
                    "thickness": 1.5,
                    "width": 4,
                },
                "text": [
                    _hover(r.name, r.value, r.ci_low, r.ci_high, unit, r.is_sample) + f"<br>{label}"
                    for r in group
                ],
                "hovertemplate": "%{text}<extra></extra>",
            }
        )
    shapes = []
    if benchmark_value is not None and shown:
        shapes.append(
            {
                "type": "line",
                "xref": "x",
                "yref": "paper",
                "x0": benchmark_value,
                "x1": benchmark_value,
                "y0": 0,
                "y1": 1,
                "line": {"color": BLACK, "width": 1.5, "dash": "dash"},
                "name": f"{benchmark_name}: {format_value(benchmark_value, unit)}",
                "showlegend": True,
            }
        )
    layout = _layout(
        title,
        xaxis=_value_axis(unit),
        yaxis={"type": "category", "categoryorder": "array", "categoryarray": order, "automargin": True},
        shapes=shapes,
        hovermode="closest",
        height=max(260, 140 + 26 * len(shown)),
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0},
        margin={"l": 20, "r": 20, "t": 90, "b": 50},
    )
    return {"data": traces, "layout": layout}


def _up(row) -> float | None:
    return row.ci_high - row.value if row.ci_high is not None and row.value is not None else None


def _down(row) -> float | None:
    return row.value - row.ci_low if row.ci_low is not None and row.value is not None else None


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
) -> dict:
    """The municipalities in `values_by_municipality_code` (every one of the region's, with or without a value),
    drawn from `geojson` without map tiles, coloured by value or by a category.

    mode "value": a sequential colour scale, municipalities without a value in light grey.
    mode "status" or "benchmark": one trace per status (benchmark result) with its colour in the legend, and the
    status icon written on each municipality, so the map is not read by colour alone.
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
                    "colorscale": "Blues",
                    "reversescale": True,
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
            categories = [(s, *STATUS_STYLE[s], status_label(s)) for s in STATUS_ORDER]
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
    return {"data": traces, "layout": layout}


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


# Breakdowns


def breakdown_figure(
    by_sex: Sequence[GroupValue],
    by_age: Sequence[GroupValue],
    *,
    unit: str,
    total: float | None = None,
    total_name: str = "",
    title: str = "",
) -> dict:
    """Values by sex and by age group with 95 % CI whiskers, side by side on one axis, the total as a line."""
    traces = []
    for name, groups, colour, symbol in (
        (_("Køn"), by_sex, BLUE, "circle"),
        (_("Aldersgruppe"), by_age, VERMILLION, "diamond"),
    ):
        shown = [g for g in groups if g.value is not None]
        if not shown:
            continue
        traces.append(
            {
                "type": "scatter",
                "name": name,
                "x": [g.label for g in shown],
                "y": [g.value for g in shown],
                "mode": "markers",
                "marker": {
                    "color": colour,
                    "symbol": symbol,
                    "size": 11,
                    "line": {"width": 1, "color": BLACK},
                },
                "error_y": {
                    "type": "data",
                    "symmetric": False,
                    "array": [_up(g) for g in shown],
                    "arrayminus": [_down(g) for g in shown],
                    "color": colour,
                    "thickness": 1.5,
                    "width": 5,
                },
                "text": [_hover(g.label, g.value, g.ci_low, g.ci_high, unit, g.is_sample) for g in shown],
                "hovertemplate": "%{text}<extra></extra>",
            }
        )
    shapes = []
    if total is not None and traces:
        shapes.append(
            {
                "type": "line",
                "xref": "paper",
                "yref": "y",
                "x0": 0,
                "x1": 1,
                "y0": total,
                "y1": total,
                "line": {"color": GREY, "width": 1.5, "dash": "dash"},
                "name": f"{total_name or _('Alle')}: {format_value(total, unit)}",
                "showlegend": True,
            }
        )
    categories = [g.label for g in (*by_sex, *by_age) if g.value is not None]
    layout = _layout(
        title,
        xaxis={"type": "category", "categoryorder": "array", "categoryarray": categories, "showgrid": False},
        yaxis=_value_axis(unit),
        shapes=shapes,
        hovermode="closest",
        height=400,
    )
    return {"data": traces, "layout": layout}
