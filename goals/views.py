from django.shortcuts import render
from django.utils import timezone

from indicators.selectors import sample_data_present

from . import selectors
from .forms import StatusViewForm


def index(request):
    return render(request, "goals/index.html", {"agreements": selectors.agreement_list()})


def agreement_detail(request, slug):
    agreement = selectors.agreement_get(slug)
    areas = selectors.agreement_areas(agreement)
    form = StatusViewForm(request.GET or None, areas=areas)
    area, year = agreement.area, timezone.localdate().year
    if form.is_valid():
        area = next((a for a in areas if a.code == form.cleaned_data["omraade"]), area)
        year = form.cleaned_data["aar"] or year
    status = selectors.agreement_status(agreement=agreement, area=area, year=year)
    selectors.attach_status(agreement, status)
    context = {"agreement": agreement, "form": form, "status": status, "sample_data": sample_data_present()}
    return render(request, "goals/agreement_detail.html", context)
