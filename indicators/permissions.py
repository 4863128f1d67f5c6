"""Who may see and do what with indicator data. One helper per object type, used by every view, form and
command that touches it, so the rule lives in one place."""

from django.http import Http404
from django.shortcuts import get_object_or_404


def can_upload(user) -> bool:
    """Analysts (and administrators) upload, confirm and roll back indicator data."""
    return user.is_authenticated and user.has_perm("indicators.add_upload")


def upload_for_user(user, pk: int):
    """The upload with this id if the user may see it; 404 otherwise, so its existence is not revealed.

    Uploads are never public: until confirmed they are drafts, and their files may hold unpublished data.
    """
    from .models import Upload

    if not can_upload(user):
        raise Http404
    return get_object_or_404(Upload.objects.select_related("uploaded_by", "confirmed_by"), pk=pk)
