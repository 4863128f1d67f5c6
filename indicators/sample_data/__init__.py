"""Sample data ("eksempeldata") shaped like Sundhedsprofilen: pure, deterministic, no ORM.

`generator.sample_rows` builds the rows; `profiles.PROFILES` holds each indicator's national shape. See
`generator.py` for how a value comes about.
"""

from .generator import (
    AGE_GROUPS,
    FULL_BREAKDOWNS,
    SEXES,
    SMALL_BREAKDOWNS,
    SURVEY_ROUNDS,
    TOTAL,
    AreaSpec,
    Breakdown,
    IndicatorSpec,
    SampleRow,
    sample_rows,
)
from .profiles import PROFILES

__all__ = [
    "AGE_GROUPS",
    "FULL_BREAKDOWNS",
    "PROFILES",
    "SEXES",
    "SMALL_BREAKDOWNS",
    "SURVEY_ROUNDS",
    "TOTAL",
    "AreaSpec",
    "Breakdown",
    "IndicatorSpec",
    "SampleRow",
    "sample_rows",
]
