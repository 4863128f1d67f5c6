from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GoalsConfig(AppConfig):
    name = "goals"
    verbose_name = _("Aftaler og mål")

    def ready(self):
        # Connects the receivers that recompute statuses when a target is edited.
        from . import signals  # noqa: F401
