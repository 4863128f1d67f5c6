from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Konti og log-in")

    def ready(self):
        # The deploy check (manage.py check --deploy) and the shorter session for staff.
        from sundhedsaftale import production  # noqa: F401

        from . import signals  # noqa: F401
