"""Areas side by side in one year, each with its 95 % CI and benchmark result."""

from collections.abc import Sequence

from django.utils.translation import gettext_lazy

from .format import _hover, _layout, _value_axis, benchmark_label, format_value
from .style import BENCHMARK_ORDER, BENCHMARK_STYLE, BLACK, GREY, NOT_COMPARED
from .values import AreaValue

# Comparison of areas

_PROFILE_HINT = gettext_lazy("Klik for at se områdets profil")


def comparison_figure(
    rows: Sequence[AreaValue],
    *,
    unit: str,
    benchmark_value: float | None,
    benchmark_name: str = "",
    title: str = "",
    highlight: str | None = None,
    profile_url: str | None = None,
) -> dict:
    """Areas as dots with 95 % CI whiskers, one trace per benchmark result so the legend names each result,
    and each result with its own marker symbol as well as its colour. The benchmark is a vertical line.

    Areas are ordered by value (highest at the top); areas without a value are left out (the table lists them).
    The `highlight` area (the one the page is about) has a larger marker and its name in bold with an arrow.
    With `profile_url` ("/omraader/{code}/") each point carries its area's profile, which a click opens
    (static/js/charts.js); the table under the chart links the same pages for the keyboard.
    """
    shown = sorted((r for r in rows if r.value is not None), key=lambda r: (r.value, r.name))

    def label(r) -> str:
        return f"<b>▶ {r.name}</b>" if r.code == highlight else r.name

    order = [r.name for r in shown]
    traces = []
    for result in BENCHMARK_ORDER:
        group = [r for r in shown if (r.benchmark or NOT_COMPARED) == result]
        if not group:
            continue
        colour, symbol, _icon = BENCHMARK_STYLE[result]
        result_label = benchmark_label(result)
        traces.append(
            {
                "type": "scatter",
                "name": result_label,
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
                    _hover(r.name, r.value, r.ci_low, r.ci_high, unit, r.is_sample)
                    + f"<br>{result_label}"
                    + (f"<br><i>{_PROFILE_HINT}</i>" if profile_url else "")
                    for r in group
                ],
                "hovertemplate": "%{text}<extra></extra>",
                **({"customdata": [profile_url.format(code=r.code) for r in group]} if profile_url else {}),
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
        yaxis={
            "type": "category",
            "categoryorder": "array",
            "categoryarray": order,
            "automargin": True,
            # The data keep the plain names; only the axis shows the chosen area in bold.
            "tickvals": order,
            "ticktext": [label(r) for r in shown],
        },
        shapes=shapes,
        hovermode="closest",
        height=max(260, 140 + 26 * len(shown)),
        # Below the plot: above it, a legend wrapping onto several lines on a phone would reach the title.
        legend={"orientation": "h", "yanchor": "top", "y": -0.12, "x": 0},
        margin={"l": 20, "r": 20, "t": 50, "b": 90},
    )
    return {"data": traces, "layout": layout}


def _up(row) -> float | None:
    return row.ci_high - row.value if row.ci_high is not None and row.value is not None else None


def _down(row) -> float | None:
    return row.value - row.ci_low if row.ci_low is not None and row.value is not None else None
