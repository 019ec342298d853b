"""The conversation on a ticket: replies to the customer, the customer's messages, comments between agents.

Customer messages follow one policy, whatever the channel (email, help center, widget, chat): a message
on an open ticket joins it; on a ticket closed less than the reopen window ago it reopens the ticket;
after that window it opens a follow-up ticket that links back to the closed one.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from kefu.core.actors import Actor, Source
from kefu.core.errors import ValidationFailed
from kefu.core.event_types import EventType
from kefu.core.ids import is_storable_id
from kefu.org import permissions
from kefu.org.models import User
from kefu.org.selectors import agent_access
from kefu.tickets.inputs import CommentInput, ContactRef, MessageInput, ReplyInput, TicketCreateInput
from kefu.tickets.models import Attachment, Channel, Comment, Status, StatusType, Thread, Ticket
from kefu.tickets.services.attachments import check_file, claim_attachments
from kefu.tickets.services.authorization import TICKET_RECEIVE, authorize
from kefu.tickets.services.cc import add_cc_contacts, cc_contacts_for
from kefu.tickets.services.changes import RecordedChange, change_time, lock_ticket, snapshot, ticket_change
from kefu.tickets.services.create import ticket_create
from kefu.tickets.services.messages import (
    clean_addresses,
    clean_body,
    clean_message,
    message_thread_fields,
    store_thread,
)
from kefu.tickets.services.schedule import clean_send_at, reply_schedule


def _touch(change: RecordedChange, *, first_response: bool = False) -> None:
    """The ticket was active now; an agent's first public answer is its first response, set once."""
    ticket, now = change.ticket, change.at
    Ticket.objects.filter(pk=ticket.pk).update(updated_at=now)
    ticket.updated_at = now
    if (
        first_response
        and ticket.first_responded_at is None
        and Ticket.objects.filter(pk=ticket.pk, first_responded_at__isnull=True).update(
            first_responded_at=now
        )
    ):
        ticket.first_responded_at = now
        change.add("first_responded_at", None, now.isoformat())


def reply_recipients(ticket: Ticket) -> list[str]:
    """Whom a reply goes to when the agent names nobody: the requester's address, if it has one."""
    return [ticket.contact.email] if ticket.contact.email else []


def ticket_reply(*, actor: Actor, source: Source, ticket: Ticket, data: ReplyInput) -> Thread:
    """Send a public answer to the customer: by email to the requester (and CC), after commit.

    A requester without an email address cannot receive it: the thread is kept and shows
    "not delivered: no address" instead of claiming a delivery that will not happen.

    With ``data.send_at`` the reply is *scheduled* instead (see ``services.scheduled``): stored now,
    sent at that moment by the beat task through :func:`reply_sent`, the same record an immediate
    reply writes.
    """
    authorize(actor, ticket, permissions.TICKET_REPLY)
    errors: dict[str, str] = {}
    body_html, body_text = clean_body(data.body, errors)
    to = clean_addresses(data.to, "to", errors) or reply_recipients(ticket)
    cc = clean_addresses(data.cc, "cc", errors)
    bcc = clean_addresses(data.bcc, "bcc", errors)
    send_at = clean_send_at(actor, data.send_at, errors) if data.send_at is not None else None
    if errors:
        raise ValidationFailed(_("The reply is not valid."), fields=errors)
    attachments = claim_attachments(ticket, data.attachment_ids)
    fields = {
        "direction": Thread.Direction.OUTBOUND,
        "channel": Channel.EMAIL
        if to
        else (ticket.channel if ticket.channel in Channel.values else Channel.WEB),
        "author_user": actor.user if actor.is_agent else None,
        "to": to,
        "cc": cc,
        "bcc": bcc,
        "body_html": body_html,
        "body_text": body_text,
    }
    if send_at is not None:
        return reply_schedule(
            actor=actor, source=source, ticket=ticket, attachments=attachments, send_at=send_at, fields=fields
        )
    with ticket_change(
        actor=actor,
        source=source,
        ticket=ticket,
        event_type=EventType.TICKET_REPLIED,
        at=change_time(source, data.created_at),
        always=True,
    ) as change:
        thread, _stored = store_thread(
            change,
            attachments,
            [],
            subject=change.ticket.subject,
            delivery_status="" if to else Thread.Delivery.NO_ADDRESS,
            **fields,
        )
        reply_sent(change)
    return thread


