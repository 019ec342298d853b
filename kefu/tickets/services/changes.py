"""The change record: the one way every ticket service writes down what it changed.

A service opens :func:`ticket_change` around its writes. The context manager takes the ticket's row
lock (so concurrent writes to one ticket are serialised and each sees the other's result as its "old"
value; on SQLite every transaction already starts with the database's write lock), and when the block
ends it writes, in the same transaction:

1. one ``TicketEvent`` row per changed field, all with one change-set id, each with the old and the new
   value (related objects as ``{"id", "name"}``, a status also with its ``type`` at that moment);
2. one audit entry for the whole change-set;
3. one typed domain event to the outbox (``kefu.core.events.publish``), ahead of the rules' own events;
4. the rule hook (``kefu.tickets.rules``), which may change the ticket further, through the services.

A block that records no field change writes nothing at all.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kefu.core.actors import Actor, Source
from kefu.core.audit import audit_record
from kefu.core.errors import NotFound
from kefu.core.event_types import EventType
from kefu.core.events import publish
from kefu.tickets.models import Ticket, TicketEvent
from kefu.tickets.rules import current_cause, note_rule_write, run_rules
from kefu.tickets.services.fields import REFERENCE_FIELDS


def snapshot(obj: Any) -> dict[str, Any] | None:
    """How a related object is remembered in the log: its id and the name it had at the time.

    A status also keeps its type, so that metrics computed later (resolution time, time on hold) read
    the type the ticket really had, whatever an administrator does to the status afterwards.
    """
    if obj is None:
        return None
    name = getattr(obj, "name", None) or str(obj)
    remembered: dict[str, Any] = {"id": obj.pk, "name": name}
    status_type = getattr(obj, "status_type", None)
    if status_type is not None:
        remembered["type"] = str(status_type)
    return remembered


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: Any
    new: Any

    def as_dict(self) -> dict[str, Any]:
        return {"field": self.field, "old": self.old, "new": self.new}


@dataclass
class RecordedChange:
    """One change-set as rules and consumers see it."""

    ticket: Ticket
    event_type: EventType
    actor: Actor
    source: Source
    at: dt.datetime
    change_set: str
    caused_by: str | None
    changes: list[FieldChange] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)
    always: bool = False
    """Record the change-set even without a field change (a deletion, a message)."""
    state: dict[str, Any] | None = None
    """A new ticket's full initial state: logged as one ``created`` row, published field by field."""

    def add(self, field_name: str, old: Any, new: Any) -> None:
        self.changes.append(FieldChange(field_name, old, new))

    def created(self, state: dict[str, Any]) -> None:
        self.state = state
        self.changes = [FieldChange(name, None, value) for name, value in state.items()]

    @property
    def fields(self) -> list[str]:
        return [change.field for change in self.changes]

    def payload(self) -> dict[str, Any]:
        return {
            "change_set": self.change_set,
            "caused_by": self.caused_by,
            "ticket_id": self.ticket.pk,
            "actor": {"kind": self.actor.kind.value, "id": self.actor.id},
            "source": self.source.value,
            "at": self.at.isoformat(),
            "changes": [change.as_dict() for change in self.changes],
            **self.extra,
        }


def change_time(source: Source, requested: dt.datetime | None) -> dt.datetime:
    """When a change happens: now, unless an import backdates it (no other source may)."""
    return requested if (source is Source.IMPORT and requested) else timezone.now()


def lock_ticket(ticket_id: int) -> Ticket:
    """The ticket's current row, locked until the transaction ends.

    PostgreSQL: the lock is taken by a statement without joins, then the row is read with its related
    objects. One ``SELECT … FOR UPDATE`` with the joins would, after waiting for a concurrent writer,
    re-check the joins against the *old* related rows and return nothing when that writer changed a
    foreign key (its priority, say). SQLite needs neither: every transaction begins with the database's
    write lock (``transaction_mode = IMMEDIATE``).
    """
    if connection.features.has_select_for_update:
        Ticket.objects.select_for_update().filter(pk=ticket_id).values_list("pk", flat=True).get()
    return Ticket.objects.select_related(*REFERENCE_FIELDS).get(pk=ticket_id)


def _write(change: RecordedChange) -> None:
    if change.state is not None:
        rows = [FieldChange("", None, change.state)]
    else:
        rows = change.changes or [FieldChange("", None, None)]
    TicketEvent.objects.bulk_create(
        TicketEvent(
            ticket_id=change.ticket.pk,
            created_at=change.at,
            actor_kind=change.actor.kind.value,
            actor_id=change.actor.id,
            actor_name=change.actor.name[:200],
            source=change.source.value,
            action=change.event_type.value,
            field=row.field,
            old_value=row.old,
            new_value=row.new,
            change_set=change.change_set,
            caused_by=change.caused_by or "",
        )
        for row in rows
    )
    audit_record(
        actor=change.actor,
        source=change.source,
        action=change.event_type.value,
        obj=change.ticket,
        changes={row.field or change.event_type.value: {"from": row.old, "to": row.new} for row in rows},
    )


@contextmanager
def ticket_change(
    *,
    actor: Actor,
    source: Source,
    ticket: Ticket,
    event_type: EventType,
    at: dt.datetime | None = None,
    lock: bool = True,
    always: bool = False,
    savepoint: bool = False,
) -> Iterator[RecordedChange]:
    """Open one change-set on ``ticket``; the yielded record's ``ticket`` is the locked, current row.

    ``lock=False`` is for a ticket inserted in this very transaction (nobody else can see it yet).
    The writes need no savepoint of their own when every check runs before the block: an error inside
    then fails the caller's whole transaction (the email intake's, say), as it must. A service that can
    only validate against the locked row (``ticket_update``) asks for ``savepoint=True``, so that a
    refusal inside a caller's transaction leaves that transaction usable.
    """
    with transaction.atomic(savepoint=savepoint):
        current = lock_ticket(ticket.pk) if lock else ticket
        if current.deleted_at is not None:
            # Trashed since the caller read it: the locked row is what counts, not the caller's copy.
            raise NotFound(_("No such ticket."))
        change = RecordedChange(
            ticket=current,
            event_type=event_type,
            actor=actor,
            source=source,
            at=at or timezone.now(),
            change_set=uuid.uuid4().hex,
            caused_by=current_cause(),
            always=always,
        )
        yield change
        if not (change.changes or change.always):
            return
        _write(change)
        if change.caused_by is not None:
            note_rule_write()
        # Announced before the rules run, so that the outbox lists a cause before its effects.
        publish(event_type, **change.payload())
        if run_rules(change):
            current.refresh_from_db()
