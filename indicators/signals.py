"""Signals other apps listen to. `indicators` must not import `goals`, so it announces changes instead."""

import logging

from django.db import transaction
from django.dispatch import Signal

logger = logging.getLogger(__name__)

# Sent after a transaction that added, changed or removed observations has committed.
# Argument: indicator_ids (a set of Indicator primary keys). goals refreshes the affected statuses and
# renews the pages' cache token.
observations_changed = Signal()


def observations_changed_on_commit(indicator_ids) -> None:
    """Announce the change once the transaction has committed. The values are stored by then, whatever a
    listener does: every listener runs even if one fails (the status refresh, run in-process without a
    broker), and a failure is logged, never reported as a failed load."""
    ids = set(indicator_ids)
    transaction.on_commit(lambda: _announce(ids))


def _announce(indicator_ids: set[int]) -> None:
    for receiver, result in observations_changed.send_robust(sender=None, indicator_ids=indicator_ids):
        if isinstance(result, Exception):
            logger.error(
                "A listener to observations_changed failed for indicators %s: %s",
                sorted(indicator_ids),
                getattr(receiver, "__qualname__", receiver),
                exc_info=result,
            )
