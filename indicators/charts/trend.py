"""One area's values over time with its 95 % CI, baseline, target and comparisons."""

from collections.abc import Sequence

from django.utils.translation import gettext as _

from .format import _hover, _layout, _value_axis, format_value
from .style import BLACK, BLUE, GREEN, GREY, ORANGE, SKY
from .values import Series

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
