"""Who is behind the current change: the logged-in user of the request being served, or no one (the
system). Set by `middleware.CurrentUserMiddleware`; read by the audit trail."""

import contextvars

current_request = contextvars.ContextVar("current_request", default=None)


def current_user():
    """The authenticated user of the current request, or None outside a request or when anonymous."""
    request = current_request.get()
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    return user
