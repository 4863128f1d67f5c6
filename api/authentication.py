"""API keys in the Authorization header: `Authorization: Token <key>` (or `Bearer <key>`).

The key's SHA-256 is looked up (api.models.ApiToken); the request then acts as the key's user, and every
permission helper (goals.permissions, indicators.permissions) decides as it does on the pages.
"""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions

from . import services
from .models import ApiToken

# A key's "last used" is written at most this often, so a busy client does not write on every request.
LAST_USED_EVERY = datetime.timedelta(hours=1)


class ApiTokenAuthentication(authentication.BaseAuthentication):
    keywords = ("token", "bearer")

    def authenticate(self, request):
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].lower().decode(errors="replace") not in self.keywords:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("Angiv API-nøglen som »Authorization: Token <nøgle>«."))
        try:
            key = parts[1].decode("ascii")
        except UnicodeDecodeError as error:
            raise exceptions.AuthenticationFailed(_("Ugyldig API-nøgle.")) from error
        token = ApiToken.objects.select_related("user").filter(key_hash=services.key_hash(key)).first()
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("Ugyldig eller tilbagekaldt API-nøgle."))
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_EVERY:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request):
        return 'Token realm="api"'
