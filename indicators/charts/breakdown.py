"""One area's values by sex and by age group."""

from collections.abc import Sequence

from django.utils.translation import gettext as _

from .comparison import _down, _up
from .format import _hover, _layout, _value_axis, format_value
from .style import BLACK, BLUE, GREY, VERMILLION
from .values import GroupValue

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
