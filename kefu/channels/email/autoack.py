"""Automatic acknowledgements: "we received your message, it is ticket #123", per mailbox.

Sent only for a *new* ticket opened by email whose message intake judged safe to answer
(``may_auto_reply``: not an auto-reply, bulk mail, a mailer daemon or our own address). The
acknowledgement is recorded on the ticket as an outbound thread written by the system, so agents see
exactly what the customer received, with its delivery state; it goes out through the same sending code
as agents' replies, with ``Auto-Submitted: auto-replied`` so that other robots do not answer it.

Templates are Django templates rendered by a bare engine (no loaders, no tag libraries) with a small,
fixed context; a template that fails to render falls back to the built-in text instead of failing.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from django.db import transaction
from django.template import Context, Engine, TemplateSyntaxError
from django.utils import translation
from django.utils.html import escape, linebreaks
from django.utils.translation import gettext as _

from kefu.channels.email.models import InboundMessage, Mailbox, OutboundEmail
from kefu.channels.email.outbound import contact_language, subject_tag
from kefu.channels.email.selectors import cached_mailbox
from kefu.core.actors import Actor, Source
from kefu.core.events import Event
from kefu.org.models import HelpdeskSettings
from kefu.tickets.inputs import ReplyInput
from kefu.tickets.selectors import ticket_with_contact
from kefu.tickets.services import ticket_reply

if TYPE_CHECKING:
    from kefu.tickets.models import Thread, Ticket

logger = logging.getLogger(__name__)

PLACEHOLDERS = ("ticket_number", "subject", "contact_name", "mailbox_name")

_engine = Engine(dirs=[], app_dirs=False, loaders=[], libraries={}, autoescape=False)


def default_subject() -> str:
    return _("We received your message: {{ subject }}")


def default_body() -> str:
    return _(
        "Hello {{ contact_name }},\n\n"
        "Thank you for writing to us. Your request is ticket {{ ticket_number }}; we will answer as soon "
        "as we can. Please keep the ticket number in the subject when you write about this request.\n\n"
        "{{ mailbox_name }}"
    )


def check_template(source: str) -> str:
    """The error message of a template that does not compile, or "" when it is fine (used by the form)."""
    try:
        _engine.from_string(source).render(Context(dict.fromkeys(PLACEHOLDERS, "x")))
    except TemplateSyntaxError as exc:
        return str(exc)
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"
    return ""


def _render(source: str, fallback: str, context: dict[str, str]) -> str:
    try:
        return _engine.from_string(source or fallback).render(Context(context))
    except Exception:
        logger.warning("acknowledgement template failed; using the built-in text", exc_info=True)
        return _engine.from_string(fallback).render(Context(context))


def _templates(mailbox: Mailbox, language: str) -> tuple[str, str]:
    if language == "en":
        return mailbox.auto_ack_subject_en, mailbox.auto_ack_body_en
    return mailbox.auto_ack_subject_zh, mailbox.auto_ack_body_zh


def acknowledgement(mailbox: Mailbox, ticket: Ticket) -> tuple[str, str]:
    """(subject, text body) for ``ticket`` in its contact's language; the subject always has the tag."""
    language = contact_language(ticket)
    context = {
        "ticket_number": f"{HelpdeskSettings.load().ticket_number_prefix}{ticket.shown_number}",
        "subject": ticket.subject,
        "contact_name": ticket.contact.name or ticket.contact.email,
        "mailbox_name": mailbox.display_name or mailbox.name,
    }
    subject_source, body_source = _templates(mailbox, language)
    with translation.override(language):
        subject = " ".join(_render(subject_source, default_subject(), context).split())[:200]
        body = _render(body_source, default_body(), context).strip()
    tag = subject_tag(ticket)
    return (subject if tag in subject else f"{subject} {tag}"), body


def auto_acknowledge(*, inbound_id: int, ticket_id: int) -> Thread | None:
    """Send the acknowledgement for a ticket just opened from ``inbound_id``, at most once."""
    inbound = InboundMessage.objects.select_related("mailbox").filter(pk=inbound_id).first()
    ticket = ticket_with_contact(ticket_id)
    if inbound is None or ticket is None or inbound.is_automated or inbound.is_spam:
        return None
    mailbox = inbound.mailbox
    if mailbox is None or not mailbox.is_active or not mailbox.auto_ack_enabled:
        return None
    recipient = ticket.contact.email.lower()
    if not recipient or Mailbox.objects.filter(address__iexact=recipient).exists():
        return None
    if OutboundEmail.objects.filter(thread__ticket=ticket).exclude(subject="").exists():
        return None
    subject, body = acknowledgement(mailbox, ticket)
    with transaction.atomic():
        thread = ticket_reply(
            actor=Actor.system(),
            source=Source.EMAIL,
            ticket=ticket,
            data=ReplyInput(body=linebreaks(escape(body)), to=[recipient]),
        )
        # Made before ticket.replied is delivered (after commit), so the sender finds the subject here.
        OutboundEmail.objects.create(thread=thread, mailbox=mailbox, subject=subject)
    return thread


def on_tickets_opened(events: list[Event]) -> None:
    """Consumer of ``mail.ticket_opened``: queue the acknowledgement when it may be sent.

    The task sends at most one acknowledgement per inbound message, so a redelivered event is harmless.
    """
    from kefu.channels.email.tasks.transport import auto_acknowledge_task

    for event in events:
        payload = event.payload
        if not payload.get("may_auto_reply"):
            continue
        # The task checks again with fresh rows; this spares a queued job per message for the many
        # mailboxes that send no acknowledgement.
        mailbox = cached_mailbox(payload.get("mailbox_id"))
        if mailbox is None or not (mailbox.is_active and mailbox.auto_ack_enabled):
            continue
        auto_acknowledge_task.delay(payload["inbound_message_id"], payload["ticket_id"])
