"""Recording what happened to a ticket: the event log plus the installation-wide audit entry."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from kefu.core.actors import Actor, Source
from kefu.core.audit import audit_record
from kefu.tickets.models import Ticket, TicketEvent


@dataclass(frozen=True)
class Change:
    action: str
    field: str = ""
    old: Any = None
    new: Any = None


def snapshot(obj: Any) -> dict[str, Any] | None:
    """How a related object is remembered in the log: its id and the name it had at the time."""
    if obj is None:
        return None
    name = getattr(obj, "name", None) or str(obj)
    return {"id": obj.pk, "name": name}


def record_changes(
    *, ticket: Ticket, actor: Actor, source: Source, changes: list[Change], at: dt.datetime
) -> list[TicketEvent]:
    events = TicketEvent.objects.bulk_create(
        TicketEvent(
            ticket=ticket,
            created_at=at,
            actor_kind=actor.kind.value,
            actor_id=actor.id,
            actor_name=actor.name[:200],
            source=source.value,
            action=change.action,
            field=change.field,
            old_value=change.old,
            new_value=change.new,
        )
        for change in changes
    )
    audit_record(
        actor=actor,
        source=source,
        action="ticket." + ("+".join(sorted({change.action for change in changes})) or "noop"),
        obj=ticket,
        changes={change.field or change.action: {"from": change.old, "to": change.new} for change in changes},
    )
    return events
