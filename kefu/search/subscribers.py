"""Reacting to ticket events: queue a re-index of the ticket that changed."""

from __future__ import annotations

from typing import Any

from kefu.search.tasks import index_ticket


def reindex_ticket_later(event: str, payload: dict[str, Any]) -> None:
    index_ticket.delay(payload["ticket_id"])


def ticket_key(payload: dict[str, Any]) -> int:
    """Indexing reads the ticket as committed, whichever event fired: once per ticket per transaction."""
    return payload["ticket_id"]
