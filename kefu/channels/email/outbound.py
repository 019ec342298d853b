"""Sending replies by email: compose the message, send it once, and keep the thread's delivery state.

The flow for one outbound thread:

1. ``ticket.replied`` (after commit) → :func:`outbound_queue`: an ``OutboundEmail`` row, the thread
   shows *queued*, and the Celery task is queued.
2. The task calls :func:`outbound_deliver`, which **claims** the row with a conditional UPDATE
   (``claimed_at`` empty or stale → now; ``num_updated == 1``), shows *sending*, gives the thread its
   Message-ID (before sending, so that the customer's answer threads back), sends, and marks the row
   sent. A second run of the task — a retry, or a redelivery after a worker died — finds the row sent
   or claimed and sends nothing.
3. A temporary failure (4xx, connection lost) releases the claim and the task retries with exponential
   backoff; a permanent one (5xx) or the last attempt shows *failed* with the server's reason, and an
   agent may retry it with :func:`outbound_retry`.
4. A delivery whose task was lost (the broker was down when it was queued, or a worker died holding the
   claim) is queued again by beat (:func:`outbound_requeue_stale`); the claim still makes sure it is sent
   at most once.
"""

from __future__ import annotations

import datetime as dt
import enum
import html
import logging
import secrets
import smtplib
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import formataddr, parseaddr
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.smtp import EmailBackend
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kefu.channels.email.connect import SMTP_DEFAULT_PORTS, TIMEOUT, smtp_reply
from kefu.channels.email.models import InboundMessage, Mailbox, OutboundEmail, Security
from kefu.core.actors import Actor, Source
from kefu.core.audit import audit_record
from kefu.core.errors import Conflict
from kefu.core.events import Event
from kefu.org import permissions
from kefu.org.models import Agent, HelpdeskSettings
from kefu.portal.selectors import ticket_portal_url
from kefu.tickets.selectors import outbound_email_threads, threads_before
from kefu.tickets.services import (
    ThreadDelivery,
    ThreadDirection,
    authorize,
    thread_delivery_update,
    thread_message_id_assign,
)

if TYPE_CHECKING:
    from kefu.tickets.models import Thread, Ticket

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 6
CLAIM_TIMEOUT = dt.timedelta(minutes=10)
# A queued delivery whose task has not claimed it this long after it was due was lost with its task.
STALE_AFTER = dt.timedelta(minutes=5)
MAX_REFERENCES = 20


class Outcome(enum.Enum):
    SENT = "sent"
    SKIPPED = "skipped"  # already sent, claimed by another run, or nothing to send
    RETRY = "retry"
    FAILED = "failed"


def _system() -> Actor:
    return Actor.system()


# --- choosing the mailbox -----------------------------------------------------------------------


def mailbox_for_ticket(ticket: Ticket) -> Mailbox | None:
    """The active mailbox a reply on ``ticket`` leaves through, or ``None`` for the global mail server.

    In order: the mailbox the ticket's first email came to; one of the ticket's department (of its
    brand first); one of its brand. A ticket opened on the web, by phone or through the API usually
    takes the second or third; with none of them, the reply goes out through the global outgoing mail
    settings (``EMAIL_HOST``…) from ``DEFAULT_FROM_EMAIL``.
    """
    first = (
        InboundMessage.objects.filter(ticket=ticket, mailbox__is_active=True)
        .select_related("mailbox")
        .order_by("received_at", "id")
        .first()
    )
    if first is not None:
        return first.mailbox
    active = Mailbox.objects.filter(is_active=True)
    candidates = active.filter(department_id=ticket.department_id)
    branded = candidates.filter(brand_id=ticket.brand_id) if ticket.brand_id else candidates.none()
    return (
        branded.order_by("id").first()
        or candidates.order_by("brand_id", "id").first()
        or (active.filter(brand_id=ticket.brand_id).order_by("id").first() if ticket.brand_id else None)
    )


# --- composing ----------------------------------------------------------------------------------


def default_sender() -> tuple[str, str]:
    """``(display name, address)`` of ``DEFAULT_FROM_EMAIL``, which may be ``Name <address>``."""
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return one_line(name), address or settings.DEFAULT_FROM_EMAIL


def message_domain(mailbox: Mailbox | None) -> str:
    """The domain of the Message-IDs we make: ours, never the customer's."""
    configured = getattr(settings, "KEFU_MAIL_DOMAIN", "")
    if configured:
        return configured
    address = mailbox.address if mailbox is not None else default_sender()[1]
    return address.rpartition("@")[2] or "localhost"


