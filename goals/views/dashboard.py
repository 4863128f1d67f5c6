import json

from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext
from django.views.decorators.cache import cache_control
from django.views.decorators.gzip import gzip_page

from indicators import charts
from indicators.selectors import sample_data_present

from .. import downloads, progress, selectors
from ..forms import AreaYearForm, StatusViewForm
from ..selectors import reports as report_selectors


def index(request):
    context = {
        "cards": selectors.agreement_cards(),
        "search_areas": selectors.searchable_areas(),
        "sample_data": sample_data_present(),
    }
    return render(request, "goals/index.html", context)


AGREEMENT_FRAGMENTS = ("title", "banner", "breadcrumbs", "content")


def agreement_detail(request, slug):
    choices = {name: request.GET.get(name, "") for name in ("omraade", "aar", "status")}
    page = selectors.page_cache(
        "agreement",
        AGREEMENT_FRAGMENTS,
        parts=(slug, *choices.values()),
        cacheable=lambda version: _plain_query(request, version, **choices),
    )
    context = {"page": page}
    if not page.hit:
        context.update(_agreement_context(request, slug))
    return render(request, "goals/agreement_detail.html", context)


def _plain_query(request, version, **choices) -> bool:
    """Only these parameters, each empty or a real choice: such a page may be cached (selectors.PageCache)."""
    allowed = {
        "omraade": selectors.area_codes(version),
        "aar": selectors.YEAR_CHOICES,
        "kort": MAP_MODES,
        "status": selectors.STATUS_CHOICES,
    }
    return set(request.GET) <= set(choices) and all(
        selectors.plain_choice(value, allowed[name]) for name, value in choices.items()
    )


def _agreement_context(request, slug) -> dict:
    agreement = selectors.agreement_get(slug)
    form, area, year = _status_view(request, agreement)
    asked = request.GET.get("status", "")
    # An unknown ?status= shows every follow-up and says so (and is not cached, see _plain_query).
    status_filter = asked if asked in selectors.STATUS_CHOICES else ""
    status = selectors.agreement_status(agreement=agreement, area=area, year=year)
    trends = selectors.measure_trends(agreement=agreement, area=area, year=year, status=status)
    return {
        "agreement": agreement,
        "tree": selectors.status_tree(agreement, status),
        "form": form,
        "status": status,
        "scorecard": selectors.scorecard(status, trends, status_filter),
        "status_filter": status_filter,
        "status_filter_label": progress.STATUS_LABELS[status_filter] if status_filter else "",
        "unknown_status_filter": asked != status_filter,
        "sample_data": sample_data_present(),
    }


def _status_view(request, agreement):
    """The area/year form of an agreement's pages, and the area and year they are shown for: the
    agreement's own area and this year, unless the reader chose others."""
    areas = selectors.agreement_areas(agreement)
    form = StatusViewForm(request.GET or None, areas=areas)
    area, year = agreement.area, timezone.localdate().year
    if form.is_valid():
        area = next((a for a in areas if a.code == form.cleaned_data["omraade"]), area)
        year = form.cleaned_data["aar"] or year
    show_evaluated_for(form, area=area, year=year)
    return form, area, year


def show_evaluated_for(form, *, area=None, year: int) -> None:
    """Fill the form's empty area and year with the ones the page is shown for, so the year field never
    reads empty beside "vurderet i 2026". A value the reader typed (even a wrong one) is left as typed."""
    if not form.is_bound:
        form.initial.update({"aar": year, **({"omraade": area.code} if area is not None else {})})
        return
    data = form.data.copy()
    if not data.get("aar"):
        data["aar"] = str(year)
    if area is not None and "omraade" in form.fields and not data.get("omraade"):
        data["omraade"] = area.code
    form.data = data


# The measure page and the numbers behind its charts.

MAP_MODES = {"vaerdi": "value", "status": "status", "sammenligning": "benchmark"}


def _measure_page(request, pk):
    """The measure (404 if unknown), the area/year form, and the page's data for the chosen area and year."""
    measure = selectors.measure_get(pk)
    form, area, year = _status_view(request, measure.objective.vision.agreement)
    return form, selectors.measure_page_data(measure=measure, area=area, year=year)


MEASURE_FRAGMENTS = ("title", "head", "banner", "breadcrumbs", "content")


def measure_detail(request, pk):
    choices = {name: request.GET.get(name, "") for name in ("omraade", "aar", "kort")}
    page = selectors.page_cache(
        "measure",
        MEASURE_FRAGMENTS,
        parts=(str(pk), *choices.values()),
        cacheable=lambda version: _plain_query(request, version, **choices),
    )
    context = {"page": page}
    if not page.hit:
        context.update(_measure_context(request, pk))
    return render(request, "goals/measure_detail.html", context)


