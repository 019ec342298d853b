"""Changing many tickets at once from the console's list.

A bulk action is the single-ticket service called once per ticket, so every permission, validation,
event, rule and notification applies exactly as if the agent had changed each ticket by hand. Tickets
are independent: one that fails (not visible, not allowed, invalid) is reported and the others change.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kefu.core.actors import Actor, Source
from kefu.core.errors import ServiceError, ValidationFailed
from kefu.tickets.models import Status, StatusType, Ticket
from kefu.tickets.selectors import trashed_tickets, visible_tickets
from kefu.tickets.services.tags import ticket_tag
from kefu.tickets.services.trash import ticket_mark_spam, ticket_restore
from kefu.tickets.services.update import ticket_assign, ticket_delete, ticket_set_status, ticket_update

MAX_BULK = 100
BULK_ACTIONS = {
    "assign": gettext_lazy("Assign"),
    "status": gettext_lazy("Change status"),
    "priority": gettext_lazy("Change priority"),
    "tag": gettext_lazy("Add tag"),
    "close": gettext_lazy("Close"),
    "spam": gettext_lazy("Mark as spam"),
    "not_spam": gettext_lazy("Not spam"),
    "trash": gettext_lazy("Move to trash"),
    "restore": gettext_lazy("Restore"),
}


@dataclass(frozen=True)
class BulkFailure:
    ticket_id: int
    number: int | None
    message: str


@dataclass
class BulkResult:
    changed: list[int] = field(default_factory=list)
    failures: list[BulkFailure] = field(default_factory=list)


def _assignee(value: str | int | None, actor: Actor) -> int | None:
    if value in (None, "", "none"):
        return None
    if value == "me" and actor.is_agent:
        return actor.user.pk
    text = str(value)
    if not (text.isascii() and text.isdigit() and len(text) < 19):
        raise ValidationFailed(_("Choose an agent."), fields={"assignee": _("Choose an agent.")})
    return int(text)


def _reference(value: str | int | None) -> str | int | None:
    """A status or priority as the form sends it: an id in text becomes the id, a name stays a name."""
    text = str(value)
    return int(text) if text.isascii() and text.isdigit() and len(text) < 19 else value


def _closed_status() -> Status:
    status = (
        Status.objects.filter(status_type=StatusType.CLOSED, is_active=True).order_by("order", "id").first()
    )
    if status is None:
        raise ValidationFailed(_("No closed status is configured."), fields={"action": _("Cannot close.")})
    return status


def _message(error: ServiceError) -> str:
    details = "; ".join(error.fields.values())
    return f"{error.message} {details}" if details and details != error.message else error.message


def _check(action: str, ticket_ids: Sequence[int], value: str | int | None) -> None:
    if action not in BULK_ACTIONS:
        raise ValidationFailed(_("Choose an action."), fields={"action": _("Choose an action.")})
    if not ticket_ids:
        raise ValidationFailed(_("Select at least one ticket."), fields={"ticket_ids": _("Select tickets.")})
    if len(ticket_ids) > MAX_BULK:
        raise ValidationFailed(
            _("Select at most %(limit)d tickets.") % {"limit": MAX_BULK},
            fields={"ticket_ids": _("Too many tickets.")},
        )
    if action in ("status", "priority", "tag") and value in (None, ""):
        raise ValidationFailed(_("Choose a value."), fields={action: _("Choose a value.")})


def ticket_bulk_update(
    *,
    actor: Actor,
    source: Source,
    ticket_ids: Sequence[int],
    action: str,
    value: str | int | None = None,
) -> BulkResult:
    """Apply ``action`` (assign, status, priority, tag, close, spam, not_spam, trash or restore) with
    ``value`` to each ticket.

    ``value`` is an agent's user id, ``me`` or empty (assign), a status or priority id or name, or a tag
    name. A ticket the actor cannot see fails as "No such ticket." and is not touched; ``restore`` works
    on the tickets in the trash only, every other action on the tickets out of it.
    """
    ids = list(dict.fromkeys(ticket_ids))
    _check(action, ids, value)
    assignee_id = _assignee(value, actor) if action == "assign" else None
    closed = _closed_status() if action == "close" else None
    if action in ("status", "priority"):
        value = _reference(value)
    if action == "restore":
        scope = trashed_tickets(actor.user) if actor.is_agent else Ticket.objects.none()
    elif actor.is_agent:
        scope = visible_tickets(actor.user)
    else:
        scope = Ticket.objects.filter(deleted_at__isnull=True)
    tickets = {ticket.pk: ticket for ticket in scope.filter(pk__in=ids)}
    result = BulkResult()
    for ticket_id in ids:
        ticket = tickets.get(ticket_id)
        if ticket is None:
            result.failures.append(BulkFailure(ticket_id, None, _("No such ticket.")))
            continue
        try:
            if action == "assign":
                ticket_assign(actor=actor, source=source, ticket=ticket, assignee_id=assignee_id)
            elif action == "status":
                ticket_set_status(actor=actor, source=source, ticket=ticket, status=value)  # type: ignore[arg-type]
            elif action == "priority":
                ticket_update(actor=actor, source=source, ticket=ticket, changes={"priority": value})
            elif action == "tag":
                ticket_tag(actor=actor, source=source, ticket=ticket, add=[str(value)])
            elif action in ("spam", "not_spam"):
                ticket_mark_spam(actor=actor, source=source, ticket=ticket, spam=action == "spam")
            elif action == "trash":
                ticket_delete(actor=actor, source=source, ticket=ticket)
            elif action == "restore":
                ticket_restore(actor=actor, source=source, ticket=ticket)
            elif closed is not None:
                ticket_set_status(actor=actor, source=source, ticket=ticket, status=closed.pk)
        except ServiceError as exc:
            result.failures.append(BulkFailure(ticket.pk, ticket.number, _message(exc)))
        else:
            result.changed.append(ticket.pk)
    return result
