"""Reads for indicator pages."""

from django.db.models import Count, Max, Min, Q
from django.shortcuts import get_object_or_404

from .models import Indicator, Observation


def indicator_list():
    return Indicator.objects.select_related("source").order_by("name")


def indicator_get(code: str) -> Indicator:
    """One indicator with its data source; 404 for an unknown code."""
    return get_object_or_404(Indicator.objects.select_related("source"), code=code)


def indicator_data_summary(indicator: Indicator) -> dict:
    """How much is stored for one indicator: one aggregate query, served by the unique index."""
    return Observation.objects.filter(indicator=indicator).aggregate(
        observations=Count("id"),
        areas=Count("area", distinct=True),
        first_year=Min("year"),
        last_year=Max("year"),
        # Count, not Max: PostgreSQL has no MAX(boolean).
        sample=Count("id", filter=Q(is_sample=True)),
    )


def sample_data_present() -> bool:
    """Whether any generated value is stored: the "eksempeldata" banner. Served by the partial index."""
    return Observation.objects.filter(is_sample=True).exists()


def upload_list(limit: int = 50):
    """The latest uploads, newest first, for the upload page."""
    from .models import Upload

    return Upload.objects.select_related("uploaded_by").order_by("-created_at")[:limit]
