from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver


@receiver(user_logged_in, dispatch_uid="accounts_staff_session")
def _staff_session_shorter(sender, request, user, **kwargs):
    """Staff can change users and agreement texts: their session ends sooner than other users' (and at the
    browser's close), so a forgotten session on a shared computer is open for hours, not weeks."""
    if user.is_staff and request is not None and hasattr(request, "session"):
        request.session.set_expiry(settings.STAFF_SESSION_SECONDS)
