"""Turning a parsed message into a ticket or a thread, through the tickets services only."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils.translation import gettext as _

from kefu.channels.email.parse.message import ParsedAttachment, ParsedMessage
from kefu.contacts.models import Contact
from kefu.core.actors import Actor, Source
from kefu.core.html import html_to_text, sanitize_html, text_to_html
from kefu.core.validation import is_email
from kefu.tickets import selectors as tickets_selectors
from kefu.tickets import services as tickets
from kefu.tickets.inputs import ContactRef, FileInput, MessageInput, TicketCreateInput

if TYPE_CHECKING:
    from kefu.tickets.models import Thread, Ticket

MAX_FULL_HTML = 2_000_000


@dataclass
class Written:
    ticket: Ticket
    thread: Thread
    notes: list[str] = field(default_factory=list)


def _fit(html: str) -> str:
    """A body the tickets service accepts: over its limit, the text of the message, cut."""
    if len(html) <= tickets.MAX_BODY:
        return html
    # Escaping makes a character at most six long (&quot;): the cut text always fits.
    text = html_to_text(html)[: tickets.MAX_BODY // 6 - 200]
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
    return subject[: tickets.MAX_SUBJECT] or _("(no subject)")


def _files(attachments: list[ParsedAttachment], notes: list[str]) -> list[FileInput]:
    """The message's files that can be stored; the others are named in the notes."""
    files = []
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
        files.append(
            FileInput(
                filename=part.filename,
                content=io.BytesIO(part.data),
                size=len(part.data),
                content_id=part.content_id,
                is_inline=part.is_inline,
            )
        )
    return files


def _cc_that_fits(ticket: Ticket | None, keep_in_cc: list[str], notes: list[str]) -> list[str]:
    """``keep_in_cc``, or nobody (with a note) when they would not all fit in the ticket's CC list.

    The tickets service refuses a CC list over its limit, which would fail the whole message: a mail to
    a long mailing list is still imported, only without its recipients in CC. The list of a ticket is
    read only when the message names someone to keep.
    """
    if not keep_in_cc:
        return keep_in_cc
    present: set[str] = set()
    if ticket is not None:
        present = {email.lower() for email in ticket.cc_contacts.values_list("email", flat=True)}
    adding = [address for address in keep_in_cc if address.lower() not in present]
    if len(keep_in_cc) > tickets.MAX_CC_CONTACTS or len(present) + len(adding) > tickets.MAX_CC_CONTACTS:
        notes.append(_("The ticket's CC list is full; nobody was added."))
        return []
    return keep_in_cc


def _message(parsed: ParsedMessage, message_id: str, keep_in_cc: list[str], notes: list[str]) -> MessageInput:
    body, full_html = message_bodies(parsed)
    return MessageInput(
        body=body,
        full_html=full_html,
        from_address=parsed.sender.address[:320],
        subject=ticket_subject(parsed),
        channel="email",
        cc=[a.address for a in parsed.cc if is_email(a.address)][: tickets.MAX_RECIPIENTS],
        message_id=message_id,
        files=_files(parsed.attachments, notes),
        keep_in_cc=keep_in_cc,
    )


def ticket_open(
    *,
    contact: Contact,
    parsed: ParsedMessage,
    message_id: str,
    department_id: int,
    brand_id: int | None,
    keep_in_cc: list[str],
) -> Written:
    """A new ticket whose first message is this one, with its files and the people it was sent to."""
    notes: list[str] = []
    ticket = tickets.ticket_create(
        actor=Actor.contact(contact),
        source=Source.EMAIL,
        data=TicketCreateInput(
            subject=ticket_subject(parsed),
            department_id=department_id,
            brand_id=brand_id,
            contact=ContactRef(contact=contact),
            channel="email",
            # A sender an agent marked as spammer (a spam ticket of theirs) files new tickets as spam.
            is_spam=parsed.is_spam or tickets_selectors.contact_marked_spam(contact.pk),
            message=_message(parsed, message_id, _cc_that_fits(None, keep_in_cc, notes), notes),
        ),
    )
    assert ticket.first_thread is not None
    return Written(ticket, ticket.first_thread, notes)


def thread_add(
    *,
    contact: Contact,
    ticket: Ticket,
    parsed: ParsedMessage,
    message_id: str,
    reopen_within: dt.timedelta,
    keep_in_cc: list[str],
) -> Written:
    """The message on the ticket it answers, which the tickets service reopens or follows up as needed.

    Someone the ticket does not know yet who answers its thread (a colleague of the customer, say)
    joins its CC first: the email channel vouches for them, since they knew the message they answer.
    """
    if not tickets_selectors.contact_may_write(contact.pk, ticket):
        tickets.ticket_cc_add(actor=Actor.system(), source=Source.EMAIL, ticket=ticket, contacts=[contact])
    notes: list[str] = []
    thread = tickets.ticket_receive(
        actor=Actor.contact(contact),
        source=Source.EMAIL,
        ticket=ticket,
        data=_message(parsed, message_id, _cc_that_fits(ticket, keep_in_cc, notes), notes),
        reopen_within=reopen_within,
    )
    return Written(thread.ticket, thread, notes)
