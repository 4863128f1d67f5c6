"""Keep stored statuses in step with targets: an edited target recomputes its measure's statuses.

The recomputation runs after the transaction commits, once per transaction however many targets it
touched (loading an agreement fixture saves dozens), and never for a transaction that is rolled back.
"""

import logging
import threading

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from indicators.signals import observations_changed

from .models import Target

_pending = threading.local()

logger = logging.getLogger(__name__)


def _pending_ids() -> set[int]:
    if not hasattr(_pending, "measure_ids"):
        _pending.measure_ids = set()
    return _pending.measure_ids


def _refresh_pending() -> None:
    from .services import measure_statuses_refresh

    measure_ids = _pending_ids()
    if not measure_ids:
        return
    ids = sorted(measure_ids)
    measure_ids.clear()
    measure_statuses_refresh(measures=ids)


@receiver(post_save, sender=Target, dispatch_uid="goals_target_saved_refresh_status")
@receiver(post_delete, sender=Target, dispatch_uid="goals_target_deleted_refresh_status")
def target_changed(sender, instance: Target, raw: bool = False, **kwargs) -> None:
    if raw:  # loaddata: the measures may not be complete yet
        return
    _pending_ids().add(instance.measure_id)
    # Registered every time: the first callback to run refreshes everything pending and the rest find
    # nothing to do. Registering only once would lose the refresh after a rolled-back transaction.
    transaction.on_commit(_refresh_pending)


@receiver(observations_changed, dispatch_uid="goals_observations_changed_refresh_status")
def observations_changed_refresh(sender, indicator_ids, **kwargs) -> None:
    """New, corrected or rolled-back values: recompute the statuses of the measures that use them.

    In a task of its own, so that a load is done when its values are committed and a failing refresh is
    retried without touching the upload; without REDIS_URL it runs in-process, right away.
    """
    from kombu.exceptions import OperationalError as BrokerError

    from .tasks import statuses_refresh_for_indicators_task

    try:
        statuses_refresh_for_indicators_task.delay(sorted(indicator_ids))
    except BrokerError:
        # The broker is down (a rollback in a web request while Redis is out): refresh here instead, so
        # the pages do not keep showing statuses of values that are gone.
        logger.warning("Broker unavailable; refreshing statuses for indicators %s in-process", indicator_ids)
        statuses_refresh_for_indicators_task.apply(args=[sorted(indicator_ids)])
