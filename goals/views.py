from django.shortcuts import render

from . import selectors


def index(request):
    return render(request, "goals/index.html", {"agreements": selectors.agreement_list()})


def agreement_detail(request, slug):
    agreement = selectors.agreement_get(slug)
    return render(request, "goals/agreement_detail.html", {"agreement": agreement})
