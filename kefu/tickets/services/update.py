"""Changing a ticket's fields: properties, assignment, status and deletion."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from kefu.core.actors import Actor, Source
from kefu.core.errors import PermissionDenied, ValidationFailed
from kefu.core.event_types import EventType
from kefu.org import permissions
from kefu.org.selectors import agent_access
from kefu.tickets.models import StatusType, Ticket
from kefu.tickets.services.authorization import TICKET_CLOSE, authorize, authorize_parent
from kefu.tickets.services.changes import RecordedChange, change_time, snapshot, ticket_change
from kefu.tickets.services.fields import REFERENCE_FIELDS, clean_ticket_fields
from kefu.tickets.services.hierarchy import follow_family
from kefu.tickets.services.layout_check import check_update


def _loggable(field: str, value: Any) -> Any:
    if field in REFERENCE_FIELDS:
        return snapshot(value)
    if field == "tags":
        return sorted(tag.name for tag in value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _current(ticket: Ticket, field: str) -> Any:
    if field == "tags":
        return list(ticket.tags.all())
    return getattr(ticket, field)


def _same(field: str, old: Any, new: Any) -> bool:
    if field in REFERENCE_FIELDS:
        return (old.pk if old else None) == (new.pk if new else None)
    if field == "tags":
        return {tag.pk for tag in old} == {tag.pk for tag in new}
    return old == new


def _check_permissions(actor: Actor, ticket: Ticket, fields: set[str]) -> None:
    authorize(actor, ticket, None)
    if actor.is_contact:
        authorize(actor, ticket, TICKET_CLOSE)
        return
    if fields & {"assignee_id", "team_id"}:
        authorize(actor, ticket, permissions.TICKET_ASSIGN)
    if fields - {"assignee_id", "team_id"}:
        authorize(actor, ticket, permissions.TICKET_EDIT)


def _follow_department(ticket: Ticket, cleaned: dict[str, Any]) -> None:
    """Moving a ticket to another department drops a team and assignee who do not belong there."""
    department = cleaned.get("department")
    if department is None or department.pk == ticket.department_id:
        return
    team = cleaned.get("team", ticket.team)
    if team is not None and team.department_id != department.pk:
        cleaned["team"] = None
    assignee = cleaned.get("assignee", ticket.assignee)
    if assignee is not None and not agent_access(assignee).can_see_department(department.pk):
        cleaned["assignee"] = None


def ticket_update(
    *, actor: Actor, source: Source, ticket: Ticket, changes: Mapping[str, Any], at: dt.datetime | None = None
) -> Ticket:
    """Apply a partial change of fields; each field that really changed becomes one event row.

    ``at`` backdates the change and is honoured for imports only. A status change that closes a parent
    or a last child closes the rest of the family in the same transaction (``services.hierarchy``).
    """
    if not changes:
        raise ValidationFailed(_("Nothing to change."), fields={"__all__": _("Give at least one field.")})
    _check_permissions(actor, ticket, set(changes))
    with transaction.atomic():
        ticket, change = _record_update(actor, source, ticket, changes, at)
        follow_family(change, _set_status_as)
    return ticket


def _set_status_as(actor: Actor, source: Source, ticket: Ticket, status_id: int) -> None:
    ticket_update(actor=actor, source=source, ticket=ticket, changes={"status": status_id})


def _record_update(
    actor: Actor, source: Source, ticket: Ticket, changes: Mapping[str, Any], at: dt.datetime | None
) -> tuple[Ticket, RecordedChange]:
    with ticket_change(
        actor=actor,
        source=source,
        ticket=ticket,
        event_type=EventType.TICKET_UPDATED,
        at=change_time(source, at),
        savepoint=True,
    ) as change:
        ticket = change.ticket
        cleaned = clean_ticket_fields(ticket, changes)
        authorize_parent(actor, cleaned.get("parent"))
        if actor.is_contact:
            _check_customer_close(cleaned)
        _follow_department(ticket, cleaned)
        touched: set[str] = set()
        for field, new in cleaned.items():
            old = _current(ticket, field)
            if _same(field, old, new):
                continue
            touched |= _touched(field, old, new)
            change.add(field, _loggable(field, old), _loggable(field, new))
            if field == "tags":
                ticket.tags.set(new)
            else:
                setattr(ticket, field, new)
        if change.changes:
            closing = "status" in touched and ticket.status.status_type == StatusType.CLOSED
            check_update(actor, source, ticket, touched, closing=closing)
            if "status" in cleaned:
                _apply_status_timestamps(ticket, change.at)
            ticket.updated_at = change.at
            ticket.save()
    return ticket, change


def _touched(field: str, old: Any, new: Any) -> set[str]:
    """The layout names of what a change really changed: each custom field by its own name."""
    if field != "custom_fields":
        return {field}
    old, new = old or {}, new or {}
    return {f"custom_fields.{key}" for key in set(old) | set(new) if old.get(key) != new.get(key)}


def _check_customer_close(cleaned: dict[str, Any]) -> None:
    """A customer may close its ticket, and change nothing else."""
    status = cleaned.get("status")
    if set(cleaned) != {"status"} or status is None or status.status_type != StatusType.CLOSED:
        raise PermissionDenied(_("You do not have permission to do this."))


def _apply_status_timestamps(ticket: Ticket, now: dt.datetime) -> None:
    if ticket.status.status_type == StatusType.CLOSED:
        ticket.closed_at = ticket.closed_at or now
    else:
        ticket.closed_at = None


def ticket_assign(*, actor: Actor, source: Source, ticket: Ticket, assignee_id: int | None) -> Ticket:
    return ticket_update(actor=actor, source=source, ticket=ticket, changes={"assignee_id": assignee_id})


def ticket_set_status(*, actor: Actor, source: Source, ticket: Ticket, status: int | str) -> Ticket:
    """Move to ``status`` (an id or a name): closing sets ``closed_at``, reopening clears it."""
    return ticket_update(actor=actor, source=source, ticket=ticket, changes={"status": status})


def ticket_delete(*, actor: Actor, source: Source, ticket: Ticket) -> Ticket:
    """Move a ticket to the trash. Its number stays taken; the data stays for audit and restore."""
    authorize(actor, ticket, permissions.TICKET_DELETE)
    with ticket_change(
        actor=actor, source=source, ticket=ticket, event_type=EventType.TICKET_DELETED
    ) as change:
        ticket = change.ticket
        change.add("deleted_at", None, change.at.isoformat())
        ticket.deleted_at = ticket.updated_at = change.at
        ticket.save(update_fields=["deleted_at", "updated_at"])
    return ticket
