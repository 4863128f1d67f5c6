"""Numbers and labels as the tables and charts show them (in the reader's notation), and the layout
every Plotly figure shares."""

from decimal import ROUND_HALF_UP, Decimal

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .style import BLACK, FONT, UNIT_SUFFIXES, vocabulary

# Formatting, shared with the tables and downloads so that a number reads the same everywhere.


def format_number(x: float | None, decimals: int = 1) -> str:
    """In the reader's notation (Django's formats: 1.234,5 in Danish, 1,234.5 in English), halves rounded
    up as readers expect; "–" for a missing value."""
    if x is None:
        return "–"
    exact = Decimal(f"{x:.9f}").quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return formats.number_format(exact, decimals, use_l10n=True, force_grouping=True)


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


def unit_label(unit: str) -> str:
    return str(_UNIT_LABELS.get(unit, ""))


def benchmark_label(result: str) -> str:
    return str(vocabulary().comparison_labels[result])


def status_label(status: str) -> str:
    return str(vocabulary().status_labels[status])


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


# The chart toolbar (Plotly's modebar) sits in the top right corner and is about this high. Titles start
# below it, so the toolbar never covers a title, however narrow the screen.
MODEBAR_HEIGHT = 32
TITLE_LINE = 21
TITLE_WRAP = 42


def _wrap_title(title: str) -> list[str]:
    """The title in lines of at most TITLE_WRAP characters (Plotly never wraps a title: on a phone it would
    run out of the chart)."""
    lines, current = [], ""
    for word in title.split():
        if current and len(current) + 1 + len(word) > TITLE_WRAP:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    if current:
        lines.append(current)
    return lines


def _layout(title: str, **extra) -> dict:
    lines = _wrap_title(title)
    title_height = MODEBAR_HEIGHT + TITLE_LINE * len(lines) + 8 if lines else 0
    layout = {
        "title": {
            "text": "<br>".join(lines),
            "font": {"size": 16},
            "x": 0,
            "xanchor": "left",
            "xref": "paper",
            "y": 1,
            "yref": "container",
            "yanchor": "top",
            "pad": {"t": MODEBAR_HEIGHT},
        },
        # Plotly's axis notation: the decimal separator, then the thousands separator.
        "separators": formats.get_format("DECIMAL_SEPARATOR") + formats.get_format("THOUSAND_SEPARATOR"),
        "font": {"family": FONT, "size": 13, "color": BLACK},
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "margin": {"l": 60, "r": 20, "t": 50, "b": 60},
        "hoverlabel": {"font": {"family": FONT}},
        "legend": {"orientation": "h", "yanchor": "top", "y": -0.15, "x": 0},
    }
    layout.update(extra)
    # The plot starts below the title (and the toolbar above it), whatever top margin the figure asked for.
    layout["margin"] = {**layout["margin"], "t": max(layout["margin"].get("t", 0), title_height + 10)}
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
