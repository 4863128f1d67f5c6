"""Counters of log-in and password-reset attempts, kept in the database so they hold while Redis is down
and so one statement can count and read atomically (accounts/throttle.py)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AttemptCounter(models.Model):
    """How many attempts one key (a user name, an address, a pair of them) has made in its current window."""

    # "login-user:<name>", "login-pair:<name>|<address>", "login-address:<address>", "reset-...": the unique
    # constraint's index is what the counting upsert (ON CONFLICT (key)) needs.
    key = models.CharField(_("nøgle"), max_length=300)
    count = models.PositiveIntegerField(_("antal"), default=0)
    # Unix time of the window's first attempt: an integer compares the same on PostgreSQL and SQLite.
    window_start = models.BigIntegerField(_("vinduets start"))

    class Meta:
        verbose_name = _("tæller af forsøg")
        verbose_name_plural = _("tællere af forsøg")
        constraints = [models.UniqueConstraint(fields=["key"], name="attempt_counter_unique_key")]

    def __str__(self):
        return f"{self.key}: {self.count}"
