"""Domain events, delivered after the transaction that caused them commits.

Services call :func:`publish` inside their transaction; subscribers run only once the data they react to
is visible to other processes (Saleor's rule: no business logic in signals, side effects after commit).
A subscriber is expected to be cheap: it usually enqueues a Celery task carrying ids, never objects.
If the transaction rolls back, nothing is delivered.
"""

from __future__ import annotations

import logging
import threading
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import transaction

logger = logging.getLogger(__name__)

Subscriber = Callable[[str, dict[str, Any]], None]

_subscribers: dict[str, list[Subscriber]] = defaultdict(list)
_suppressed = threading.local()


def subscribe(event: str, subscriber: Subscriber) -> None:
    """Register ``subscriber(event, payload)`` for ``event``; apps do this in ``AppConfig.ready``."""
    if subscriber not in _subscribers[event]:
        _subscribers[event].append(subscriber)


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

    def deliver() -> None:
        for subscriber in subscribers(event):
            try:
                subscriber(event, payload)
            except Exception:
                # One failing subscriber (a broker hiccup, say) must not stop the others; the write
                # itself has already committed and stays valid.
                logger.exception("subscriber %r failed for event %s", subscriber, event)

    transaction.on_commit(deliver)
