"""The audit trail: who changed what, when, from what to what."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """One change to one audited object (a report, a target, an agreement text, a user's roles), with the
    values before and after. Written by `goals.audit`; never edited."""

    class Action(models.TextChoices):
        CREATED = "created", _("Oprettet")
        CHANGED = "changed", _("Ændret")
        DELETED = "deleted", _("Slettet")
        SUBMITTED = "submitted", _("Indsendt")
        RESUBMITTED = "resubmitted", _("Genindsendt")
        RETURNED = "returned", _("Sendt retur")
        APPROVED = "approved", _("Godkendt")
        REOPENED = "reopened", _("Genåbnet")
        ROLE_ADDED = "role_added", _("Rolle tildelt")
        ROLE_REMOVED = "role_removed", _("Rolle fjernet")

    at = models.DateTimeField(_("tidspunkt"), auto_now_add=True, db_index=False)
    # None: the system (bootstrap, a fixture reload or a background job), not a person.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("af"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(_("handling"), max_length=20, choices=Action.choices)
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("objekttype"), on_delete=models.CASCADE, related_name="+"
    )
    object_id = models.CharField(_("objekt-id"), max_length=64)
    target = GenericForeignKey("content_type", "object_id")
    object_repr = models.CharField(_("objekt"), max_length=300)
    # The page the event is shown on: "agreement:5" for any part of agreement 5, "report:12", "user:3",
    # "indicator:7" (see goals.audit.scope_of).
    scope = models.CharField(_("hører til"), max_length=40)
    # {"field label": [old, new], ...}, values as the user saw them (strings).
    changes = models.JSONField(_("ændringer"), default=dict, blank=True)
    comment = models.TextField(_("kommentar"), blank=True)

    class Meta:
        verbose_name = _("historikpost")
        verbose_name_plural = _("historik")
        ordering = ["-at", "-id"]
        indexes = [
            # A page's history: WHERE scope = ? ORDER BY at DESC.
            models.Index(fields=["scope", "-at"], name="audit_scope_at_idx"),
            # Coalescing autosaves: the latest event of one object (goals.audit.audit_record).
            models.Index(fields=["content_type", "object_id", "-at"], name="audit_object_at_idx"),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()}: {self.object_repr}"

    @property
    def actor_public(self) -> str:
        """Who made the change as a public page says it: role and organisation, never a person's name."""
        from sundhedsaftale.roles import role_label

        return role_label(self.actor)
