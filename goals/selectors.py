"""Reads for agreement pages: each returns what one page needs in a fixed number of queries."""

from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404

from .models import Agreement, Measure, Objective, Vision


def agreement_list():
    """Agreements newest first, with how many visions, objectives and measures each holds."""
    return Agreement.objects.select_related("area").annotate(
        vision_count=Count("visions", filter=Q(visions__is_vision=True), distinct=True),
        objective_count=Count("visions__objectives", distinct=True),
        measure_count=Count("visions__objectives__measures", distinct=True),
    )


def agreement_get(slug: str) -> Agreement:
    """One agreement with its whole tree (visions, focus areas, objectives, measures with indicator
    and target), its national goals and sections. 404 for an unknown slug."""
    measures = Measure.objects.select_related("indicator", "target").order_by("order")
    objectives = (
        Objective.objects.select_related("focus_area")
        .prefetch_related(Prefetch("measures", queryset=measures), "national_goals")
        .order_by("order")
    )
    visions = Vision.objects.prefetch_related(
        "focus_areas", Prefetch("objectives", queryset=objectives)
    ).order_by("order")
    queryset = Agreement.objects.select_related("area").prefetch_related(
        Prefetch("visions", queryset=visions), "national_goals", "sections"
    )
    return get_object_or_404(queryset, slug=slug)
