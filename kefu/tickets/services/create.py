"""Opening a ticket, from any channel."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kefu.contacts.models import Contact
from kefu.contacts.services import contact_get_or_create_by_email
from kefu.core.actors import Actor, Source
from kefu.core.errors import ValidationFailed
from kefu.core.events import publish
from kefu.org import permissions
from kefu.org.selectors import agent_access
from kefu.tickets.inputs import ContactRef, MessageInput, TicketCreateInput
from kefu.tickets.models import Thread, Ticket
from kefu.tickets.services.attachments import raise_unusable_attachments
from kefu.tickets.services.authorization import authorize, authorize_parent
from kefu.tickets.services.conversation import clean_message, message_thread_fields
from kefu.tickets.services.fields import clean_ticket_fields
from kefu.tickets.services.history import Change, record_changes, snapshot
from kefu.tickets.services.numbering import next_ticket_number

_CREATE_FIELDS = (
    "subject", "description", "department_id", "status", "priority", "channel", "assignee_id", "team_id",
    "account_id", "brand_id", "parent_id", "category", "sub_category", "product", "language", "tags",
    "custom_fields", "first_response_due_at", "resolution_due_at",
)  # fmt: skip


def _known_contact(actor: Actor, source: Source, ref: ContactRef) -> Contact | None:
    """The contact when the caller has it or gives an email; ``None`` leaves an id to the field checks."""
    if ref.contact is not None:
        if ref.contact.merged_into_id is not None:
            raise ValidationFailed(
                _("The ticket is not valid."),
                fields={"contact_id": _("Unknown id %(id)s.") % {"id": ref.contact.pk}},
            )
        return ref.contact
    if ref.contact_id is not None:
        return None
    if ref.email:
        return contact_get_or_create_by_email(actor=actor, source=source, email=ref.email, name=ref.name)
    raise ValidationFailed(
        _("The ticket is not valid."), fields={"contact_id": _("Give contact_id or contact.email.")}
    )


def _follow_up_of(actor: Actor, ticket_id: int | None) -> Ticket | None:
    """The earlier ticket a new one continues; one the actor cannot see is as unknown as a missing one."""
    if ticket_id is None:
        return None
    earlier = Ticket.objects.filter(pk=ticket_id, deleted_at__isnull=True).first()
    if earlier is None or (
        actor.is_agent and not agent_access(actor.user).can_see_department(earlier.department_id)
    ):
        raise ValidationFailed(
            _("The ticket is not valid."),
            fields={"follow_up_of_id": _("Unknown id %(id)s.") % {"id": ticket_id}},
        )
    return earlier


def _checked_fields(actor: Actor, data: TicketCreateInput) -> dict[str, Any]:
    """The raw ticket fields of ``data``, once the actor may create (and assign) such a ticket."""
    authorize(actor, None, permissions.TICKET_CREATE)
    if actor.is_agent and not agent_access(actor.user).can_see_department(data.department_id):
        raise ValidationFailed(
            _("The ticket is not valid."), fields={"department_id": _("You do not work in this department.")}
        )
    raw = {name: value for name, value in asdict(data).items() if name in _CREATE_FIELDS}
    if data.assignee_id is not None or data.team_id is not None:
        authorize(actor, None, permissions.TICKET_ASSIGN)
    return raw


def _ticket_values(
    actor: Actor, source: Source, data: TicketCreateInput, raw: dict[str, Any]
) -> dict[str, Any]:
    """The checked attributes of the new ticket; everything that can refuse it runs here, before any write."""
    contact = _known_contact(actor, source, data.contact)
    if contact is None:
        raw["contact_id"] = data.contact.contact_id
    values = clean_ticket_fields(None, raw)
    if contact is not None:
        values["contact"] = contact
    authorize_parent(actor, values.get("parent"))
    values["follow_up_of"] = _follow_up_of(actor, data.follow_up_of_id)
    if values.get("account") is None and values["contact"].account_id:
        values["account_id"] = values["contact"].account_id
        values.pop("account", None)
    return values


def _insert(source: Source, data: TicketCreateInput, values: dict[str, Any]) -> tuple[Ticket, list[Change]]:
    """Number and store the ticket (inside the caller's transaction); return it and its log."""
    tags = values.pop("tags", [])
    created_at = data.created_at if (source is Source.IMPORT and data.created_at) else timezone.now()
    ticket = Ticket(
        number=next_ticket_number(),
        created_at=created_at,
        updated_at=created_at,
        is_spam=data.is_spam,
        **values,
    )
    if ticket.status.status_type == "closed":
        ticket.closed_at = created_at
    ticket.save(force_insert=True)
    if tags:
        ticket.tags.add(*tags)
    changes = [Change("created", new={"number": ticket.number, "subject": ticket.subject})]
    if ticket.assignee_id:
        changes.append(Change("assigned", "assignee", None, snapshot(ticket.assignee)))
    if ticket.follow_up_of is not None:
        earlier = {"id": ticket.follow_up_of.pk, "number": ticket.follow_up_of.number}
        changes.append(Change("follow_up", "follow_up_of", None, earlier))
    return ticket, changes


def ticket_create(*, actor: Actor, source: Source, data: TicketCreateInput) -> Ticket:
    """Validate, number and store a new ticket, log its creation, and announce it after commit.

    Every check runs before the first write, so the writes need no savepoint of their own inside a
    caller's transaction (the intake's, say): an error among them fails that whole transaction.
    """
    values = _ticket_values(actor, source, data, _checked_fields(actor, data))
    with transaction.atomic(savepoint=False):
        ticket, changes = _insert(source, data, values)
        record_changes(ticket=ticket, actor=actor, source=source, changes=changes, at=ticket.created_at)
        publish("ticket.created", ticket_id=ticket.pk, actor_kind=actor.kind.value, source=source.value)
    return ticket


def ticket_create_with_message(
    *, actor: Actor, source: Source, data: TicketCreateInput, message: MessageInput
) -> Thread:
    """A new ticket whose first thread is the customer's ``message``; return that thread.

    What ``ticket_create`` then ``ticket_receive`` would do, in one pass: the thread is as old as the
    ticket (so the ticket needs no second touch), both events are logged in one insert with one audit
    entry (``ticket.created+received``), and both ``ticket.created`` and ``ticket.message_received`` are
    published. A new ticket has no attachments yet, so ``message.attachment_ids`` must be empty; a channel
    with files stores them on the ticket and adds the message with ``ticket_receive``.
    """
    raw = _checked_fields(actor, data)
    authorize(actor, None, permissions.TICKET_REPLY)
    body_html, body_text, cc = clean_message(message)
    values = _ticket_values(actor, source, data, raw)
    if message.attachment_ids:
        raise_unusable_attachments(message.attachment_ids)
    with transaction.atomic(savepoint=False):
        ticket, changes = _insert(source, data, values)
        thread = Thread.objects.create(
            ticket=ticket,
            created_at=ticket.created_at,
            **message_thread_fields(ticket, message, body_html, body_text, cc),
        )
        changes.append(Change("received", "threads", None, {"id": thread.pk}))
        record_changes(ticket=ticket, actor=actor, source=source, changes=changes, at=ticket.created_at)
        publish("ticket.created", ticket_id=ticket.pk, actor_kind=actor.kind.value, source=source.value)
        publish("ticket.message_received", ticket_id=ticket.pk, thread_id=thread.pk, source=source.value)
    return thread
