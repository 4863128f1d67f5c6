"""Reads for indicator pages."""

from .models import Indicator, Observation


def indicator_list():
    return Indicator.objects.select_related("source").order_by("name")


def sample_data_present() -> bool:
    """Whether any generated value is stored: the "eksempeldata" banner. Served by the partial index."""
    return Observation.objects.filter(is_sample=True).exists()


def upload_list(limit: int = 50):
    """The latest uploads, newest first, for the upload page."""
    from .models import Upload

    return Upload.objects.select_related("uploaded_by").order_by("-created_at")[:limit]
