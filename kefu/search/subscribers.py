"""Keeping the index in step with tickets: the outbox consumer that re-indexes what changed.

Indexing reads each ticket as committed, whichever of its events fired, so a batch of events becomes
one indexing pass over the distinct tickets, and a redelivered event merely indexes the same text again.
"""

from __future__ import annotations

from kefu.core.event_types import TICKET_EVENTS
from kefu.core.events import Event, register_consumer
from kefu.search.services import tickets_index


def index_changed_tickets(events: list[Event]) -> None:
    tickets_index(sorted({event.payload["ticket_id"] for event in events}))


def register() -> None:
    register_consumer("search.index", TICKET_EVENTS, index_changed_tickets)
