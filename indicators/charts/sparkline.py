"""A small trend for the agreement overview, drawn as inline SVG: no JavaScript, tiny, prints as drawn.

The reader's text alternative is `Sparkline.label` ("Dagligrygning 2013: 18,5 %, 2017: 16,9 %, 2021: 15,0 %"),
the SVG's accessible name (role="img"); the numbers are the ones the tables show. The newest value is a dot.

A status is measured from the agreement's baseline towards its target, so the sparkline marks both when it
is given them: the baseline as a ring (values before it drawn faint, as they do not count), the target as a
square at its year with a dashed line to it from the baseline, and the newest value's 95 % confidence
interval as a bar through its dot. The text alternative names them too.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .format import format_ci, format_value
from .values import Value

WIDTH, HEIGHT, PADDING = 120, 32, 4


@dataclass(frozen=True)
class Sparkline:
    """The drawn points (SVG coordinates, oldest first), the values they stand for, and the text alternative.

    `baseline_point` and `target_point` are SVG coordinates (None when not given); `ci` is the newest
    value's interval as (x, y of the upper end, y of the lower end), None without one; `first_counted` is the
    index of the first point at or after the baseline year (0 without a baseline)."""

    points: tuple[tuple[float, float], ...]
    values: tuple[Value, ...]
    label: str
    is_sample: bool
    width: int = WIDTH
    height: int = HEIGHT
    baseline_point: tuple[float, float] | None = None
    target_point: tuple[float, float] | None = None
    ci: tuple[float, float, float] | None = None
    first_counted: int = 0

    @property
    def svg(self) -> SafeString:
        label = escape(self.label)
        parts = []
        if self.baseline_point and self.target_point:
            (bx, by), (tx, ty) = self.baseline_point, self.target_point
            parts.append(
                f'<line class="spark-goal" x1="{bx:g}" y1="{by:g}" x2="{tx:g}" y2="{ty:g}" stroke="currentColor" '
                'stroke-width="1" stroke-dasharray="2 2" opacity=".6"/>'
            )
        before = self.points[: self.first_counted + 1] if self.first_counted else ()
        after = self.points[self.first_counted :]
        for points, opacity in ((before, ' opacity=".35"'), (after, "")):
            if len(points) > 1:
                coordinates = " ".join(f"{x:g},{y:g}" for x, y in points)
                parts.append(
                    f'<polyline points="{coordinates}" fill="none" stroke="currentColor" stroke-width="1.5" '
                    f'stroke-linejoin="round" stroke-linecap="round"{opacity}/>'
                )
        if self.ci:
            x, high, low = self.ci
            parts.append(
                f'<path class="spark-ci" d="M{x - 2:g},{high:g}H{x + 2:g}M{x:g},{high:g}V{low:g}M{x - 2:g},{low:g}'
                f'H{x + 2:g}" stroke="currentColor" stroke-width="1" fill="none"/>'
            )
        if self.baseline_point:
            x, y = self.baseline_point
            parts.append(
                f'<circle class="spark-baseline" cx="{x:g}" cy="{y:g}" r="3" fill="#fff" stroke="currentColor" '
                'stroke-width="1.5"/>'
            )
        if self.target_point:
            x, y = self.target_point
            parts.append(
                f'<rect class="spark-target" x="{x - 3:g}" y="{y - 3:g}" width="6" height="6" fill="#fff" '
                'stroke="currentColor" stroke-width="1.5"/>'
            )
        last_x, last_y = self.points[-1]
        parts.append(f'<circle cx="{last_x:g}" cy="{last_y:g}" r="2.6" fill="currentColor"/>')
        return mark_safe(
            f'<svg class="sparkline" viewBox="0 0 {self.width} {self.height}" width="{self.width}" '
            f'height="{self.height}" role="img" aria-label="{label}" focusable="false">{"".join(parts)}</svg>'
        )


def sparkline(
    values: Sequence[Value],
    *,
    name: str,
    unit: str,
    width: int = WIDTH,
    height: int = HEIGHT,
    baseline: tuple[int, float] | None = None,
    target: tuple[int, float] | None = None,
) -> Sparkline | None:
    """The values with a number, oldest first, scaled to fill the box (years along, values up); None when
    there is none. The value axis spans the values' own range (with the baseline, the target and the newest
    value's CI when given): a sparkline shows the direction, the measure page the levels.

    `baseline` and `target` are (year, value) as the status uses them; the years then span them too."""
    shown = tuple(sorted((v for v in values if v.value is not None), key=lambda v: v.year))
    if not shown:
        return None
    newest = shown[-1]
    years = [v.year for v in shown]
    levels = [v.value for v in shown]
    if newest.has_ci:
        levels += [newest.ci_low, newest.ci_high]
    for mark in (baseline, target):
        if mark is not None and mark[1] is not None:
            years.append(mark[0])
            levels.append(mark[1])
    first, last = min(years), max(years)
    low, high = min(levels), max(levels)
    inner_w, inner_h = width - 2 * PADDING, height - 2 * PADDING

    def x(year: int) -> float:
        return round(
            PADDING + (inner_w * (year - first) / (last - first) if last > first else inner_w / 2), 1
        )

    def y(value: float) -> float:
        return round(PADDING + (inner_h * (high - value) / (high - low) if high > low else inner_h / 2), 1)

    is_sample = any(v.is_sample for v in shown)
    label = f"{name} " + ", ".join(f"{v.year}: {format_value(v.value, unit)}" for v in shown)
    extras = []
    if baseline is not None and baseline[1] is not None:
        extras.append(
            _("udgangspunkt %(year)s: %(value)s")
            % {"year": baseline[0], "value": format_value(baseline[1], unit)}
        )
    if target is not None and target[1] is not None:
        extras.append(
            _("mål %(value)s i %(year)s") % {"value": format_value(target[1], unit), "year": target[0]}
        )
    if newest.has_ci:
        extras.append(
            _("95 %%-konfidensinterval for %(year)s: %(ci)s")
            % {"year": newest.year, "ci": format_ci(newest.ci_low, newest.ci_high, unit)}
        )
    if extras:
        label += "; " + "; ".join(extras)
    if is_sample:
        label += f" ({_('eksempeldata')})"
    first_counted = 0
    if baseline is not None and baseline[1] is not None:
        first_counted = next((i for i, v in enumerate(shown) if v.year >= baseline[0]), len(shown) - 1)
    return Sparkline(
        points=tuple((x(v.year), y(v.value)) for v in shown),
        values=shown,
        label=label,
        is_sample=is_sample,
        width=width,
        height=height,
        baseline_point=(x(baseline[0]), y(baseline[1])) if baseline and baseline[1] is not None else None,
        target_point=(x(target[0]), y(target[1])) if target and target[1] is not None else None,
        ci=(x(newest.year), y(newest.ci_high), y(newest.ci_low)) if newest.has_ci else None,
        first_counted=first_counted,
    )
