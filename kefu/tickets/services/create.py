"""Opening a ticket, from any channel: the one create path.

Whatever the door — the API, the console, email, the help center, the widget, an agent logging a phone
call — a ticket starts with the customer's first message, stored as its first inbound thread (with its
files and CC), and ``description`` holds that message's text. The event stream of a new ticket is
therefore the same on every channel: one ``ticket.created`` change-set with the ticket's full initial
state, the first message's id included.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from kefu.contacts.models import Contact
from kefu.contacts.services import contact_get_or_create_by_email
from kefu.core.actors import Actor, Source
from kefu.core.errors import NotFound, ValidationFailed
from kefu.core.event_types import EventType
from kefu.core.validation import is_email
from kefu.org import permissions
from kefu.org.selectors import agent_access
from kefu.tickets.inputs import ContactRef, MessageInput, TicketCreateInput
from kefu.tickets.models import StatusType, Thread, Ticket
from kefu.tickets.services.attachments import check_file
from kefu.tickets.services.authorization import authorize, authorize_parent
from kefu.tickets.services.cc import cc_contacts_for, check_cc_room
from kefu.tickets.services.changes import change_time, snapshot, ticket_change
from kefu.tickets.services.fields import clean_ticket_fields
from kefu.tickets.services.layout_check import create_errors
from kefu.tickets.services.messages import clean_message, message_thread_fields, store_thread
from kefu.tickets.services.numbering import number_ticket

_CREATE_FIELDS = (
    "subject", "department_id", "status", "priority", "type", "channel", "assignee_id", "team_id",
    "account_id", "brand_id", "parent_id", "category", "sub_category", "product", "language", "tags",
    "custom_fields",
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
    raise ValidationFailed(_("The ticket is not valid."), fields={"contact_id": _(NO_CONTACT)})


# Worded for people, not for one client: the console shows it beside its contact box, and the API names the
# field (``contact_id``) itself.
NO_CONTACT = gettext_noop("Choose a contact or enter an e-mail address.")


def _contact_errors(ref: ContactRef) -> dict[str, str]:
    """What is wrong with the requester, found without creating anyone, so that it is reported beside
    every other bad field (a contact is only created once the whole ticket is valid)."""
    if ref.contact is not None or ref.contact_id is not None:
        return {}
    if not ref.email:
        return {"contact_id": _(NO_CONTACT)}
    if not is_email(ref.email.strip().lower()):
        return {"contact.email": _("Enter a valid email address.")}
    return {}


def _follow_up_of(actor: Actor, ticket_id: int | None) -> Ticket | None:
    """The earlier ticket a new one continues; one the actor cannot see is as unknown as a missing one."""
    if ticket_id is None:
        return None
    earlier = Ticket.objects.filter(pk=ticket_id, deleted_at__isnull=True).first()
    unknown = ValidationFailed(
        _("The ticket is not valid."),
        fields={"follow_up_of_id": _("Unknown id %(id)s.") % {"id": ticket_id}},
    )
    if earlier is None:
        raise unknown
    try:
        authorize(actor, earlier, None)
    except NotFound:
        raise unknown from None
    return earlier


def _checked_fields(actor: Actor, data: TicketCreateInput, errors: dict[str, str]) -> dict[str, Any]:
    """The raw ticket fields of ``data``, once the actor may create (and assign) such a ticket; a department
    the agent does not work in is added to ``errors``, to be reported with every other bad field."""
    authorize(actor, None, permissions.TICKET_CREATE)
    if actor.is_agent and not agent_access(actor.user).can_see_department(data.department_id):
        errors["department_id"] = _("You do not work in this department.")
    raw = {name: getattr(data, name) for name in _CREATE_FIELDS}
    if data.assignee_id is not None or data.team_id is not None:
        authorize(actor, None, permissions.TICKET_ASSIGN)
    requester = data.contact.contact.pk if data.contact.contact else data.contact.contact_id
    # A customer opens tickets for itself; everything else about them is the help desk's to decide.
    if actor.is_contact and requester != actor.id:
        raise ValidationFailed(
            _("The ticket is not valid."),
            fields={"contact_id": _("You can open tickets only for yourself.")},
        )
    return raw


def _ticket_values(
    actor: Actor, source: Source, data: TicketCreateInput, raw: dict[str, Any], errors: dict[str, str]
) -> dict[str, Any]:
    """The checked attributes of the new ticket; everything that can refuse it runs here, before any write.

    ``errors`` holds what the caller already found wrong (the first message); every bad field is reported
    in one refusal, so that a form or a client fixes them all at once.
    """
    errors = {**errors, **_contact_errors(data.contact)}
    if data.contact.contact is None and data.contact.contact_id is not None:
        raw["contact_id"] = data.contact.contact_id
    try:
        values = clean_ticket_fields(None, raw)
    except ValidationFailed as error:
        errors = {**errors, **error.fields}
    else:
        errors = {**create_errors(actor, source, values), **errors}
    if errors:
        raise ValidationFailed(_("The ticket is not valid."), fields=errors)
    contact = _known_contact(actor, source, data.contact)
    if contact is not None:
        values["contact"] = contact
    authorize_parent(actor, values.get("parent"))
    values["follow_up_of"] = _follow_up_of(actor, data.follow_up_of_id)
    if values.get("account") is None and values["contact"].account_id:
        values["account_id"] = values["contact"].account_id
        values.pop("account", None)
    return values


def first_message(data: TicketCreateInput) -> MessageInput:
    """The customer's first message: the one given, or the description as its text."""
    if data.message is not None:
        return data.message
    if not (isinstance(data.description, str) and data.description.strip()):
        raise ValidationFailed(
            _("The ticket is not valid."), fields={"description": _("Write the customer's message.")}
        )
    return MessageInput(body=data.description)


