from django.shortcuts import render

from . import selectors


def indicator_list(request):
    return render(request, "indicators/indicator_list.html", {"indicators": selectors.indicator_list()})


def indicator_detail(request, code):
    indicator = selectors.indicator_get(code)
    summary = selectors.indicator_data_summary(indicator)
    return render(request, "indicators/indicator_detail.html", {"indicator": indicator, "summary": summary})
