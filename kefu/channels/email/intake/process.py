"""Steps two and on: parse a stored message and make it a ticket, a thread, a bounce or a quarantine."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import connection, transaction
from django.db.models import BigIntegerField, OuterRef, Subquery, Value
from django.utils import timezone
from django.utils.translation import gettext as _

from kefu.channels.email import threading
from kefu.channels.email.intake import loops
from kefu.channels.email.intake.write import Written, thread_add, ticket_open
from kefu.channels.email.models import InboundMessage, Mailbox
from kefu.channels.email.parse import parse_message
from kefu.channels.email.parse.message import ParsedMessage
from kefu.channels.email.selectors import cached_mailbox, mailboxes_by_address
from kefu.contacts.models import Contact
from kefu.contacts.services import contact_get_or_create_by_email
from kefu.core.actors import Actor, Source
from kefu.core.errors import NotFound, ServiceError
from kefu.core.event_types import EventType
from kefu.core.events import publish
from kefu.core.validation import is_email
from kefu.tickets import selectors as tickets_selectors
from kefu.tickets import services as tickets

if TYPE_CHECKING:
    from kefu.tickets.models import Thread, Ticket

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
MAX_MESSAGE_ID_BYTES = 900
_DONE = (InboundMessage.State.IMPORTED, InboundMessage.State.BOUNCE, InboundMessage.State.IGNORED)
_RECIPIENT_HEADERS = ("delivered-to", "x-original-to", "envelope-to")


@dataclass
class Outcome:
    state: str
    reason: str = ""
    ticket: Ticket | None = None
    thread: Thread | None = None
    is_automated: bool = False
    mailbox: Mailbox | None = None


def message_process(inbound_id: int) -> InboundMessage:
    """Parse, de-duplicate, thread and import one stored message; return it in its final state.

    Idempotent: a message that is no longer PENDING is returned untouched, and the ticket/thread write
    commits together with the message's new state, so running this again (or concurrently) never makes
    a second ticket. Any error quarantines the message with the reason instead of escaping.
    """
    claimed = _claim(inbound_id)
    if claimed is None:
        current = InboundMessage.objects.filter(pk=inbound_id).values_list("state", "attempts").first()
        if current is None:
            raise NotFound(_("No such message."))
        state, attempts = current
        if state == InboundMessage.State.PENDING:
            _quarantine(inbound_id, _("Gave up after %(count)d attempts.") % {"count": attempts})
        return _current(inbound_id)
    raw, sha256 = claimed
    try:
        parsed = parse_message(raw)
        with transaction.atomic():
            imported = _import(inbound_id, sha256, parsed)
        if imported is not None:
            return imported
    except Exception as exc:
        logger.warning("inbound message %s quarantined", inbound_id, exc_info=True)
        _quarantine(inbound_id, _failure_reason(exc))
    return _current(inbound_id)


def _claim(inbound_id: int) -> tuple[bytes, str] | None:
    """Count an attempt on a PENDING message and read its bytes in the same statement; ``None`` if not ours.

    The attempt is counted (and committed) before the work, so a message that kills the process every
    time it is parsed is given up after MAX_ATTEMPTS instead of crashing every recovery pass.
    """
    table = connection.ops.quote_name(InboundMessage._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET attempts = attempts + 1 WHERE id = %s AND state = %s AND attempts < %s "
            "RETURNING raw, sha256",
            [inbound_id, InboundMessage.State.PENDING, MAX_ATTEMPTS],
        )
        row = cursor.fetchone()
    return None if row is None else (bytes(row[0]), row[1])


def _current(inbound_id: int) -> InboundMessage:
    return InboundMessage.objects.defer("raw").get(pk=inbound_id)


def message_reprocess(inbound_id: int) -> InboundMessage:
    """Forget what became of a message that was not imported (quarantined, say) and process it again."""
    updated = InboundMessage.objects.filter(pk=inbound_id).exclude(state=InboundMessage.State.IMPORTED)
    if not updated.update(state=InboundMessage.State.PENDING, reason="", attempts=0, processed_at=None):
        if not InboundMessage.objects.filter(pk=inbound_id).exists():
            raise NotFound(_("No such message."))
        return _current(inbound_id)
    return message_process(inbound_id)


def messages_process_pending(*, min_age: dt.timedelta = dt.timedelta(seconds=60), limit: int = 500) -> int:
    """The recovery pass: process messages still PENDING after ``min_age``; return how many were handled.

    A message stays PENDING only when the process that stored it died before finishing (or is still
    working on it: ``min_age`` leaves it the time to, and the per-message claim makes overlap harmless).
    """
    cutoff = timezone.now() - min_age
    ids = list(
        InboundMessage.objects.filter(state=InboundMessage.State.PENDING, received_at__lte=cutoff)
        .order_by("received_at", "id")
        .values_list("id", flat=True)[:limit]
    )
    for inbound_id in ids:
        message_process(inbound_id)
    return len(ids)


def _failure_reason(exc: Exception) -> str:
    detail = str(exc) if isinstance(exc, ServiceError) else f"{type(exc).__name__}: {exc}"
    return (_("Processing failed: %(error)s") % {"error": detail})[:2000]


def _quarantine(inbound_id: int, reason: str) -> None:
    InboundMessage.objects.filter(pk=inbound_id, state=InboundMessage.State.PENDING).update(
        state=InboundMessage.State.QUARANTINED, reason=reason, processed_at=timezone.now()
    )


def _lock(key: str) -> None:
    """Serialise work on one Message-ID across processes (PostgreSQL; SQLite writers are serial already)."""
    if connection.vendor == "postgresql":
        number = int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big", signed=True)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [number])


def _import(inbound_id: int, sha256: str, parsed: ParsedMessage) -> InboundMessage | None:
    """Route the message and record what became of it; ``None`` when another process got there first."""
    # Both Message-ID columns are indexed: PostgreSQL refuses an index entry over ~2,700 bytes.
    message_id = parsed.message_id.encode()[:MAX_MESSAGE_ID_BYTES].decode(errors="ignore")
    sender = parsed.sender.address[:320]
    # Taken before the duplicate check below reads, so that two copies of one message are serialised.
    _lock(message_id or sha256)
    inbound = _locked_and_screened(inbound_id, message_id, sha256, sender)
    if inbound.state != InboundMessage.State.PENDING:
        return None
    inbound.message_id = message_id
    inbound.sender = sender
    inbound.subject = " ".join(parsed.subject.split())[:255]
    inbound.is_spam = parsed.is_spam
    outcome = _route(inbound, parsed)
    inbound.state = outcome.state
    inbound.reason = outcome.reason
    inbound.ticket = outcome.ticket
    inbound.thread = outcome.thread
    inbound.is_automated = outcome.is_automated
    if inbound.mailbox_id is None:  # stored without one (HTTP, pipe): the mailbox it turned out to be for
        inbound.mailbox = outcome.mailbox
    inbound.processed_at = timezone.now()
    inbound.save(
        update_fields=[
            "message_id", "sender", "subject", "is_spam", "state", "reason", "ticket", "thread",
            "is_automated", "mailbox", "processed_at",
        ]
    )  # fmt: skip
    return inbound


# Stand-ins for the values of one message while the screening SQL is built; see _locked_and_screened.
_PLACEHOLDERS = {
    "pk": -7_346_285_019,
    "message_id": "\x00message-id",
    "sha256": "\x00sha256",
    "sender": "\x00sender",
}
_screening_sql: dict[tuple[str, bool, int], tuple[str, tuple[Any, ...]]] = {}


def _locked_and_screened(inbound_id: int, message_id: str, sha256: str, sender: str) -> InboundMessage:
    """The message's row, locked, with the ``_screening`` annotations.

    Building that query costs about a millisecond of CPU, as much as the rest of the row's work in the
    database, so its SQL is built once per shape (database, with or without Message-ID, rate window)
    with placeholder values, and run again with this message's values in their places.
    """
    key = (connection.vendor, bool(message_id), loops.rate_limit()[1])
    if key not in _screening_sql:
        marked = _PLACEHOLDERS
        queryset = (
            InboundMessage.objects.select_for_update()
            .defer("raw")
            .annotate(
                **_screening(marked["message_id"] if message_id else "", marked["sha256"], marked["sender"])
            )
            .filter(pk=marked["pk"])
        )
        _screening_sql[key] = queryset.query.sql_with_params()
    sql, params = _screening_sql[key]
    values = {
        _PLACEHOLDERS["pk"]: inbound_id,
        _PLACEHOLDERS["message_id"]: message_id,
        _PLACEHOLDERS["sha256"]: sha256,
        _PLACEHOLDERS["sender"]: sender,
    }
    found = list(InboundMessage.objects.raw(sql, [values.get(param, param) for param in params]))
    if not found:
        raise InboundMessage.DoesNotExist(inbound_id)
    return found[0]


def _screening(message_id: str, sha256: str, sender: str) -> dict[str, Any]:
    """What ``_screen`` needs, as subqueries read with the locked row: one statement instead of three.

    ``duplicate_id``/``duplicate_thread_id``: the earliest message or thread with the same Message-ID
    (or, without one, the same bytes); ``earlier_from_sender``: the sender's messages in the rate window.
    """
    earlier = InboundMessage.objects.filter(state__in=_DONE).exclude(pk=OuterRef("pk")).order_by("id")
    if message_id:
        earlier = earlier.filter(message_id=message_id)
        threads = tickets_selectors.threads_with_message_id(message_id).values("id")[:1]
        thread_id: Any = Subquery(threads)
    else:
        earlier = earlier.filter(sha256=sha256, message_id="")
        thread_id = Value(None, output_field=BigIntegerField())
    return {
        "duplicate_id": Subquery(earlier.values("id")[:1]),
        "duplicate_thread_id": thread_id,
        "earlier_from_sender": loops.earlier_from_sender(sender),
    }


def _duplicate_of(inbound: InboundMessage) -> InboundMessage | Thread | None:
    if inbound.duplicate_id is not None:
        return InboundMessage.objects.defer("raw").select_related("ticket").get(pk=inbound.duplicate_id)
    if inbound.duplicate_thread_id is not None:
        return tickets_selectors.thread_with_ticket(inbound.duplicate_thread_id)
    return None


def _mailbox_for(
    inbound: InboundMessage, parsed: ParsedMessage, addresses: dict[str, Mailbox]
) -> Mailbox | None:
    if inbound.mailbox_id is not None:
        return cached_mailbox(inbound.mailbox_id) or inbound.mailbox
    candidates = [parsed.headers.get(name, "").strip().strip("<>").lower() for name in _RECIPIENT_HEADERS]
    candidates += [address.address for address in (*parsed.to, *parsed.cc)]
    return next((addresses[c] for c in candidates if c in addresses), None)


def _route(inbound: InboundMessage, parsed: ParsedMessage) -> Outcome:
    screened = _screen(inbound, parsed)
    if screened is not None:
        return screened
    mailboxes = mailboxes_by_address()
    mailbox = _mailbox_for(inbound, parsed, mailboxes)
    if mailbox is None:
        return Outcome(InboundMessage.State.QUARANTINED, _("None of the recipients is one of our mailboxes."))
    if not is_email(inbound.sender):
        return Outcome(InboundMessage.State.QUARANTINED, _("The message has no usable sender address."))
    automated = loops.is_automated(parsed, set(mailboxes))
    contact = contact_get_or_create_by_email(
        actor=Actor.system(), source=Source.EMAIL, email=inbound.sender, name=parsed.sender.name[:200]
    )
    written = _write(
        inbound,
        parsed,
        contact,
        mailbox,
        may_auto_reply=not (automated or parsed.is_spam),
        our_addresses=set(mailboxes),
    )
    return Outcome(
        InboundMessage.State.IMPORTED,
        " ".join(written.notes),
        ticket=written.ticket,
        thread=written.thread,
        is_automated=automated,
        mailbox=mailbox,
    )


def _screen(inbound: InboundMessage, parsed: ParsedMessage) -> Outcome | None:
    """Duplicates, floods and delivery reports end here, before any contact or ticket is touched."""
    duplicate = _duplicate_of(inbound)
    if duplicate is not None:
        kind = _("message") if isinstance(duplicate, InboundMessage) else _("thread")
        return Outcome(
            InboundMessage.State.DUPLICATE,
            _("Duplicate of %(kind)s %(id)s.") % {"kind": kind, "id": duplicate.pk},
            ticket=duplicate.ticket,
        )
    if loops.over_rate_limit(inbound.sender, inbound.earlier_from_sender):
        count, minutes = loops.rate_limit()
        return Outcome(
            InboundMessage.State.QUARANTINED,
            _("More than %(count)d messages from %(sender)s within %(minutes)d minutes.")
            % {"count": count, "sender": inbound.sender, "minutes": minutes},
        )
    if parsed.delivery_report is not None:
        return _bounce(parsed)
    return None


def _keep_in_cc(parsed: ParsedMessage, sender: Contact, *, our_addresses: set[str]) -> list[str]:
    """Everyone else the message was addressed to stays on the ticket (if they all fit: see write.py)."""
    addresses = [a.address for a in (*parsed.to, *parsed.cc)]
    wanted = [a for a in dict.fromkeys(addresses) if a and a not in our_addresses and is_email(a)]
    return [a for a in wanted if a != sender.email]


def _write(
    inbound: InboundMessage,
    parsed: ParsedMessage,
    contact: Contact,
    mailbox: Mailbox,
    *,
    may_auto_reply: bool,
    our_addresses: set[str],
) -> Written:
    """A thread on the ticket the message continues, or a new ticket; the tickets service decides
    whether a closed ticket reopens or gets a follow-up (within the mailbox's reopen window)."""
    match = threading.find_ticket(parsed, sender=contact)
    keep_in_cc = _keep_in_cc(parsed, contact, our_addresses=our_addresses)
    if match is not None:
        written = thread_add(
            contact=contact,
            ticket=match.ticket,
            parsed=parsed,
            message_id=inbound.message_id,
            reopen_within=dt.timedelta(days=mailbox.reopen_within_days),
            keep_in_cc=keep_in_cc,
        )
        if written.ticket.pk == match.ticket.pk:
            return written
    else:
        written = ticket_open(
            contact=contact,
            parsed=parsed,
            message_id=inbound.message_id,
            department_id=mailbox.department_id,
            brand_id=mailbox.brand_id,
            keep_in_cc=keep_in_cc,
        )
    publish(
        EventType.MAIL_TICKET_OPENED,
        inbound_message_id=inbound.pk,
        mailbox_id=mailbox.pk,
        ticket_id=written.ticket.pk,
        may_auto_reply=may_auto_reply and not written.ticket.is_spam,
    )
    return written


def _bounce(parsed: ParsedMessage) -> Outcome:
    """A delivery-status report: mark the outbound thread it names as failed; never open a ticket."""
    report = parsed.delivery_report
    assert report is not None
    original = report.original_message_id.strip().strip("<>")
    thread = tickets_selectors.outbound_thread_by_message_id(original) if original else None
    if thread is None:
        return Outcome(
            InboundMessage.State.BOUNCE,
            _("Delivery report for a message we did not send (%(id)s).") % {"id": original or "?"},
            is_automated=True,
        )
    if report.action.lower() != "failed":
        return Outcome(
            InboundMessage.State.BOUNCE,
            _("Delivery report: %(action)s %(status)s.") % {"action": report.action, "status": report.status},
            ticket=thread.ticket,
            thread=thread,
            is_automated=True,
        )
    error = " ".join(part for part in (report.status, report.diagnostic) if part)
    error = error or _("The receiving server did not accept the message.")
    tickets.thread_delivery_update(
        actor=Actor.system(),
        source=Source.EMAIL,
        thread=thread,
        status=tickets.ThreadDelivery.FAILED,
        error=error,
    )
    return Outcome(
        InboundMessage.State.BOUNCE,
        _("Delivery failed: %(error)s") % {"error": error},
        ticket=thread.ticket,
        thread=thread,
        is_automated=True,
    )