def _measure_context(request, pk) -> dict:
    form, data = _measure_page(request, pk)
    map_mode = request.GET.get("kort") if request.GET.get("kort") in MAP_MODES else "vaerdi"
    if not data.map_has_statuses:
        map_mode = "vaerdi"
    figures, attribution = measure_figures(data, map_mode=MAP_MODES[map_mode])
    return {
        "data": data,
        "measure": data.measure,
        "form": form,
        "figures": {name: _json_script(figure, f"chart-data-{name}") for name, figure in figures.items()},
        "group_figures": [
            (g, _json_script(figures[g.key], f"chart-data-{g.key}")) for g in data.groups if g.key in figures
        ],
        "map_mode": map_mode,
        "map_mode_choices": [
            ("vaerdi", gettext("værdi")),
            ("status", gettext("status")),
            ("sammenligning", gettext("sammenligning med regionen")),
        ],
        "map_attribution": attribution,
        "sample_data": sample_data_present(),
    }


def measure_data_csv(request, pk):
    _form, data = _measure_page(request, pk)
    response = HttpResponse(
        downloads.measure_csv(data).encode("utf-8"), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{_download_name(data)}.csv"'
    return response


def measure_data_xlsx(request, pk):
    _form, data = _measure_page(request, pk)
    response = HttpResponse(downloads.measure_xlsx(data), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{_download_name(data)}.xlsx"'
    return response


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _json_script(value, element_id: str) -> str:
    """Django's json_script, compact and without its str.translate, which takes milliseconds on a map."""
    text = json.dumps(value, cls=DjangoJSONEncoder, separators=(",", ":"), ensure_ascii=False)
    text = text.replace("&", "\\u0026").replace("<", "\\u003C").replace(">", "\\u003E")
    return format_html('<script id="{}" type="application/json">{}</script>', element_id, mark_safe(text))


def _download_name(data) -> str:
    return f"opfoelgning-{data.measure.pk}-{slugify(data.area.code)}-{data.year}"


def measure_figures(data, *, map_mode: str) -> tuple[dict, str]:
    """The page's Plotly figures (name -> figure dict) and the map's attribution."""
    if not data.has_data:
        return {}, ""
    indicator, area, unit = data.indicator, data.area, data.unit
    status = data.status
    baseline = target = None
    if status is not None and status.baseline_year is not None and status.baseline_value is not None:
        baseline = (status.baseline_year, status.baseline_value)
    if status is not None and status.target_value is not None and status.target_year is not None:
        target = (status.target_year, status.target_value)
    # Each area in the comparison charts and the map opens its profile when clicked.
    profile_url = reverse("goals:area_detail", args=["CODE"]).replace("CODE", "{code}")
    figures = {
        "trend": charts.trend_figure(
            data.series,
            unit=unit,
            baseline=baseline,
            target=target,
            comparisons=data.comparisons,
            title=f"{indicator.name}, {data.series.name}",
        )
    }
    for group in data.groups:
        figures[group.key] = charts.comparison_figure(
            group.rows,
            unit=unit,
            benchmark_value=group.benchmark_value,
            benchmark_name=group.benchmark_name,
            title=f"{group.title} {data.comparison_year}",
            highlight=area.code,
            profile_url=profile_url,
        )
    attribution = ""
    if data.map_rows:
        geojson, attribution = selectors.municipality_geojson(r.code for r in data.map_rows)
        figures["map"] = charts.map_figure(
            {r.code: r for r in data.map_rows},
            geojson,
            unit=unit,
            mode=map_mode,
            title=f"{indicator.name} {data.comparison_year}",
            geojson_url=reverse("goals:municipality_map", args=[data.agreement.area.code]),
            highlight=area.code,
            profile_url=profile_url,
        )
    if data.by_sex or data.by_age:
        total = data.breakdown_total
        figures["breakdown"] = charts.breakdown_figure(
            data.by_sex,
            data.by_age,
            unit=unit,
            total=total.value if total else None,
            total_name=area.name,
            title=f"{indicator.name}, {area.name} {data.breakdown_year}",
        )
    return figures, attribution


@cache_control(max_age=3600, public=True)
@gzip_page
def municipality_map(request, code):
    """The boundaries of the municipalities under one area, for the measure page's map (plotly.js fetches
    them once; the page itself names this URL instead of carrying them)."""
    geojson, _attribution = selectors.municipality_geojson(selectors.municipality_codes_under(code))
    if not geojson["features"]:
        raise Http404
    return JsonResponse(geojson)


# The area page: every follow-up's status for one cluster, municipality or region.


def area_detail(request, code):
    area = selectors.area_get(code)
    form = AreaYearForm(request.GET or None)
    year = timezone.localdate().year
    if form.is_valid():
        year = form.cleaned_data["aar"] or year
    show_evaluated_for(form, year=year)
    overview = selectors.area_status_overview(area=area, year=year)
    context = {"area": area, "form": form, "overview": overview, "sample_data": sample_data_present()}
    if area.kind == area.Kind.CLUSTER:
        context["activity_reports"] = report_selectors.approved_reports_for_cluster(area)
    return render(request, "goals/area_detail.html", context)
