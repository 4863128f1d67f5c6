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

from .contract import evaluate_from_json
from .core import (
    ABSOLUTE,
    ACHIEVED,
    BEHIND,
    BETTER,
    DIRECTION,
    ESTIMATED,
    IMPROVING,
    NO_CHANGE,
    NO_DATA,
    NOT_COMPARED,
    ON_TRACK,
    POINTS,
    RELATIVE,
    ROLLUP_RULE,
    SIMILAR,
    STATUS_LABELS,
    STATUS_ORDER,
    TARGET_KINDS,
    TEN_PERCENT,
    TEN_PERCENT_RULE,
    UNCERTAIN,
    UNIT_SUFFIXES,
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
from .method import cluster_value, compare_with_benchmark, evaluate, rollup

__all__ = [
    "ABSOLUTE",
    "ACHIEVED",
    "BEHIND",
    "BETTER",
    "DIRECTION",
    "ESTIMATED",
    "IMPROVING",
    "NO_CHANGE",
    "NO_DATA",
    "NOT_COMPARED",
    "ON_TRACK",
    "POINTS",
    "RELATIVE",
    "ROLLUP_RULE",
    "SIMILAR",
    "STATUS_LABELS",
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
    "TargetSpec",
    "cluster_value",
    "compare_with_benchmark",
    "evaluate",
    "evaluate_from_json",
    "in_danish",
    "rollup",
]