def _clean_first_message(data: TicketCreateInput, message: MessageInput) -> tuple[str, str, list[str]]:
    """The cleaned first message; a text that cleans to nothing is refused as ``description``.

    The first message's text is the ticket's description, and every channel's create form calls it so:
    an error about it names that field (an HTML text such as ``<p> </p>`` is blank once sanitised).
    """
    try:
        return clean_message(message)
    except ValidationFailed as error:
        if "body" not in error.fields:
            raise
        fields = dict(error.fields)
        reason = fields.pop("body")
        if reason == _("This field is required."):
            reason = _("Write the customer's message.")
        raise ValidationFailed(
            _("The ticket is not valid."), fields={"description": reason, **fields}
        ) from None


def initial_state(ticket: Ticket, thread: Thread, tags: list[str]) -> dict[str, Any]:
    """Everything a rule, a metric or the timeline needs to know about a ticket as it was opened."""
    follow_up = ticket.follow_up_of
    return {
        "number": ticket.number,
        "subject": ticket.subject,
        "status": snapshot(ticket.status),
        "priority": snapshot(ticket.priority),
        "type": snapshot(ticket.type),
        "department": snapshot(ticket.department),
        "team": snapshot(ticket.team),
        "assignee": snapshot(ticket.assignee),
        "channel": ticket.channel,
        "contact": {"id": ticket.contact.pk, "name": ticket.contact.name, "email": ticket.contact.email},
        "account": snapshot(ticket.account),
        "brand": snapshot(ticket.brand),
        "parent": snapshot(ticket.parent),
        "follow_up_of": {"id": follow_up.pk, "number": follow_up.number} if follow_up else None,
        "category": ticket.category,
        "sub_category": ticket.sub_category,
        "product": ticket.product,
        "language": ticket.language,
        "tags": tags,
        "custom_fields": ticket.custom_fields,
        "first_message": thread.pk,
    }


def ticket_create(*, actor: Actor, source: Source, data: TicketCreateInput) -> Ticket:
    """Validate, number and store a new ticket with its first message, log it and announce it.

    Every check runs before the first write, so the writes need no savepoint of their own inside a
    caller's transaction (the intake's, say): an error among them fails that whole transaction.
    """
    errors: dict[str, str] = {}
    raw = _checked_fields(actor, data, errors)
    try:
        message = first_message(data)
        body_html, body_text, cc = _clean_first_message(data, message)
    except ValidationFailed as error:
        errors.update(error.fields)
    values = _ticket_values(actor, source, data, raw, errors)
    files = [check_file(file) for file in message.files]
    keep_in_cc = message.keep_in_cc if message.keep_in_cc is not None else cc
    cc_contacts = cc_contacts_for(source, keep_in_cc, exclude={values["contact"].pk})
    check_cc_room(0, len(cc_contacts))
    if message.attachment_ids:
        raise ValidationFailed(
            _("The ticket is not valid."),
            fields={"attachment_ids": _("A new ticket takes its files with the message.")},
        )
    with transaction.atomic(savepoint=False):
        tags = values.pop("tags", [])
        created_at = change_time(source, data.created_at)
        ticket = Ticket(
            created_at=created_at,
            updated_at=created_at,
            is_spam=data.is_spam,
            # Sanitised HTML, as ``ticket_update`` stores it: the console shows the description as HTML.
            description=body_html,
            **values,
        )
        if ticket.status.status_type == StatusType.CLOSED:
            ticket.closed_at = created_at
        number_ticket(ticket)
        ticket.save(force_insert=True)
        if tags:
            ticket.tags.add(*tags)
        if cc_contacts:
            ticket.cc_contacts.add(*cc_contacts)
        with ticket_change(
            actor=actor,
            source=source,
            ticket=ticket,
            event_type=EventType.TICKET_CREATED,
            at=created_at,
            lock=False,
        ) as change:
            thread, attachments = store_thread(
                change,
                [],
                files,
                uploaded_by=actor.user if actor.is_agent else None,
                **message_thread_fields(ticket, message, body_html, body_text, cc),
            )
            state = initial_state(ticket, thread, sorted(tag.name for tag in tags))
            state["cc_contacts"] = [{"id": c.pk, "email": c.email} for c in cc_contacts]
            state["attachments"] = [{"id": a.pk, "name": a.filename} for a in attachments]
            change.created(state)
    ticket.first_thread = thread
    return ticket