def root_message_id(ticket: Ticket, mailbox: Mailbox | None) -> str:
    """The Message-ID every email about a ticket that did not start by email refers to first.

    Such a ticket has no customer's message to answer; referring to this id (which no message has)
    lets mail clients keep all our replies in one conversation.
    """
    return f"kefu.ticket.{ticket.pk}@{message_domain(mailbox)}"


def subject_tag(ticket: Ticket) -> str:
    return f"[{HelpdeskSettings.load().ticket_number_prefix}{ticket.shown_number}]"


def one_line(text: str) -> str:
    """``text`` with every run of whitespace (CR and LF included) as one space: safe in a mail header."""
    return " ".join(text.split())


def retry_delay(retries: int) -> int:
    """Seconds before the next attempt: 1 min, 2, 4, 8, 16 — about half an hour in all."""
    return 60 * 2**retries


def tagged_subject(subject: str, ticket: Ticket, *, reply: bool) -> str:
    tag = subject_tag(ticket)
    subject = one_line(subject) or one_line(ticket.subject)
    if reply and not subject.lower().startswith(("re:", "回复:", "回复：")):
        subject = f"Re: {subject}"
    return subject if tag in subject else f"{subject} {tag}"


def _known_message_ids(thread: Thread, mailbox: Mailbox | None) -> tuple[list[str], str]:
    """(References, In-Reply-To): the ticket's earlier Message-IDs, oldest first, and the latest inbound.

    A ticket whose first message did not come by email (web, phone, API) starts its references with
    its :func:`root_message_id`, so that even our first reply on it answers something.
    """
    ticket = thread.ticket
    stamped: list[tuple[dt.datetime, int, str, bool]] = [
        (received_at, 0, message_id, True)
        for message_id, received_at in InboundMessage.objects.filter(ticket=ticket)
        .exclude(message_id="")
        .values_list("message_id", "received_at")
    ]
    earlier = list(threads_before(thread).values_list("pk", "message_id", "created_at", "direction"))
    stamped += [
        (created_at, pk, message_id, direction == ThreadDirection.INBOUND)
        for pk, message_id, created_at, direction in earlier
        if message_id
    ]
    stamped.sort()
    references = list(dict.fromkeys(message_id for _at, _pk, message_id, _inbound in stamped))
    inbound = [message_id for _at, _pk, message_id, is_inbound in stamped if is_inbound]
    started_by_email = bool(stamped) and (not earlier or bool(earlier[0][1]))
    if not started_by_email:
        references.insert(0, root_message_id(ticket, mailbox))
    in_reply_to = inbound[-1] if inbound else references[-1]
    if len(references) > MAX_REFERENCES:
        references = [references[0], *references[-(MAX_REFERENCES - 1) :]]
    return references, in_reply_to


def _ensure_message_id(thread: Thread, mailbox: Mailbox | None) -> str:
    """Give the thread its Message-ID once, before the first attempt; every retry reuses it."""
    if not thread.message_id:
        candidate = f"kefu.{thread.ticket_id}.{thread.pk}.{secrets.token_hex(8)}@{message_domain(mailbox)}"
        thread_message_id_assign(
            actor=Actor.system(), source=Source.EMAIL, thread=thread, message_id=candidate
        )
    return thread.message_id


def _signature(thread: Thread) -> str:
    if thread.author_user_id is None:
        return ""
    return (
        Agent.objects.filter(user_id=thread.author_user_id).values_list("signature", flat=True).first() or ""
    )


def _recipients(thread: Thread, mailbox: Mailbox | None) -> tuple[list[str], list[str], list[str]]:
    ticket = thread.ticket
    ours = {address.lower() for address in Mailbox.objects.values_list("address", flat=True)}
    to = [address for address in (thread.to or [ticket.contact.email]) if address]
    cc_contacts = ticket.cc_contacts.exclude(email="").values_list("email", flat=True)
    taken = {address.lower() for address in to} | ours
    cc: list[str] = []
    for address in [*thread.cc, *cc_contacts]:
        if address.lower() not in taken:
            cc.append(address)
            taken.add(address.lower())
    bcc = [address for address in thread.bcc if address.lower() not in taken]
    return [address for address in to if address.lower() not in ours], cc, bcc


