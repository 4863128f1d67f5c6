from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GoalsConfig(AppConfig):
    name = "goals"
    verbose_name = _("Aftaler og mål")

    def ready(self):
        # Connects the receivers that recompute statuses when a target is edited, the audit trail's and the
        # page cache's (in every process, the Celery worker's too).
        from . import audit, signals  # noqa: F401
        from .selectors.page_cache import connect as page_cache_connect

        audit.connect()
        page_cache_connect()
        _charts_configure()
        _indicator_hooks_register()


def _indicator_hooks_register():
    """goals' answers to what indicators asks through its hooks (docs/adr/0001-goals-indicators.md)."""
    from indicators import hooks

    from . import status_preview

    hooks.register(
        status_changes=status_preview.status_changes_preview,
        measured_breakdowns=status_preview.measured_breakdowns,
    )


def _charts_configure():
    """The charts draw statuses and comparison results with the status method's words, icons and colours."""
    from indicators import charts

    from . import progress

    charts.configure(
        charts.Vocabulary(
            status_order=progress.STATUS_LEGEND_ORDER,
            status_labels=progress.STATUS_LABELS,
            status_icons=progress.STATUS_ICONS,
            status_colours=progress.STATUS_COLOURS,
            comparison_labels=progress.COMPARISON_LABELS,
        )
    )
