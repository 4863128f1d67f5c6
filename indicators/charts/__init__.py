"""Plotly figures for indicator values, as pure functions from plain values to JSON-ready dicts.

No ORM, no request: selectors load the numbers, these functions decide how they are drawn, and
`static/js/charts.js` hands the dicts to plotly.js unchanged. Figures are plain dicts rather than
plotly.graph_objects, because validating a graph object costs milliseconds a page does not have.

Conventions every figure follows:
- Numbers in the reader's notation: `layout.separators` is ",." in Danish (".," in English) for axes, and
  hover texts are formatted here ("16,3 %").
- Colours from the Okabe-Ito palette, which colour-blind readers tell apart, and never colour alone:
  each benchmark result and status also has its own marker symbol or icon and a legend entry.
- The table under each chart on the page is the text alternative; hover texts repeat its numbers.

One module per kind of chart (`trend`, `comparison`, `map`, `breakdown`, `sparkline`, `spine`), the values they take
(`values`), Danish formatting and the shared layout (`format`) and the palette (`style`). Callers use the
package: `from indicators import charts; charts.trend_figure(...)`.
"""

from .breakdown import breakdown_figure
from .comparison import comparison_figure
from .format import benchmark_label, format_ci, format_number, format_value, status_label, unit_label
from .map import feature_centre, map_figure, region_features, simplify_geojson
from .sparkline import Sparkline, sparkline
from .spine import Spine, spine
from .style import (
    BENCHMARK_ORDER,
    BENCHMARK_STYLE,
    BETTER,
    BLACK,
    BLUE,
    FONT,
    GREEN,
    GREY,
    LIGHT_GREY,
    NO_VALUE_COLOUR,
    NOT_COMPARED,
    ORANGE,
    SIMILAR,
    SKY,
    UNIT_SUFFIXES,
    VERMILLION,
    WORSE,
    Vocabulary,
    configure,
)
from .trend import trend_figure
from .values import AreaValue, GroupValue, Series, Value

__all__ = [
    "BENCHMARK_ORDER",
    "BENCHMARK_STYLE",
    "BETTER",
    "BLACK",
    "BLUE",
    "FONT",
    "GREEN",
    "GREY",
    "LIGHT_GREY",
    "NOT_COMPARED",
    "NO_VALUE_COLOUR",
    "ORANGE",
    "SIMILAR",
    "SKY",
    "UNIT_SUFFIXES",
    "VERMILLION",
    "WORSE",
    "AreaValue",
    "GroupValue",
    "Series",
    "Sparkline",
    "Spine",
    "Value",
    "Vocabulary",
    "benchmark_label",
    "breakdown_figure",
    "comparison_figure",
    "configure",
    "feature_centre",
    "format_ci",
    "format_number",
    "format_value",
    "map_figure",
    "region_features",
    "simplify_geojson",
    "sparkline",
    "spine",
    "status_label",
    "trend_figure",
    "unit_label",
]