def contact_language(ticket: Ticket) -> str:
    """The language to write to the customer in: theirs, the ticket's, else the help desk's default."""
    for language in (ticket.contact.language, ticket.language):
        if language:
            return "en" if language.lower().startswith("en") else "zh-hans"
    default = HelpdeskSettings.load().default_language or settings.LANGUAGE_CODE
    return "en" if default.lower().startswith("en") else "zh-hans"


def _from_header(thread: Thread, mailbox: Mailbox | None) -> str:
    """``Agent via Mailbox <mailbox address>``; without a mailbox, the agent's name on the help desk's
    default sender (``Agent via Default name <DEFAULT_FROM_EMAIL>`` when that has a name)."""
    if mailbox is None:
        mailbox_name, address = default_sender()
    else:
        mailbox_name, address = mailbox.display_name or mailbox.name, mailbox.address
    author = thread.author_user
    if author is not None and mailbox_name:
        name = _("%(agent)s via %(mailbox)s") % {
            "agent": author.get_full_name() or author.email,
            "mailbox": mailbox_name,
        }
    elif author is not None:
        name = author.get_full_name() or author.email
    else:
        name = mailbox_name
    return formataddr((one_line(name), address))


def _with_portal_link(ticket: Ticket, body_text: str, body_html: str) -> tuple[str, str]:
    """The bodies with a last line linking to the ticket's page in the brand's help center (when the
    ticket has a help center: see ``portal.selectors.ticket_portal_url``), in the active language."""
    url = ticket_portal_url(ticket)
    if url is None:
        return body_text, body_html
    text = _("View this ticket in the help center: %(url)s") % {"url": url}
    label = _("View this ticket in the help center")
    link = f'<p class="kefu-portal-link"><a href="{html.escape(url)}">{html.escape(label)}</a></p>'
    return f"{body_text}\n\n{text}", f"{body_html}{link}"


ReplyShaper = Callable[["Thread"], "tuple[str, str, str] | None"]
_reply_shapers: list[ReplyShaper] = []


def register_reply_shaper(shaper: ReplyShaper) -> None:
    """Let another app shape an agent's reply email: ``shaper(thread)`` answers ``(subject, text, html)``
    or ``None`` to leave it as written (notifications: the "agent reply" template)."""
    if shaper not in _reply_shapers:
        _reply_shapers.append(shaper)


def _shaped_reply(thread: Thread, outbound: OutboundEmail) -> tuple[str, str, str] | None:
    if outbound.subject or thread.author_user_id is None:
        return None  # an acknowledgement, or a message no agent wrote
    for shaper in _reply_shapers:
        shaped = shaper(thread)
        if shaped is not None:
            return shaped
    return None


def compose(thread: Thread, outbound: OutboundEmail) -> EmailMultiAlternatives:
    """The email for ``thread``: headers, HTML with a text alternative, signature, attachments."""
    ticket = thread.ticket
    mailbox = outbound.mailbox
    to, cc, bcc = _recipients(thread, mailbox)
    references, in_reply_to = _known_message_ids(thread, mailbox)
    message_id = _ensure_message_id(thread, mailbox)
    signature = _signature(thread)
    body_text, body_html = thread.body_text, thread.body_html
    shaped = _shaped_reply(thread, outbound)
    if shaped is not None:
        _shaped_subject, body_text, body_html = shaped
    if signature:
        body_text = f"{body_text}\n\n-- \n{signature}"
        body_html = (
            f'{body_html}<div class="kefu-signature"><br>-- <br>'
            f"{html.escape(signature).replace(chr(10), '<br>')}</div>"
        )
    with translation.override(contact_language(ticket)):
        from_header = _from_header(thread, mailbox)
        body_text, body_html = _with_portal_link(ticket, body_text, body_html)
    headers = {"Message-ID": f"<{message_id}>", "X-Kefu-Ticket": str(ticket.number)}
    if in_reply_to:
        headers["In-Reply-To"] = f"<{in_reply_to}>"
        headers["References"] = " ".join(f"<{reference}>" for reference in references)
    if outbound.subject:
        headers["Auto-Submitted"] = "auto-replied"
        headers["X-Auto-Response-Suppress"] = "All"
    subject = one_line(outbound.subject) or tagged_subject(
        (shaped[0] if shaped is not None else "") or thread.subject, ticket, reply=bool(in_reply_to)
    )
    message = EmailMultiAlternatives(
        subject=subject,
        body=body_text,
        from_email=from_header,
        to=to,
        cc=cc,
        bcc=bcc,
        headers=headers,
    )
    message.attach_alternative(f"<!doctype html><html><body>{body_html}</body></html>", "text/html")
    for attachment in thread.attachments.order_by("id"):
        with attachment.file.open("rb") as handle:
            message.attach(attachment.filename, handle.read(), attachment.content_type or None)
    return message


