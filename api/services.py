"""Writes of the API app: making and revoking a user's API keys."""

import hashlib
import secrets

from django.shortcuts import get_object_or_404

from .models import ApiToken

KEY_PREFIX = "sam_"


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def api_token_create(*, user, name: str) -> tuple[ApiToken, str]:
    """A new key for `user`: the stored row (its hash only) and the key itself, to be shown once."""
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name, prefix=key[: len(KEY_PREFIX) + 4], key_hash=key_hash(key)
    )
    return token, key


def api_token_revoke(*, user, token_id: int) -> ApiToken:
    """Delete one of the user's own keys (404 for anybody else's): requests with it are refused at once."""
    token = get_object_or_404(ApiToken, pk=token_id, user=user)
    token.delete()
    return token
