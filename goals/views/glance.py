"""The at-a-glance pages: the area search, the matrix of follow-ups by areas, and two areas side by side."""

from django.shortcuts import redirect, render
from django.utils import timezone

from indicators.selectors import sample_data_present

from .. import selectors
from ..forms import AreaCompareForm, AreaYearForm
from .dashboard import show_evaluated_for


def area_search(request):
    """ "Find din kommune / klynge": a name or code that names one area goes to its page; otherwise the
    page lists the candidates, or says that nothing matched, above every area."""
    query = request.GET.get("q", "").strip()[:100]
    areas = selectors.searchable_areas()
    matches = selectors.area_matches(query, areas) if query else []
    if len(matches) == 1:
        return redirect("goals:area_detail", code=matches[0].code)
    return render(request, "goals/area_search.html", {"query": query, "matches": matches, "areas": areas})


def agreement_matrix(request, slug):
    agreement = selectors.agreement_for_matrix(slug)
    form = AreaYearForm(request.GET or None)
    year = timezone.localdate().year
    if form.is_valid():
        year = form.cleaned_data["aar"] or year
    show_evaluated_for(form, year=year)
    matrix = selectors.agreement_matrix(agreement=agreement, year=year)
    return render(
        request,
        "goals/agreement_matrix.html",
        {"agreement": agreement, "form": form, "matrix": matrix, "sample_data": sample_data_present()},
    )


def area_compare(request):
    """Two areas side by side (?a=630&b=621): the second defaults to the first one's region."""
    areas = selectors.searchable_areas()
    form = AreaCompareForm(request.GET or None, areas=areas)
    year, chosen = timezone.localdate().year, []
    if form.is_valid():
        year = form.cleaned_data["aar"] or year
        chosen = form.chosen_areas()
    show_evaluated_for(form, year=year)
    if len(chosen) == 2 and not form.data.get("b"):
        form.data["b"] = chosen[1].code  # the region chosen for the reader, shown as chosen
    comparison = selectors.area_comparison(areas=chosen, year=year) if chosen else None
    context = {"form": form, "comparison": comparison, "year": year, "sample_data": sample_data_present()}
    return render(request, "goals/area_compare.html", context)
