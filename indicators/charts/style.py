"""Colours, symbols and icons shared by every chart (Okabe-Ito, which colour-blind readers tell apart), and
the words and icons of statuses and comparison results, which are the status method's (`Vocabulary`)."""

from collections.abc import Mapping
from dataclasses import dataclass, field

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
# Keyed by Indicator.Unit. The one copy: the status method (goals.progress) accepts exactly these units.
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
NO_VALUE_COLOUR = "#E6E9ED"


@dataclass(frozen=True)
class Vocabulary:
    """How statuses and comparison results are named and drawn. They are goals.progress's, handed over once
    by `configure` (from GoalsConfig.ready), because indicators does not import goals
    (docs/adr/0001-goals-indicators.md)."""

    status_order: tuple[str, ...] = ()  # legends, best first; the last stands for a value without a status
    status_labels: Mapping[str, str] = field(default_factory=dict)
    status_icons: Mapping[str, str] = field(default_factory=dict)
    status_colours: Mapping[str, str] = field(default_factory=dict)
    comparison_labels: Mapping[str, str] = field(default_factory=dict)


_vocabulary = Vocabulary()


def configure(vocabulary: Vocabulary) -> None:
    global _vocabulary
    _vocabulary = vocabulary


def vocabulary() -> Vocabulary:
    return _vocabulary
