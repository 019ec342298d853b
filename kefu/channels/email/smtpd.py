"""The SMTP listener (``kefu mail smtpd``): an MTA or a mail provider delivers straight to Kefu.

It accepts mail only for the addresses of active mailboxes (anything else gets 550 at RCPT, so we are
never an open relay), refuses messages over ``KEFU_SMTPD_MAX_BYTES`` with 552, and answers 250 only
once the raw bytes are committed — one stored copy per mailbox the message was addressed to. If storing
fails the answer is 451 and the sending server keeps the message and tries again later.

The database work runs in worker threads (Django's ORM is synchronous); aiosmtpd's event loop only
talks SMTP.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import threading

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from django.conf import settings
from django.db import connections

from kefu.channels.email import intake
from kefu.channels.email.models import InboundMessage, Mailbox
from kefu.core.errors import PayloadTooLarge

logger = logging.getLogger(__name__)

MAX_RECIPIENTS = 100


def _close_connection() -> None:
    """Close this worker thread's database connection: the executor's threads outlive any request, and
    a connection left open would hold a server slot (and block a test database from being dropped)."""
    connections.close_all()


def _mailbox_id(address: str) -> int | None:
    try:
        return (
            Mailbox.objects.filter(address__iexact=address.strip(), is_active=True)
            .values_list("pk", flat=True)
            .first()
        )
    finally:
        _close_connection()


def _store(raw: bytes, mailbox_ids: list[int]) -> list[int]:
    """Store one copy per mailbox; every copy is committed before this returns."""
    from kefu.channels.email.tasks.intake import process_message

    try:
        stored = [
            intake.message_store(raw, source=InboundMessage.Source.SMTP, mailbox=mailbox)
            for mailbox in Mailbox.objects.filter(pk__in=mailbox_ids).order_by("pk")
        ]
        for inbound in stored:
            try:
                process_message.delay(inbound.pk)
            except Exception:
                # Stored is what counts; the recovery pass (mail.process_pending) processes it later.
                logger.exception("inbound %s: could not queue processing", inbound.pk)
        return [inbound.pk for inbound in stored]
    finally:
        _close_connection()


class MailboxHandler:
    """aiosmtpd handler: RCPT checks the mailbox, DATA stores the message."""

    async def handle_RCPT(  # noqa: N802  (aiosmtpd's hook names)
        self, server: SMTP, session: Session, envelope: Envelope, address: str, rcpt_options: list[str]
    ) -> str:
        if len(envelope.rcpt_tos) >= MAX_RECIPIENTS:
            return "452 4.5.3 Too many recipients"
        mailbox_id = await asyncio.get_running_loop().run_in_executor(None, _mailbox_id, address)
        if mailbox_id is None:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(  # noqa: N802
        self, server: SMTP, session: Session, envelope: Envelope
    ) -> str:
        raw = envelope.original_content or envelope.content or b""
        if isinstance(raw, str):
            raw = raw.encode("utf-8", errors="surrogateescape")
        loop = asyncio.get_running_loop()
        mailbox_ids = [
            mailbox_id
            for mailbox_id in dict.fromkeys(
                [await loop.run_in_executor(None, _mailbox_id, address) for address in envelope.rcpt_tos]
            )
            if mailbox_id is not None
        ]
        if not mailbox_ids:
            return "550 5.1.1 No such mailbox here"
        try:
            stored = await loop.run_in_executor(None, _store, raw, mailbox_ids)
        except PayloadTooLarge:
            return "552 5.3.4 Message too big"
        except Exception:
            logger.exception("smtpd: could not store a message from %s", envelope.mail_from)
            return "451 4.3.0 Could not store the message, try again later"
        logger.info("smtpd: stored %s from %s", stored, envelope.mail_from)
        return "250 OK stored"


def controller(*, host: str, port: int) -> Controller:
    """The listener, not yet started (tests start and stop it themselves)."""
    return Controller(
        MailboxHandler(),
        hostname=host,
        port=port,
        data_size_limit=settings.KEFU_SMTPD_MAX_BYTES,
        ident="Kefu",
    )


def serve(*, host: str, port: int) -> None:
    """Run the listener until SIGINT or SIGTERM."""
    stop = threading.Event()
    previous = {sig: signal.signal(sig, lambda *_args: stop.set()) for sig in (signal.SIGINT, signal.SIGTERM)}
    listener = controller(host=host, port=port)
    listener.start()
    logger.info("smtpd: listening on %s:%s", host, port)
    try:
        while not stop.wait(1):
            pass
    finally:
        listener.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        logger.info("smtpd: stopped")
