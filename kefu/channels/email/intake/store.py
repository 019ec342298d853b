"""Step one of intake: keep the raw bytes, committed, before anything tries to understand them."""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kefu.channels.email.models import InboundMessage, Mailbox
from kefu.core.crash_points import crash_point
from kefu.core.errors import PayloadTooLarge, ValidationFailed


def message_store(raw: bytes, *, source: InboundMessage.Source, mailbox: Mailbox | None) -> InboundMessage:
    """Store one raw message exactly as it arrived and commit it; return the PENDING row.

    Runs in its own durable transaction so that once this returns, no crash can lose the message: a
    later ``message_process`` (or the recovery pass) turns it into a ticket or thread. Only a message
    larger than ``KEFU_MAIL_MAX_MESSAGE_BYTES`` is refused.
    """
    if not isinstance(raw, bytes | bytearray | memoryview):
        raise ValidationFailed(_("A raw message is bytes."), fields={"raw": _("Send the message as bytes.")})
    raw = bytes(raw)
    limit = settings.KEFU_MAIL_MAX_MESSAGE_BYTES
    if len(raw) > limit:
        raise PayloadTooLarge(
            _("The message is larger than %(limit)d bytes.") % {"limit": limit},
            fields={"raw": _("The message is too large.")},
        )
    with transaction.atomic(durable=True):
        inbound = InboundMessage.objects.create(
            mailbox=mailbox,
            source=source,
            raw=raw,
            size=len(raw),
            sha256=hashlib.sha256(raw).hexdigest(),
            received_at=timezone.now(),
        )
    _pause_after_store(inbound)
    return inbound


def _pause_after_store(inbound: InboundMessage) -> None:
    """Crash point of the intake's crash-safety test: right after the raw message committed."""
    crash_point("KEFU_TEST_PAUSE_AFTER_STORE", inbound.pk)


def secret_digest(secret: str) -> str:
    """What ``Mailbox.intake_secret_digest`` holds: the SHA-256 of the HTTP intake secret, not the secret."""
    return hashlib.sha256(secret.encode()).hexdigest()


def intake_secret_matches(secret: str, mailbox: Mailbox | None) -> bool:
    """Whether ``secret`` authorises raw-message intake for ``mailbox`` (or for any mailbox when ``None``).

    A mailbox with its own secret accepts only that one; otherwise the global ``KEFU_MAIL_INBOUND_SECRET``
    applies. With neither configured, HTTP intake is off.
    """
    if not secret:
        return False
    if mailbox is not None and mailbox.intake_secret_digest:
        return hmac.compare_digest(secret_digest(secret), mailbox.intake_secret_digest)
    expected = settings.KEFU_MAIL_INBOUND_SECRET
    return bool(expected) and hmac.compare_digest(secret.encode(), expected.encode())
