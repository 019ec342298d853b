"""Consumers of the tickets app's own events: what a change leaves to do outside the database."""

from __future__ import annotations

from django.core.files.storage import default_storage

from kefu.core.event_types import EventType
from kefu.core.events import Event, register_consumer


def delete_purged_files(events: list[Event]) -> None:
    """Remove the files of purged tickets from storage (deleting a missing file is no error: idempotent)."""
    for event in events:
        for name in event.payload.get("files", []):
            default_storage.delete(name)


def register() -> None:
    register_consumer("tickets.purge_files", [EventType.TICKET_PURGED], delete_purged_files)
