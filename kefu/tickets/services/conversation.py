"""The conversation on a ticket: replies to the customer and comments between agents."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kefu.core.actors import Actor, Source
from kefu.core.errors import ValidationFailed
from kefu.core.events import publish
from kefu.core.html import normalise_body
from kefu.core.ids import is_storable_id
from kefu.core.validation import is_email
from kefu.org import permissions
from kefu.org.models import User
from kefu.org.selectors import agent_access
from kefu.tickets.inputs import CommentInput, MessageInput, ReplyInput
from kefu.tickets.models import Attachment, Channel, Comment, Thread, Ticket
from kefu.tickets.services.attachments import claim_attachments
from kefu.tickets.services.authorization import authorize
from kefu.tickets.services.fields import MAX_BODY
from kefu.tickets.services.history import Change, record_changes

MAX_RECIPIENTS = 50


def _clean_body(body: str, errors: dict[str, str]) -> tuple[str, str]:
    if not isinstance(body, str) or not body.strip():
        errors["body"] = _("This field is required.")
        return "", ""
    if len(body) > MAX_BODY:
        errors["body"] = _("Enter at most %(limit)d characters.") % {"limit": MAX_BODY}
        return "", ""
    safe_html, text = normalise_body(body)
    if not text.strip() and "<img" not in safe_html:
        errors["body"] = _("This field is required.")
    return safe_html, text


def _clean_addresses(addresses: list[str], field: str, errors: dict[str, str]) -> list[str]:
    if len(addresses) > MAX_RECIPIENTS:
        errors[field] = _("At most %(limit)d addresses.") % {"limit": MAX_RECIPIENTS}
        return []
    cleaned = []
    for address in addresses:
        address = address.strip().lower() if isinstance(address, str) else ""
        if is_email(address):
            cleaned.append(address)
        else:
            errors[field] = _("Enter valid email addresses.")
    return list(dict.fromkeys(cleaned))


def _touch(ticket: Ticket, now: object, *, first_response: bool = False) -> None:
    fields = {"updated_at": now}
    if first_response and ticket.first_responded_at is None:
        fields["first_responded_at"] = now
    Ticket.objects.filter(pk=ticket.pk).update(**fields)
    for name, value in fields.items():
        setattr(ticket, name, value)


def _add_thread(
    *,
    actor: Actor,
    source: Source,
    ticket: Ticket,
    data: ReplyInput | MessageInput,
    action: str,
    event: str,
    **fields: Any,
) -> Thread:
    """Store a validated message with its attachments, log it and announce it after commit.

    The attachments are checked before the first write, so the writes need no savepoint inside a
    caller's transaction (the email intake's): an error among them fails that whole transaction.
    """
    attachments = claim_attachments(ticket, data.attachment_ids)
    with transaction.atomic(savepoint=False):
        now = data.created_at if (source is Source.IMPORT and data.created_at) else timezone.now()
        thread = Thread.objects.create(ticket=ticket, created_at=now, **fields)
        Attachment.objects.filter(pk__in=[attachment.pk for attachment in attachments]).update(thread=thread)
        first_response = actor.is_agent and thread.direction == Thread.Direction.OUTBOUND
        _touch(ticket, now, first_response=first_response)
        record_changes(
            ticket=ticket,
            actor=actor,
            source=source,
            changes=[Change(action, "threads", None, {"id": thread.pk})],
            at=now,
        )
        publish(event, ticket_id=ticket.pk, thread_id=thread.pk, source=source.value)
    return thread


def ticket_reply(*, actor: Actor, source: Source, ticket: Ticket, data: ReplyInput) -> Thread:
    """Send a public answer to the customer; it goes out through the ticket's channel after commit."""
    authorize(actor, ticket, permissions.TICKET_REPLY)
    errors: dict[str, str] = {}
    body_html, body_text = _clean_body(data.body, errors)
    to = _clean_addresses(data.to, "to", errors) or ([ticket.contact.email] if ticket.contact.email else [])
    cc = _clean_addresses(data.cc, "cc", errors)
    bcc = _clean_addresses(data.bcc, "bcc", errors)
    if errors:
        raise ValidationFailed(_("The reply is not valid."), fields=errors)
    return _add_thread(
        actor=actor,
        source=source,
        ticket=ticket,
        data=data,
        action="replied",
        event="ticket.replied",
        direction=Thread.Direction.OUTBOUND,
        channel=ticket.channel if ticket.channel in Channel.values else Channel.WEB,
        author_user=actor.user if actor.is_agent else None,
        to=to,
        cc=cc,
        bcc=bcc,
        subject=ticket.subject,
        body_html=body_html,
        body_text=body_text,
    )


