"""Handing a fetched raw message to intake: stored (and committed) first, processed by a task after."""

from __future__ import annotations

import logging

from kefu.channels.email import intake
from kefu.channels.email.models import InboundMessage, Mailbox

logger = logging.getLogger(__name__)


def store_fetched(raw: bytes, *, source: InboundMessage.Source, mailbox: Mailbox) -> InboundMessage:
    """Store ``raw`` for ``mailbox`` (committed when this returns) and queue its processing."""
    from kefu.channels.email.tasks.intake import process_message  # tasks import this package

    inbound = intake.message_store(raw, source=source, mailbox=mailbox)
    try:
        process_message.delay(inbound.pk)
    except Exception:
        # The message is safely stored; the recovery pass (mail.process_pending) processes it later.
        logger.exception("inbound %s: could not queue processing", inbound.pk)
    return inbound
