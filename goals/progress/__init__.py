"""The status method (docs/status-method.md) as pure functions over plain values.

Pages, reports, the API and exports all call this package, so a measure gets the same status and the same
explanation everywhere. It uses no ORM and no request: callers load the data, this package decides. The
status labels and the roll-up rule are lazy translations of the method's Danish words (pages show them in
the reader's language, `in_danish` gives the Danish for the JSON contracts); the explanations are Danish,
the project's source language, built here so that every caller shows the same words.

`core`: the vocabulary (statuses, flags, target kinds, the plain values); `method`: a measure's status,
the roll-ups, the benchmark comparison and cluster values; `explain`: the Danish explanations;
`contract`: the `measure_status --json` contract.
"""

# Re-exported for callers of the method; the units belong to indicators (indicators/charts/style.py).
from indicators.charts.style import UNIT_SUFFIXES

from .contract import evaluate_from_json
from .core import (
    ABSOLUTE,
    ACHIEVED,
    BEHIND,
    BETTER,
    COMPARISON_ICONS,
    COMPARISON_LABELS,
    COMPARISON_SHORT_LABELS,
    DIRECTION,
    ESTIMATED,
    IMPROVING,
    METHOD_VERSION,
    NO_CHANGE,
    NO_DATA,
    NOT_COMPARED,
    ON_TRACK,
    POINTS,
    RELATIVE,
    ROLLUP_RULE,
    SIMILAR,
    STATUS_COLOURS,
    STATUS_ICONS,
    STATUS_LABELS,
    STATUS_LEGEND_ORDER,
    STATUS_ORDER,
    TARGET_KINDS,
    TEN_PERCENT,
    TEN_PERCENT_RULE,
    UNCERTAIN,
    WORSE,
    WORSENING,
    Z_95,
    Z_RULE,
    Evaluation,
    Point,
    Rollup,
    TargetSpec,
    in_danish,
)
from .method import SeriesEvaluation, cluster_value, compare_with_benchmark, evaluate, rollup

__all__ = [
    "ABSOLUTE",
    "ACHIEVED",
    "BEHIND",
    "BETTER",
    "COMPARISON_ICONS",
    "COMPARISON_LABELS",
    "COMPARISON_SHORT_LABELS",
    "DIRECTION",
    "ESTIMATED",
    "IMPROVING",
    "METHOD_VERSION",
    "NO_CHANGE",
    "NO_DATA",
    "NOT_COMPARED",
    "ON_TRACK",
    "POINTS",
    "RELATIVE",
    "ROLLUP_RULE",
    "SIMILAR",
    "STATUS_COLOURS",
    "STATUS_ICONS",
    "STATUS_LABELS",
    "STATUS_LEGEND_ORDER",
    "STATUS_ORDER",
    "TARGET_KINDS",
    "TEN_PERCENT",
    "TEN_PERCENT_RULE",
    "UNCERTAIN",
    "UNIT_SUFFIXES",
    "WORSE",
    "WORSENING",
    "Z_95",
    "Z_RULE",
    "Evaluation",
    "Point",
    "Rollup",
    "SeriesEvaluation",
    "TargetSpec",
    "cluster_value",
    "compare_with_benchmark",
    "evaluate",
    "evaluate_from_json",
    "in_danish",
    "rollup",
]