def _clean_mentions(ticket: Ticket, mention_ids: list[int], errors: dict[str, str]) -> list[User]:
    wanted = list(dict.fromkeys(mention_ids))
    users = list(User.objects.filter(pk__in=[pk for pk in wanted if is_storable_id(pk)], is_active=True))
    mentionable = [user for user in users if agent_access(user).can_see_department(ticket.department_id)]
    if len(mentionable) != len(wanted):
        errors["mention_ids"] = _("Only agents who can see this ticket can be mentioned.")
    return mentionable


def ticket_comment(*, actor: Actor, source: Source, ticket: Ticket, data: CommentInput) -> Comment:
    """Add an internal note (or a public comment) with optional @mentions of agents."""
    authorize(
        actor, ticket, permissions.TICKET_COMMENT_PUBLIC if data.is_public else permissions.TICKET_COMMENT
    )
    errors: dict[str, str] = {}
    body_html, body_text = _clean_body(data.body, errors)
    mentions = _clean_mentions(ticket, data.mention_ids, errors)
    if errors:
        raise ValidationFailed(_("The comment is not valid."), fields=errors)
    with transaction.atomic():
        attachments = claim_attachments(ticket, data.attachment_ids)
        now = data.created_at if (source is Source.IMPORT and data.created_at) else timezone.now()
        comment = Comment.objects.create(
            ticket=ticket,
            author=actor.user if actor.is_agent else None,
            body_html=body_html,
            body_text=body_text,
            is_public=data.is_public,
            created_at=now,
        )
        comment.mentions.set(mentions)
        Attachment.objects.filter(pk__in=[attachment.pk for attachment in attachments]).update(
            comment=comment
        )
        _touch(ticket, now)
        record_changes(
            ticket=ticket,
            actor=actor,
            source=source,
            changes=[Change("commented", "comments", None, {"id": comment.pk, "public": data.is_public})],
            at=now,
        )
        publish(
            "ticket.commented",
            ticket_id=ticket.pk,
            comment_id=comment.pk,
            mention_ids=[user.pk for user in mentions],
            source=source.value,
        )
    return comment


def clean_message(data: MessageInput) -> tuple[str, str, list[str]]:
    """``(body_html, body_text, cc)`` of a customer's message, or a validation error."""
    errors: dict[str, str] = {}
    body_html, body_text = _clean_body(data.body, errors)
    cc = _clean_addresses(data.cc, "cc", errors)
    if errors:
        raise ValidationFailed(_("The message is not valid."), fields=errors)
    return body_html, body_text, cc


def message_thread_fields(
    ticket: Ticket, data: MessageInput, body_html: str, body_text: str, cc: list[str]
) -> dict[str, Any]:
    """The columns of the inbound thread a cleaned customer's message becomes on ``ticket``."""
    return {
        "direction": Thread.Direction.INBOUND,
        "channel": data.channel or ticket.channel,
        "author_contact": ticket.contact,
        "from_address": data.from_address or ticket.contact.email,
        "cc": cc,
        "subject": data.subject or ticket.subject,
        "body_html": body_html,
        "body_text": body_text,
        "full_html": data.full_html,
        "message_id": data.message_id,
    }


def ticket_receive(*, actor: Actor, source: Source, ticket: Ticket, data: MessageInput) -> Thread:
    """Record a message from the customer on an existing ticket (email reply, portal, chat…)."""
    authorize(actor, ticket, permissions.TICKET_REPLY)
    body_html, body_text, cc = clean_message(data)
    return _add_thread(
        actor=actor,
        source=source,
        ticket=ticket,
        data=data,
        action="received",
        event="ticket.message_received",
        **message_thread_fields(ticket, data, body_html, body_text, cc),
    )
