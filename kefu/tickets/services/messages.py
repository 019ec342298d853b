"""Checking what people write: bodies, recipients, and a customer's message as a thread's columns."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from kefu.core.errors import ValidationFailed
from kefu.core.html import normalise_body
from kefu.core.validation import is_email
from kefu.tickets.inputs import MessageInput
from kefu.tickets.models import Attachment, Thread, Ticket
from kefu.tickets.services.attachments import CheckedFile, link_inline_images, store_file
from kefu.tickets.services.changes import RecordedChange
from kefu.tickets.services.fields import MAX_BODY

MAX_RECIPIENTS = 50


def clean_body(body: str, errors: dict[str, str]) -> tuple[str, str]:
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


def clean_addresses(addresses: list[str], field: str, errors: dict[str, str]) -> list[str]:
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


def clean_message(data: MessageInput) -> tuple[str, str, list[str]]:
    """``(body_html, body_text, cc)`` of a customer's message, or a validation error."""
    errors: dict[str, str] = {}
    body_html, body_text = clean_body(data.body, errors)
    cc = clean_addresses(data.cc, "cc", errors)
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


def store_thread(
    change: RecordedChange,
    attachments: list[Attachment],
    files: list[CheckedFile],
    *,
    uploaded_by: Any = None,
    **fields: Any,
) -> tuple[Thread, list[Attachment]]:
    """Write a message as a thread of the change's ticket: its new ``files`` stored and its ``cid:``
    images pointed at them, the already uploaded ``attachments`` tied to it, and the change logged.
    Returns the thread and the files stored for it."""
    ticket = change.ticket
    stored = [store_file(ticket, checked, uploaded_by=uploaded_by) for checked in files]
    if stored:
        fields["body_html"] = link_inline_images(fields["body_html"], ticket, stored)
        fields["full_html"] = link_inline_images(fields.get("full_html", ""), ticket, stored)
    thread = Thread.objects.create(ticket=ticket, created_at=change.at, **fields)
    Attachment.objects.filter(pk__in=[a.pk for a in [*attachments, *stored]]).update(thread=thread)
    change.add("threads", None, {"id": thread.pk})
    change.extra["thread_id"] = thread.pk
    return thread, stored
