"""Colours, symbols and icons shared by every chart (Okabe-Ito, which colour-blind readers tell apart)."""

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
