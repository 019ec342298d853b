"""One reply to many tickets: the text's placeholders filled per ticket, each sent as its own reply.

Each ticket gets an ordinary reply (``tickets.services.ticket_reply``), so each goes out by email through
that ticket's own mailbox, answering that ticket's own conversation (its own Message-ID, In-Reply-To and
References and its subject tag), with that ticket's events, rules and first response. Tickets are
independent, as in the list's bulk update: one that fails (not visible, in the trash, no right to reply)
is reported with the reason and the others are answered.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from kefu.automation.macros.placeholders import render_body, unknown_placeholders
from kefu.core.actors import Actor, Source
from kefu.core.errors import ServiceError, ValidationFailed
from kefu.tickets.inputs import ReplyInput
from kefu.tickets.models import Ticket
from kefu.tickets.selectors import visible_tickets
from kefu.tickets.services import MAX_BODY, ticket_reply
from kefu.tickets.services.bulk import MAX_BULK, BulkFailure


@dataclass
class BulkReplyResult:
    """The tickets answered (ticket id → the reply's thread id) and each refused one with the reason."""

    replied: dict[int, int] = field(default_factory=dict)
    failures: list[BulkFailure] = field(default_factory=list)


def _message(error: ServiceError) -> str:
    """A refusal in one line, as the bulk update words it: the message, then what each field said."""
    details = "; ".join(error.fields.values())
    return f"{error.message} {details}" if details and details != error.message else error.message


def _check(ticket_ids: Sequence[int], body: str) -> None:
    errors: dict[str, str] = {}
    if not ticket_ids:
        errors["ticket_ids"] = _("Select at least one ticket.")
    elif len(ticket_ids) > MAX_BULK:
        errors["ticket_ids"] = _("Select at most %(limit)d tickets.") % {"limit": MAX_BULK}
    if not isinstance(body, str) or not body.strip():
        errors["body"] = _("This field is required.")
    elif len(body) > MAX_BODY:
        errors["body"] = _("Enter at most %(limit)d characters.") % {"limit": MAX_BODY}
    elif unknown := unknown_placeholders(body):
        errors["body"] = _("Unknown placeholder %(name)s.") % {"name": unknown[0]}
    if errors:
        raise ValidationFailed(_("The reply is not valid."), fields=errors)


def ticket_bulk_reply(
    *, actor: Actor, source: Source, ticket_ids: Sequence[int], body: str
) -> BulkReplyResult:
    """Reply ``body`` (placeholders filled per ticket) to each ticket of ``ticket_ids``, in their order.

    A ticket the actor cannot see fails as "No such ticket." and is not touched; any other refusal of
    the reply service is reported with its reason.
    """
    ids = list(dict.fromkeys(ticket_ids))
    _check(ids, body)
    scope = visible_tickets(actor.user) if actor.is_agent else Ticket.objects.filter(deleted_at__isnull=True)
    tickets = {
        ticket.pk: ticket
        for ticket in scope.filter(pk__in=ids).select_related("contact", "status", "priority", "department")
    }
    result = BulkReplyResult()
    agent = actor.user if actor.is_agent else None
    for ticket_id in ids:
        ticket = tickets.get(ticket_id)
        if ticket is None:
            result.failures.append(BulkFailure(ticket_id, None, _("No such ticket.")))
            continue
        try:
            thread = ticket_reply(
                actor=actor,
                source=source,
                ticket=ticket,
                data=ReplyInput(body=render_body(body, ticket=ticket, agent=agent)),
            )
        except ServiceError as exc:
            result.failures.append(BulkFailure(ticket.pk, ticket.number, _message(exc)))
        else:
            result.replied[ticket.pk] = thread.pk
    return result
