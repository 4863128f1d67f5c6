"""Signals other apps listen to. `indicators` must not import `goals`, so it announces changes instead."""

from django.dispatch import Signal

# Sent after a transaction that added, changed or removed observations has committed.
# Argument: indicator_ids (a set of Indicator primary keys). goals refreshes the affected statuses.
observations_changed = Signal()


def observations_changed_on_commit(indicator_ids) -> None:
    from django.db import transaction

    ids = set(indicator_ids)
    # robust: the values are committed whatever a listener does; a failing listener (the status refresh,
    # run in-process without a broker) is logged and must not make the load look failed.
    transaction.on_commit(lambda: observations_changed.send(sender=None, indicator_ids=ids), robust=True)
