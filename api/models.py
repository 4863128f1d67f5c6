"""API keys: how a program acts as a user on the open data API (drafts and unpublished reports are shown by
the same permission helpers as the pages, for the user the key belongs to).

Only a SHA-256 hash of a key is stored; the key itself is shown once, when it is made. A key is random
(256 bits), so a fast hash is enough: nobody can guess their way back from the hash to the key.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ApiToken(models.Model):
    """One API key of one user, until the user revokes (deletes) it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("bruger"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField(_("navn"), max_length=100, help_text=_("Hvad nøglen bruges til, fx »Power BI«."))
    # The first characters of the key, so the user can tell the keys apart without the key itself.
    prefix = models.CharField(_("begynder med"), max_length=12)
    key_hash = models.CharField(_("SHA-256 af nøglen"), max_length=64)
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("senest brugt"), null=True, blank=True)

    class Meta:
        verbose_name = _("API-nøgle")
        verbose_name_plural = _("API-nøgler")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # Its index serves every authenticated API request: WHERE key_hash = ...
            models.UniqueConstraint(fields=["key_hash"], name="api_token_unique_hash"),
        ]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"
