"""Keeping the index in step with tickets: the outbox consumer that queues the re-indexing of what changed.

Indexing reads each ticket as committed, whichever of its events fired, so a batch of events becomes one
indexing job over the distinct tickets (in the worker, apart from the relay, so that a slow index never
holds back the other consumers), and a redelivered event merely indexes the same text again.
"""

from __future__ import annotations

from kefu.core.event_types import TICKET_EVENTS
from kefu.core.events import Event, register_consumer
from kefu.search.tasks import index_tickets


def index_changed_tickets(events: list[Event]) -> None:
    index_tickets.delay(sorted({event.payload["ticket_id"] for event in events}))


def register() -> None:
    register_consumer("search.index", TICKET_EVENTS, index_changed_tickets)
