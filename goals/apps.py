from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GoalsConfig(AppConfig):
    name = "goals"
    verbose_name = _("Aftaler og mål")

    def ready(self):
        # Connects the receivers that recompute statuses when a target is edited, the audit trail's and the
        # page cache's (in every process, the Celery worker's too).
        from . import audit, signals  # noqa: F401
        from .selectors import page_cache  # noqa: F401

        audit.connect()

        # goals' answers to what indicators asks through its hooks (docs/adr/0001-goals-indicators.md).
        from indicators import hooks

        from . import status_preview

        hooks.register(
            status_changes=status_preview.status_changes_preview,
            measured_breakdowns=status_preview.measured_breakdowns,
        )
