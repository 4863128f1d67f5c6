"""The per-client rate limit for anonymous use of the API.

DRF's AnonRateThrottle keeps its counters in the cache (Redis in production). When the cache server is
down the API must keep answering, so a cache error lets the request through (and is logged) instead of
becoming a 500: the limit protects the service, it must not be what takes it down.
"""

import logging

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.throttling import AnonRateThrottle

logger = logging.getLogger(__name__)


class AnonymousRateThrottle(AnonRateThrottle):
    scope = "anon"

    def get_rate(self):
        # Read per request, not once at import as DRF does, so a deployment (and a test) can change it.
        return settings.API_ANON_RATE or None

    def allow_request(self, request, view):
        try:
            return super().allow_request(request, view)
        except Exception:  # the cache backend's own errors (redis.ConnectionError, timeouts) vary
            logger.warning("API rate limit skipped: the cache is unavailable", exc_info=True)
            return True


def exception_handler(exc, context):
    """DRF's handler, with a Danish 429 that says when to try again (DRF sets Retry-After itself)."""
    from rest_framework.views import exception_handler as drf_handler

    if isinstance(exc, exceptions.Throttled):
        wait = int(exc.wait) + 1 if exc.wait is not None else None
        message = (
            _(
                "For mange forespørgsler fra din adresse. Prøv igen om %(seconds)d sekunder, eller brug en API-nøgle."
            )
            % {"seconds": wait}
            if wait is not None
            else _("For mange forespørgsler fra din adresse. Prøv igen senere, eller brug en API-nøgle.")
        )
        wait_seconds = exc.wait
        exc = exceptions.Throttled(wait=wait_seconds)
        exc.detail = exceptions.ErrorDetail(message, code="throttled")
    return drf_handler(exc, context)
