"""Template tags for status reports: the published reports to link to from other apps' pages (through
templates/reports/includes/report_links.html, so goals need not know reports), and the report's numbers
and charts."""

from django import template

from indicators import charts as indicator_charts

from .. import charts, selectors

register = template.Library()


@register.simple_tag
def published_reports(agreement=None, area=None, limit=None):
    """The published reports of an agreement and/or an area, newest first. One query; public data only, so
    the result may sit inside a cached fragment (publishing replaces the page cache's version)."""
    return selectors.published_reports(agreement=agreement or None, area=area or None, limit=limit or None)


@register.filter
def report_value(value, unit):
    """16,3 % (the reader's notation), "ingen data" for None."""
    return indicator_charts.format_value(value, unit or "")


@register.filter
def report_number(value):
    return indicator_charts.format_number(value)


@register.simple_tag
def report_chart(measure):
    """A follow-up's trend with CI and target as inline SVG (reports/charts.py)."""
    unit = measure["indicator"]["unit"]
    name = measure["indicator"]["name"] + (f" ({measure['breakdown']})" if measure["breakdown"] else "")
    points = ", ".join(
        f"{v['year']}: {indicator_charts.format_value(v['value'], unit)}" for v in measure["series"]
    )
    return charts.trend_svg(
        measure["series"],
        unit=unit,
        target_value=measure["target"]["target_value"],
        label=f"{name}: {points}",
    )
