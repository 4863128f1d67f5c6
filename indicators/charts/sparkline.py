"""A small trend for the agreement overview, drawn as inline SVG: no JavaScript, tiny, prints as drawn.

The reader's text alternative is `Sparkline.label` ("Dagligrygning 2013: 18,5 %, 2017: 16,9 %, 2021: 15,0 %"),
the SVG's accessible name (role="img"); the numbers are the ones the tables show. The newest value is a dot.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .format import format_value
from .values import Value

WIDTH, HEIGHT, PADDING = 120, 32, 4


@dataclass(frozen=True)
class Sparkline:
    """The drawn points (SVG coordinates, oldest first), the values they stand for, and the text alternative."""

    points: tuple[tuple[float, float], ...]
    values: tuple[Value, ...]
    label: str
    is_sample: bool
    width: int = WIDTH
    height: int = HEIGHT

    @property
    def svg(self) -> SafeString:
        label = escape(self.label)
        coordinates = " ".join(f"{x:g},{y:g}" for x, y in self.points)
        last_x, last_y = self.points[-1]
        line = (
            f'<polyline points="{coordinates}" fill="none" stroke="currentColor" stroke-width="1.5" '
            'stroke-linejoin="round" stroke-linecap="round"/>'
            if len(self.points) > 1
            else ""
        )
        return mark_safe(
            f'<svg class="sparkline" viewBox="0 0 {self.width} {self.height}" width="{self.width}" '
            f'height="{self.height}" role="img" aria-label="{label}" focusable="false">{line}'
            f'<circle cx="{last_x:g}" cy="{last_y:g}" r="2.6" fill="currentColor"/></svg>'
        )


def sparkline(
    values: Sequence[Value], *, name: str, unit: str, width: int = WIDTH, height: int = HEIGHT
) -> Sparkline | None:
    """The values with a number, oldest first, scaled to fill the box (years along, values up); None when
    there is none. The value axis spans the values' own range: a sparkline shows the direction, the measure
    page the levels."""
    shown = tuple(sorted((v for v in values if v.value is not None), key=lambda v: v.year))
    if not shown:
        return None
    first, last = shown[0].year, shown[-1].year
    low, high = min(v.value for v in shown), max(v.value for v in shown)
    inner_w, inner_h = width - 2 * PADDING, height - 2 * PADDING

    def x(year: int) -> float:
        return round(
            PADDING + (inner_w * (year - first) / (last - first) if last > first else inner_w / 2), 1
        )

    def y(value: float) -> float:
        return round(PADDING + (inner_h * (high - value) / (high - low) if high > low else inner_h / 2), 1)

    is_sample = any(v.is_sample for v in shown)
    label = f"{name} " + ", ".join(f"{v.year}: {format_value(v.value, unit)}" for v in shown)
    if is_sample:
        label += f" ({_('eksempeldata')})"
    return Sparkline(
        points=tuple((x(v.year), y(v.value)) for v in shown),
        values=shown,
        label=label,
        is_sample=is_sample,
        width=width,
        height=height,
    )
