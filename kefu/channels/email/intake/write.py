"""Turning a parsed message into a ticket or a thread, through the tickets services only."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from kefu.channels.email.parse.message import ParsedAttachment, ParsedMessage
from kefu.contacts.models import Contact
from kefu.contacts.services import contact_get_or_create_by_email
from kefu.core.actors import Actor, Source
from kefu.core.html import html_to_text, sanitize_html, text_to_html
from kefu.core.validation import is_email
from kefu.tickets import services as tickets
from kefu.tickets.inputs import ContactRef, MessageInput, TicketCreateInput
from kefu.tickets.models import Attachment, Status, StatusType, Thread, Ticket
from kefu.tickets.services.cc import MAX_CC_CONTACTS
from kefu.tickets.services.conversation import MAX_RECIPIENTS
from kefu.tickets.services.fields import MAX_BODY, MAX_SUBJECT

MAX_FULL_HTML = 2_000_000
_CID = re.compile(r"""cid:([^"'\s>]+)""", re.IGNORECASE)


@dataclass
class Written:
    ticket: Ticket
    thread: Thread
    notes: list[str] = field(default_factory=list)


def _fit(html: str) -> str:
    """A body the tickets service accepts: over its limit, the text of the message, cut."""
    if len(html) <= MAX_BODY:
        return html
    # Escaping makes a character at most six long (&quot;): the cut text always fits.
    text = html_to_text(html)[: MAX_BODY // 6 - 200]
    return text_to_html(text + "\n\n" + _("[The rest of this message is in its original source.]"))


def message_bodies(parsed: ParsedMessage) -> tuple[str, str]:
    """``(body, full_html)``: what the thread shows, and the whole message when history was cut off."""
    new = parsed.new_html.strip() or (text_to_html(parsed.new_text) if parsed.new_text.strip() else "")
    whole = parsed.html.strip() or (text_to_html(parsed.text) if parsed.text.strip() else "")
    body = new if html_to_text(new).strip() or "<img" in new else whole
    if not (html_to_text(body).strip() or "<img" in body):
        body = text_to_html(_("(This message has no text.)"))
    full = whole if parsed.has_quoted_history and whole != body else ""
    if len(full) > MAX_FULL_HTML:
        full = sanitize_html(full[:MAX_FULL_HTML])  # closes what the cut left open
    return _fit(body), full


def ticket_subject(parsed: ParsedMessage) -> str:
    subject = " ".join(parsed.subject.split())
    return subject[:MAX_SUBJECT] or _("(no subject)")


def contacts_for(addresses: list[str], *, exclude: set[str]) -> list[Contact]:
    """Find or create the contacts behind the valid ``addresses`` (at most ``MAX_CC_CONTACTS``)."""
    wanted = [a for a in dict.fromkeys(addresses) if a and a not in exclude and is_email(a)]
    return [
        contact_get_or_create_by_email(actor=Actor.system(), source=Source.EMAIL, email=address)
        for address in wanted[:MAX_CC_CONTACTS]
    ]


def _store_attachments(
    actor: Actor, ticket: Ticket, attachments: list[ParsedAttachment], notes: list[str]
) -> list[Attachment]:
    stored = []
    limit = settings.KEFU_MAX_ATTACHMENT_BYTES
    for part in attachments:
        if not part.data:
            notes.append(_("Empty attachment %(name)s skipped.") % {"name": part.filename})
            continue
        if len(part.data) > limit:
            notes.append(
                _("Attachment %(name)s skipped: larger than %(limit)d bytes.")
                % {"name": part.filename, "limit": limit}
            )
            continue
        stored.append(
            tickets.attachment_add(
                actor=actor,
                source=Source.EMAIL,
                ticket=ticket,
                filename=part.filename,
                content=io.BytesIO(part.data),
                size=len(part.data),
                content_id=part.content_id,
                is_inline=part.is_inline,
            )
        )
    return stored


def _show_inline(html: str, ticket: Ticket, attachments: list[Attachment]) -> str:
    """Point ``cid:`` images at the stored files, so the body shows them where the sender put them."""
    by_cid = {attachment.content_id: attachment for attachment in attachments if attachment.content_id}
    if not html or not by_cid:
        return html

    def url(match: re.Match[str]) -> str:
        attachment = by_cid.get(match.group(1))
        if attachment is None:
            return match.group(0)
        return reverse(
            "api-v1:download_attachment", kwargs={"ticket_id": ticket.pk, "attachment_id": attachment.pk}
        )

    return _CID.sub(url, html)


def _message(
    parsed: ParsedMessage, message_id: str, body: str, full_html: str, attachment_ids: list[int]
) -> MessageInput:
    return MessageInput(
        body=body,
        full_html=full_html,
        from_address=parsed.sender.address[:320],
        subject=ticket_subject(parsed),
        channel="email",
        cc=[a.address for a in parsed.cc if is_email(a.address)][:MAX_RECIPIENTS],
        message_id=message_id,
        attachment_ids=attachment_ids,
    )


def _receive(
    actor: Actor, ticket: Ticket, parsed: ParsedMessage, message_id: str, notes: list[str]
) -> Thread:
    attachments = _store_attachments(actor, ticket, parsed.attachments, notes)
    body, full_html = message_bodies(parsed)
    return tickets.ticket_receive(
        actor=actor,
        source=Source.EMAIL,
        ticket=ticket,
        data=_message(
            parsed,
            message_id,
            _show_inline(body, ticket, attachments),
            _show_inline(full_html, ticket, attachments),
            [attachment.pk for attachment in attachments],
        ),
    )


def ticket_open(
    *,
    contact: Contact,
    parsed: ParsedMessage,
    message_id: str,
    department_id: int,
    brand_id: int | None,
    follow_up_of: Ticket | None = None,
) -> Written:
    """A new ticket whose first thread is the message (the description stays empty: the thread is it).

    Without attachments, ticket and thread are written in one pass; files need the ticket to exist
    before they are stored, so a message with some is added to the new ticket as a second step.
    """
    actor = Actor.contact(contact)
    data = TicketCreateInput(
        subject=ticket_subject(parsed),
        department_id=department_id,
        brand_id=brand_id,
        contact=ContactRef(contact=contact),
        channel="email",
        follow_up_of_id=follow_up_of.pk if follow_up_of else None,
        is_spam=parsed.is_spam,
    )
    if not parsed.attachments:
        body, full_html = message_bodies(parsed)
        thread = tickets.ticket_create_with_message(
            actor=actor,
            source=Source.EMAIL,
            data=data,
            message=_message(parsed, message_id, body, full_html, []),
        )
        return Written(thread.ticket, thread)
    ticket = tickets.ticket_create(actor=actor, source=Source.EMAIL, data=data)
    notes: list[str] = []
    thread = _receive(actor, ticket, parsed, message_id, notes)
    return Written(ticket, thread, notes)


def reopen_status() -> Status | None:
    """Where a reopened ticket goes: the first active open status in the administrator's order."""
    return Status.objects.filter(status_type=StatusType.OPEN, is_active=True).order_by("order", "id").first()


def thread_add(
    *, contact: Contact, ticket: Ticket, parsed: ParsedMessage, message_id: str, reopen: bool
) -> Written:
    """The message as a new thread on ``ticket``, reopening it first when it was closed."""
    actor = Actor.contact(contact)
    if reopen:
        status = reopen_status()
        if status is not None:
            ticket = tickets.ticket_set_status(
                actor=actor, source=Source.EMAIL, ticket=ticket, status=status.pk
            )
    notes: list[str] = []
    thread = _receive(actor, ticket, parsed, message_id, notes)
    return Written(ticket, thread, notes)
