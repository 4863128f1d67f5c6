"""A spine chart for the area profile (Fingertips' "spine"), drawn as inline SVG: no JavaScript, prints as drawn.

One row per follow-up: a light bar spans the comparison areas' values (lowest to highest), a darker bar their
middle half (25th to 75th percentile), a solid line marks the benchmark (the region, or the whole country for a
region), a dashed line the whole country, and a dot with a whisker the area's value and 95 % CI. Better is always
to the right, so a row reads the same whatever the indicator's polarity; the dot's colour and shape repeat the
comparison with the benchmark (never colour alone: the table beside it says it in words).

The text alternative is `Spine.label`, the SVG's accessible name; the table row holds the same numbers.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .format import format_ci, format_value
from .style import BENCHMARK_STYLE, BLACK, NOT_COMPARED

WIDTH, HEIGHT, PADDING = 160, 26, 6


@dataclass(frozen=True)
class Spine:
    """What is drawn, in SVG x coordinates, and the text alternative."""

    area_x: float
    ci_x: tuple[float, float] | None
    benchmark_x: float | None
    country_x: float | None
    range_x: tuple[float, float] | None
    middle_x: tuple[float, float] | None
    comparison: str
    label: str
    width: int = WIDTH
    height: int = HEIGHT

    @property
    def svg(self) -> SafeString:
        mid = self.height / 2
        parts = [
            f'<line x1="{PADDING}" y1="{mid:g}" x2="{self.width - PADDING}" y2="{mid:g}" stroke="#d0d6de"/>'
        ]
        if self.range_x:
            low, high = self.range_x
            parts.append(
                f'<rect x="{low:g}" y="{mid - 6:g}" width="{max(high - low, 1):g}" height="12" fill="#e6e9ed"/>'
            )
        if self.middle_x:
            low, high = self.middle_x
            parts.append(
                f'<rect x="{low:g}" y="{mid - 6:g}" width="{max(high - low, 1):g}" height="12" fill="#b8c0ca"/>'
            )
        if self.country_x is not None:
            parts.append(
                f'<line x1="{self.country_x:g}" y1="2" x2="{self.country_x:g}" y2="{self.height - 2}" '
                f'stroke="{BLACK}" stroke-width="1.5" stroke-dasharray="2 2"/>'
            )
        if self.benchmark_x is not None:
            parts.append(
                f'<line x1="{self.benchmark_x:g}" y1="1" x2="{self.benchmark_x:g}" y2="{self.height - 1}" '
                f'stroke="{BLACK}" stroke-width="2"/>'
            )
        if self.ci_x:
            low, high = self.ci_x
            parts.append(
                f'<line x1="{low:g}" y1="{mid:g}" x2="{high:g}" y2="{mid:g}" stroke="{BLACK}" stroke-width="1.5"/>'
            )
        colour, symbol, _icon = BENCHMARK_STYLE.get(self.comparison, BENCHMARK_STYLE[NOT_COMPARED])
        x = self.area_x
        if symbol == "diamond":
            marker = f'<path d="M{x:g} {mid - 6:g}L{x + 6:g} {mid:g}L{x:g} {mid + 6:g}L{x - 6:g} {mid:g}Z"'
        elif symbol == "square":
            marker = f'<rect x="{x - 5:g}" y="{mid - 5:g}" width="10" height="10"'
        else:
            marker = f'<circle cx="{x:g}" cy="{mid:g}" r="5.5"'
        fill = "#fff" if self.comparison == NOT_COMPARED else colour
        parts.append(f'{marker} fill="{fill}" stroke="{BLACK}" stroke-width="1"/>')
        return mark_safe(
            f'<svg class="spine" viewBox="0 0 {self.width} {self.height}" width="{self.width}" '
            f'height="{self.height}" role="img" aria-label="{escape(self.label)}" focusable="false">'
            + "".join(parts)
            + "</svg>"
        )


def spine(
    *,
    value: float | None,
    ci_low: float | None,
    ci_high: float | None,
    polarity: int,
    unit: str,
    comparison: str,
    area_name: str,
    benchmark: tuple[str, float | None] | None = None,
    country: tuple[str, float | None] | None = None,
    peers: Sequence[float] = (),
    peers_name: str = "",
    width: int = WIDTH,
    height: int = HEIGHT,
) -> Spine | None:
    """The spine for one area and follow-up; None without the area's value.

    `benchmark` and `country` are (name, value); `peers` the values of the areas the range bars span
    (named `peers_name` in the text alternative).
    """
    if value is None:
        return None
    peers = sorted(v for v in peers if v is not None)
    others = [v for v in (ci_low, ci_high) if v is not None]
    others += [v for _name, v in (benchmark or (None, None), country or (None, None)) if v is not None]
    everything = [value, *others, *peers]
    low, high = min(everything), max(everything)
    span = high - low or abs(high) or 1.0
    low, high = low - span * 0.05, high + span * 0.05
    inner = width - 2 * PADDING

    def x(v: float) -> float:
        share = (v - low) / (high - low)
        # Better to the right: lower is better turns the axis round.
        return round(PADDING + inner * (share if polarity > 0 else 1 - share), 1)

    def pair(a: float, b: float) -> tuple[float, float]:
        return tuple(sorted((x(a), x(b))))

    parts = [f"{area_name}: {format_value(value, unit)}"]
    ci = format_ci(ci_low, ci_high, unit)
    if ci:
        parts[0] += f" ({ci})"
    for name_value in (benchmark, country):
        if name_value and name_value[1] is not None:
            parts.append(f"{name_value[0]}: {format_value(name_value[1], unit)}")
    if peers:
        parts.append(
            _("%(areas)s fra %(low)s til %(high)s")
            % {
                "areas": peers_name,
                "low": format_value(peers[0], unit),
                "high": format_value(peers[-1], unit),
            }
        )
    parts.append(_("bedre mod højre"))
    return Spine(
        area_x=x(value),
        ci_x=pair(ci_low, ci_high) if ci_low is not None and ci_high is not None else None,
        benchmark_x=x(benchmark[1]) if benchmark and benchmark[1] is not None else None,
        country_x=x(country[1]) if country and country[1] is not None else None,
        range_x=pair(peers[0], peers[-1]) if len(peers) > 1 else None,
        middle_x=pair(_quantile(peers, 0.25), _quantile(peers, 0.75)) if len(peers) > 3 else None,
        comparison=comparison or NOT_COMPARED,
        label="; ".join(parts),
        width=width,
        height=height,
    )


def _quantile(values: Sequence[float], q: float) -> float:
    """Linear interpolation between the closest ranks (numpy's default), on sorted values."""
    position = (len(values) - 1) * q
    below = int(position)
    above = min(below + 1, len(values) - 1)
    return values[below] + (values[above] - values[below]) * (position - below)