def reply_sent(change: RecordedChange) -> None:
    """What a reply going out adds to its change-set, sent now or at its scheduled time."""
    actor = change.actor
    _touch(change, first_response=actor.is_agent or actor.kind.value in {"rule", "blueprint"})


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
    body_html, body_text = clean_body(data.body, errors)
    mentions = _clean_mentions(ticket, data.mention_ids, errors)
    if errors:
        raise ValidationFailed(_("The comment is not valid."), fields=errors)
    attachments = claim_attachments(ticket, data.attachment_ids)
    with ticket_change(
        actor=actor,
        source=source,
        ticket=ticket,
        event_type=EventType.TICKET_COMMENTED,
        at=change_time(source, data.created_at),
    ) as change:
        comment = Comment.objects.create(
            ticket=change.ticket,
            author=actor.user if actor.is_agent else None,
            body_html=body_html,
            body_text=body_text,
            is_public=data.is_public,
            created_at=change.at,
        )
        comment.mentions.set(mentions)
        Attachment.objects.filter(pk__in=[attachment.pk for attachment in attachments]).update(
            comment=comment
        )
        _touch(change)
        change.add("comments", None, {"id": comment.pk, "public": data.is_public})
        change.extra.update(comment_id=comment.pk, mention_ids=[user.pk for user in mentions])
    return comment


def reopen_status() -> Status | None:
    """Where a reopened ticket goes: the first active open status in the administrator's order."""
    return Status.objects.filter(status_type=StatusType.OPEN, is_active=True).order_by("order", "id").first()


def _reopen_window(ticket: Ticket, reopen_within: dt.timedelta | None) -> dt.timedelta:
    if reopen_within is not None:
        return reopen_within
    return dt.timedelta(days=ticket.department.reopen_within_days)


def _follow_up(actor: Actor, source: Source, closed: Ticket, data: MessageInput) -> Thread:
    requester = ContactRef(contact_id=actor.id) if actor.is_contact else ContactRef(contact=closed.contact)
    ticket = ticket_create(
        actor=actor,
        source=source,
        data=TicketCreateInput(
            subject=data.subject or closed.subject,
            department_id=closed.department_id,
            brand_id=closed.brand_id,
            contact=requester,
            channel=data.channel or closed.channel,
            follow_up_of_id=closed.pk,
            message=data,
        ),
    )
    assert ticket.first_thread is not None
    return ticket.first_thread


def ticket_receive(
    *,
    actor: Actor,
    source: Source,
    ticket: Ticket,
    data: MessageInput,
    reopen_within: dt.timedelta | None = None,
) -> Thread:
    """Record a message from the customer on ``ticket`` and return its thread.

    On a closed ticket the message reopens it within the reopen window (the channel's, such as a
    mailbox's, else the department's); after it, the message opens a follow-up ticket instead, and the
    returned thread belongs to that new ticket.
    """
    authorize(actor, ticket, TICKET_RECEIVE)
    body_html, body_text, cc = clean_message(data)
    attachments = claim_attachments(ticket, data.attachment_ids)
    files = [check_file(file) for file in data.files]
    keep_in_cc = data.keep_in_cc if data.keep_in_cc is not None else cc
    with transaction.atomic(savepoint=False):
        current = lock_ticket(ticket.pk)
        now = change_time(source, data.created_at)
        closed = current.status.status_type == StatusType.CLOSED
        if closed and current.closed_at and now - current.closed_at > _reopen_window(current, reopen_within):
            return _follow_up(actor, source, current, data)
        cc_contacts = cc_contacts_for(source, keep_in_cc, exclude={current.contact_id})
        with ticket_change(
            actor=actor,
            source=source,
            ticket=current,
            event_type=EventType.TICKET_MESSAGE_RECEIVED,
            at=now,
            lock=False,
            always=True,
        ) as change:
            if closed:
                _reopen(change)
            add_cc_contacts(change, cc_contacts)
            thread, _stored = store_thread(
                change, attachments, files, **message_thread_fields(current, data, body_html, body_text, cc)
            )
            _touch(change)
    return thread


def _reopen(change: RecordedChange) -> None:
    ticket = change.ticket
    status = reopen_status()
    if status is None:
        return
    change.add("status", snapshot(ticket.status), snapshot(status))
    ticket.status, ticket.closed_at = status, None
    Ticket.objects.filter(pk=ticket.pk).update(status=status, closed_at=None)