def connection_for(mailbox: Mailbox | None) -> EmailBackend:
    """The mailbox's own SMTP server when it has one, else the global outgoing mail settings."""
    if mailbox is None or not mailbox.smtp_host:
        return get_connection(fail_silently=False)
    return EmailBackend(
        host=mailbox.smtp_host,
        port=mailbox.smtp_port or SMTP_DEFAULT_PORTS[mailbox.smtp_security],
        username=mailbox.smtp_username or None,
        password=mailbox.smtp_password or None,
        use_tls=mailbox.smtp_security == Security.STARTTLS,
        use_ssl=mailbox.smtp_security == Security.SSL,
        timeout=TIMEOUT,
        fail_silently=False,
    )


# --- delivering ---------------------------------------------------------------------------------


@dataclass
class _Failure:
    reason: str
    permanent: bool


def _classify(exc: Exception) -> _Failure:
    """A 5xx answer will not change by retrying; a 4xx answer or a lost connection may."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _message in exc.recipients.values()]
        reasons = "; ".join(
            f"{address}: {code} {message.decode(errors='replace') if isinstance(message, bytes) else message}"
            for address, (code, message) in exc.recipients.items()
        )
        return _Failure(reasons, permanent=all(code >= 500 for code in codes))
    if isinstance(exc, smtplib.SMTPResponseException):
        return _Failure(smtp_reply(exc), permanent=exc.smtp_code >= 500)
    if isinstance(exc, (smtplib.SMTPException, OSError)):
        return _Failure(f"{type(exc).__name__}: {exc}", permanent=False)
    return _Failure(f"{type(exc).__name__}: {exc}", permanent=True)


def _claim(outbound: OutboundEmail, now: dt.datetime) -> bool:
    return (
        OutboundEmail.objects.filter(pk=outbound.pk, sent_at__isnull=True)
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - CLAIM_TIMEOUT))
        .update(claimed_at=now, attempts=F("attempts") + 1)
        == 1
    )


def _set_delivery(thread: Thread, status: str, error: str = "") -> None:
    thread_delivery_update(actor=_system(), source=Source.EMAIL, thread=thread, status=status, error=error)


def _attempt(thread: Thread, outbound: OutboundEmail) -> _Failure | None:
    """Compose and send once; None when the server accepted the message."""
    try:
        message = compose(thread, outbound)
        if not message.to:
            raise ValueError(_("The reply has no recipient."))
    except Exception as exc:
        # Nothing a retry would change (a missing attachment file, no address): fail at once.
        return _Failure(f"{type(exc).__name__}: {exc}", permanent=True)
    try:
        with connection_for(outbound.mailbox) as connection:
            connection.send_messages([message])
    except Exception as exc:
        return _classify(exc)
    return None


def outbound_deliver(*, thread_id: int, last_attempt: bool = False, retry_in: int = 0) -> Outcome:
    """Send the email of one outbound thread at most once; say what the task should do next.

    ``retry_in`` is when the task will try again after a temporary failure (seconds), so that beat does
    not take a delivery waiting for its retry for a lost one. The attempts counted on the row end the
    retries too, however many tasks (the original, beat's) took turns at it.
    """
    outbound = (
        OutboundEmail.objects.select_related("mailbox", "thread__ticket__contact", "thread__author_user")
        .filter(thread_id=thread_id)
        .first()
    )
    if outbound is None or outbound.sent_at is not None:
        return Outcome.SKIPPED
    claimed_at = timezone.now()
    if not _claim(outbound, claimed_at):
        return Outcome.SKIPPED
    thread = outbound.thread
    _set_delivery(thread, ThreadDelivery.SENDING)
    failure = _attempt(thread, outbound)
    if failure is not None:
        logger.warning("thread %s: sending failed: %s", thread_id, failure.reason)
        OutboundEmail.objects.filter(pk=outbound.pk, claimed_at=claimed_at).update(
            claimed_at=None,
            last_error=failure.reason[:2000],
            queued_at=claimed_at + dt.timedelta(seconds=retry_in),
        )
        if failure.permanent or last_attempt or outbound.attempts + 1 >= MAX_ATTEMPTS:
            _set_delivery(thread, ThreadDelivery.FAILED, failure.reason[:2000])
            return Outcome.FAILED
        _set_delivery(thread, ThreadDelivery.QUEUED)
        return Outcome.RETRY
    OutboundEmail.objects.filter(pk=outbound.pk, claimed_at=claimed_at).update(
        sent_at=timezone.now(), last_error=""
    )
    _set_delivery(thread, ThreadDelivery.SENT)
    return Outcome.SENT


def _queue_task(thread_id: int) -> None:
    from kefu.channels.email.tasks.transport import outbound_send_task

    def send() -> None:
        try:
            outbound_send_task.delay(thread_id)
        except Exception:
            # The thread stays "queued" and its agent can see it; other after-commit work must still run.
            logger.exception("thread %s: could not queue the sending task", thread_id)

    transaction.on_commit(send)


def outbound_queue(*, thread: Thread, subject: str = "") -> OutboundEmail:
    """Prepare the email delivery of an outbound thread and queue the sending task after commit."""
    with transaction.atomic():
        outbound, _created = OutboundEmail.objects.get_or_create(
            thread=thread,
            defaults={"mailbox": mailbox_for_ticket(thread.ticket), "subject": subject},
        )
        OutboundEmail.objects.filter(pk=outbound.pk).update(queued_at=timezone.now())
        _set_delivery(thread, ThreadDelivery.QUEUED)
        _queue_task(thread.pk)
    return outbound


def outbound_retry(*, actor: Actor, source: Source, thread: Thread) -> Thread:
    """Send a failed reply again (the agent's retry button); only for agents who may reply on the ticket."""
    authorize(actor, thread.ticket, permissions.TICKET_REPLY)
    if thread.delivery_status != ThreadDelivery.FAILED:
        raise Conflict(_("Only a reply that failed to send can be sent again."))
    with transaction.atomic():
        outbound, _created = OutboundEmail.objects.get_or_create(
            thread=thread, defaults={"mailbox": mailbox_for_ticket(thread.ticket)}
        )
        if outbound.sent_at is not None:
            raise Conflict(_("This reply was already sent."))
        OutboundEmail.objects.filter(pk=outbound.pk).update(
            claimed_at=None, attempts=0, queued_at=timezone.now()
        )
        # The delivery state is the sending flow's (the system's) to record; the agent's part is the
        # retry itself, audited below.
        _set_delivery(thread, ThreadDelivery.QUEUED)
        audit_record(
            actor=actor,
            source=source,
            action="outbound_email.retried",
            obj=outbound,
            changes={"thread_id": thread.pk, "last_error": outbound.last_error[:500]},
        )
        _queue_task(thread.pk)
    return thread


def outbound_requeue_stale(*, now: dt.datetime | None = None) -> int:
    """Queue again the deliveries whose task was lost; return how many.

    A delivery is lost when it still shows queued or sending and nothing has claimed it for
    ``STALE_AFTER`` past its due time (the broker was down when it was queued), or its claim is older
    than ``CLAIM_TIMEOUT`` (the worker died). Each row is taken with a conditional UPDATE of
    ``queued_at``, so two beat runs never both queue it; the task's own claim keeps it from being sent
    twice even if the lost task turns up after all.
    """
    now = now or timezone.now()
    lost = (
        OutboundEmail.objects.filter(
            sent_at__isnull=True,
            thread__delivery_status__in=(ThreadDelivery.QUEUED, ThreadDelivery.SENDING),
        )
        .filter(
            Q(claimed_at__isnull=True, queued_at__lt=now - STALE_AFTER)
            | Q(claimed_at__isnull=True, queued_at__isnull=True)
            | Q(claimed_at__lt=now - CLAIM_TIMEOUT)
        )
        .values_list("pk", "thread_id", "queued_at")
        .order_by("pk")
    )
    requeued = 0
    for pk, thread_id, queued_at in lost:
        if OutboundEmail.objects.filter(pk=pk, queued_at=queued_at, sent_at__isnull=True).update(
            queued_at=now
        ):
            logger.info("thread %s: the sending task was lost; queued again", thread_id)
            _queue_task(thread_id)
            requeued += 1
    return requeued


def on_tickets_replied(events: list[Event]) -> None:
    """Consumer of ``ticket.replied``: every public reply goes out by email.

    A thread whose delivery is already queued (or further) is left alone, so a redelivered event
    queues nothing twice.
    """
    threads = outbound_email_threads(
        [event.payload["thread_id"] for event in events if event.payload.get("thread_id")]
    )
    for thread in threads:
        if not thread.delivery_status:
            outbound_queue(thread=thread)
