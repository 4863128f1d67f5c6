"""The report's small trend chart, drawn as inline SVG on the server: no JavaScript, so the screen, the
browser's print and the PDF all draw the same thing. A pure function over plain values, in the style of
`indicators/charts/sparkline.py`; the table beside each chart holds the same numbers for screen readers.
"""

from html import escape

from django.utils.safestring import SafeString, mark_safe

from indicators.charts import format_number

WIDTH, HEIGHT = 300, 130
LEFT, RIGHT, TOP, BOTTOM = 40, 12, 10, 22
LINE = "#0b5394"
TARGET = "#b34700"


def trend_svg(values: list[dict], *, unit: str, target_value: float | None, label: str) -> SafeString:
    """Values (dicts with year, value, ci_low, ci_high, is_sample; oldest first) as a line with its 95 % CI as
    a band and the target as a dashed line. "" when there is no value."""
    shown = [v for v in values if v.get("value") is not None]
    if not shown:
        return mark_safe("")
    years = [v["year"] for v in shown]
    first, last = min(years), max(years)
    levels = [v["value"] for v in shown]
    levels += [v[k] for v in shown for k in ("ci_low", "ci_high") if v.get(k) is not None]
    if target_value is not None:
        levels.append(target_value)
    low, high = min(levels), max(levels)
    pad = (high - low) * 0.12 or max(abs(high) * 0.1, 1)
    low, high = low - pad, high + pad
    if unit == "percent":
        low, high = max(low, 0), min(high, 100)
    inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(year):
        return round(LEFT + (inner_w * (year - first) / (last - first) if last > first else inner_w / 2), 1)

    def y(value):
        return round(TOP + inner_h * (high - value) / (high - low), 1)

    parts = [
        f'<line x1="{LEFT}" y1="{TOP + inner_h}" x2="{WIDTH - RIGHT}" y2="{TOP + inner_h}" stroke="#8a94a0" '
        'stroke-width="0.8"/>',
        f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{TOP + inner_h}" stroke="#8a94a0" stroke-width="0.8"/>',
    ]
    for level in (low, high):
        parts.append(
            f'<text x="{LEFT - 4}" y="{y(level) + 3}" text-anchor="end" font-size="9">{format_number(level)}</text>'
        )
    for year in sorted({first, last}):
        parts.append(f'<text x="{x(year)}" y="{HEIGHT - 6}" text-anchor="middle" font-size="9">{year}</text>')
    with_ci = [v for v in shown if v.get("ci_low") is not None and v.get("ci_high") is not None]
    if len(with_ci) > 1:
        upper = " ".join(f"{x(v['year'])},{y(v['ci_high'])}" for v in with_ci)
        lower = " ".join(f"{x(v['year'])},{y(v['ci_low'])}" for v in reversed(with_ci))
        parts.append(
            f'<polygon class="ci" points="{upper} {lower}" fill="{LINE}" fill-opacity="0.16" stroke="none"/>'
        )
    for v in with_ci:
        parts.append(
            f'<line x1="{x(v["year"])}" y1="{y(v["ci_low"])}" x2="{x(v["year"])}" y2="{y(v["ci_high"])}" '
            f'stroke="{LINE}" stroke-width="1" stroke-opacity="0.6"/>'
        )
    if target_value is not None:
        parts.append(
            f'<line class="target" x1="{LEFT}" y1="{y(target_value)}" x2="{WIDTH - RIGHT}" y2="{y(target_value)}" '
            f'stroke="{TARGET}" stroke-width="1.4" stroke-dasharray="5 3"/>'
        )
    if len(shown) > 1:
        points = " ".join(f"{x(v['year'])},{y(v['value'])}" for v in shown)
        parts.append(f'<polyline points="{points}" fill="none" stroke="{LINE}" stroke-width="2"/>')
    for v in shown:
        # A generated value (eksempeldata) is an open dot, a real one filled.
        fill = "#fff" if v.get("is_sample") else LINE
        parts.append(
            f'<circle cx="{x(v["year"])}" cy="{y(v["value"])}" r="3" fill="{fill}" stroke="{LINE}" stroke-width="1.5"/>'
        )
    return mark_safe(
        f'<svg class="report-chart" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" '
        f'role="img" aria-label="{escape(label)}" focusable="false" font-family="sans-serif">'
        + "".join(parts)
        + "</svg>"
    )
