from django.shortcuts import render

from . import selectors


def cluster_list(request):
    return render(request, "clusters/cluster_list.html", {"clusters": selectors.cluster_list()})


def cluster_detail(request, code):
    cluster = selectors.cluster_get(code)
    return render(request, "clusters/cluster_detail.html", {"cluster": cluster})
