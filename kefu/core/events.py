"""Domain events, delivered after the transaction that caused them commits.

Services call :func:`publish` inside their transaction; subscribers run only once the data they react to
is visible to other processes (Saleor's rule: no business logic in signals, side effects after commit).
A subscriber is expected to be cheap: it usually enqueues a Celery task carrying ids, never objects.
If the transaction rolls back, nothing is delivered.

A subscriber whose work does not depend on the event (re-index ticket 7, whichever of its events fired)
subscribes with ``coalesce``: a function of the payload giving a key. Within one committed transaction
it then runs once per key, for the first such event; every other subscriber still sees every event.
"""

from __future__ import annotations

import logging
import threading
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import transaction

logger = logging.getLogger(__name__)

Subscriber = Callable[[str, dict[str, Any]], None]
CoalesceKey = Callable[[dict[str, Any]], Hashable]

_subscribers: dict[str, list[Subscriber]] = defaultdict(list)
_coalesce: dict[Subscriber, CoalesceKey] = {}
_suppressed = threading.local()
_BATCH_ATTRIBUTE = "_kefu_event_batch"


class _Batch:
    """The events of one transaction: which coalesced (subscriber, key) pairs have already run."""

    __slots__ = ("delivering", "done")

    def __init__(self) -> None:
        self.delivering = False
        self.done: set[tuple[Subscriber, Hashable]] = set()


def subscribe(event: str, subscriber: Subscriber, *, coalesce: CoalesceKey | None = None) -> None:
    """Register ``subscriber(event, payload)`` for ``event``; apps do this in ``AppConfig.ready``.

    With ``coalesce``, the subscriber runs once per transaction and ``coalesce(payload)`` key.
    """
    if subscriber not in _subscribers[event]:
        _subscribers[event].append(subscriber)
    if coalesce is not None:
        _coalesce[subscriber] = coalesce


def subscribers(event: str) -> list[Subscriber]:
    return list(_subscribers.get(event, ()))


@contextmanager
def suppressed() -> Iterator[None]:
    """Publish nothing inside this block.

    For bulk imports only: a caller that loads thousands of historical tickets must not send thousands
    of notifications, and takes on the follow-up work itself (for example a full search re-index).
    """
    previous = getattr(_suppressed, "active", False)
    _suppressed.active = True
    try:
        yield
    finally:
        _suppressed.active = previous


def publish(event: str, **payload: Any) -> None:
    """Deliver ``event`` to its subscribers when the current transaction commits."""
    if getattr(_suppressed, "active", False):
        return
    batch = _current_batch()

    def deliver() -> None:
        batch.delivering = True
        for subscriber in subscribers(event):
            coalesce = _coalesce.get(subscriber)
            key = None if coalesce is None else (subscriber, coalesce(payload))
            if key in batch.done:
                continue
            try:
                subscriber(event, payload)
            except Exception:
                # One failing subscriber (a broker hiccup, say) must not stop the others; the write
                # itself has already committed and stays valid. A coalesced one gets another chance
                # with the next event of the same key.
                logger.exception("subscriber %r failed for event %s", subscriber, event)
            else:
                if key is not None:
                    batch.done.add(key)

    transaction.on_commit(deliver)


def _current_batch() -> _Batch:
    """The batch of the transaction in progress on this thread's connection.

    Deliveries happen only after a commit, so a batch that has begun delivering belongs to a finished
    transaction and the next publish starts a new one. A batch left by a rollback delivered nothing and
    is safely reused.
    """
    connection = transaction.get_connection()
    batch = getattr(connection, _BATCH_ATTRIBUTE, None)
    if batch is None or batch.delivering:
        batch = _Batch()
        setattr(connection, _BATCH_ATTRIBUTE, batch)
    return batch
