"""Domain events: published inside the writing transaction, delivered to consumers after it commits.

``publish`` writes the event to the outbox table (``core.OutboxEvent``) in the caller's transaction, so
the event exists exactly when the change does. After the commit a relay (``kefu.core.outbox``, run by
the Celery worker) hands it to every consumer registered for its type; beat re-delivers whatever a crash
left behind. Delivery is therefore at-least-once, and consumers are written so that a second delivery
changes nothing: the relay records a receipt per consumer and event in the consumer's own transaction,
and consumers whose effect leaves the database (a queued mail, an index update) are idempotent by
construction. Nothing here is business logic: services decide what happened, consumers react.

Consumers register in their app's ``AppConfig.ready`` (see docs/development.md)::

    events.register_consumer("search.index", TICKET_EVENTS, index_tickets)

and receive a list of :class:`Event` (the relay delivers in batches, so a burst of changes to one
ticket can become one piece of work).
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from kefu.core.crash_points import crash_point
from kefu.core.event_types import EventType
from kefu.core.models import OutboxEvent


@dataclass(frozen=True)
class Event:
    """One delivered event: its outbox id (stable across redeliveries), type, payload and time."""

    id: int
    type: EventType
    payload: Mapping[str, Any]
    created_at: dt.datetime


Handler = Callable[[list[Event]], None]


@dataclass(frozen=True)
class Consumer:
    name: str
    types: frozenset[EventType]
    handle: Handler


_consumers: dict[str, Consumer] = {}
_suppressed = threading.local()
_BATCH_ATTRIBUTE = "_kefu_outbox_batch"


def register_consumer(name: str, types: Iterable[EventType], handle: Handler) -> None:
    """Deliver the events of ``types`` to ``handle``; ``name`` keys its receipts, so never rename one."""
    _consumers[name] = Consumer(name=name, types=frozenset(types), handle=handle)


def unregister_consumer(name: str) -> None:
    _consumers.pop(name, None)


def consumers() -> list[Consumer]:
    return list(_consumers.values())


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


def publish(event_type: EventType, **payload: Any) -> None:
    """Write ``event_type`` with ``payload`` to the outbox; it is relayed once the transaction commits."""
    if getattr(_suppressed, "active", False):
        return
    row = OutboxEvent.objects.create(event_type=event_type.value, payload=payload, created_at=timezone.now())
    batch = _connection_batch()
    batch.ids.append(row.pk)
    transaction.on_commit(batch.relay)


class _Batch:
    """The outbox ids published on one connection and not relayed yet.

    Every publish registers ``relay`` for after the commit; the first callback to run takes all the ids
    of the transaction, so a transaction with many events costs one relay. Ids of a rolled-back
    transaction may linger until the next commit and are then skipped: the relay finds no such row.
    """

    __slots__ = ("ids",)

    def __init__(self) -> None:
        self.ids: list[int] = []

    def relay(self) -> None:
        ids, self.ids = self.ids, []
        if ids:
            from kefu.core.outbox import relay_soon

            crash_point("KEFU_TEST_PAUSE_AFTER_COMMIT", ",".join(map(str, ids)))
            relay_soon(ids)


def _connection_batch() -> _Batch:
    connection = transaction.get_connection()
    batch: _Batch | None = getattr(connection, _BATCH_ATTRIBUTE, None)
    if batch is None:
        batch = _Batch()
        setattr(connection, _BATCH_ATTRIBUTE, batch)
    return batch
