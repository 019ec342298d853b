"""Fetching mail from IMAP and POP3 mailboxes into intake.

``poll_all`` is what the beat task and ``kefu mail poll`` call. Each mailbox is claimed with a
conditional UPDATE of ``last_polled_at`` before it is polled, so two workers (or a beat tick and a
manual poll) never import the same mailbox at the same time.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db.models import Q
from django.utils import timezone

from kefu.channels.email.connect import describe_error, redact
from kefu.channels.email.fetch.imap import PollResult, poll_imap
from kefu.channels.email.fetch.pop3 import poll_pop3
from kefu.channels.email.models import Mailbox

logger = logging.getLogger(__name__)

POLLED_PROTOCOLS = (Mailbox.Protocol.IMAP, Mailbox.Protocol.POP3)
MAX_ERROR_LENGTH = 2000


def _claim(mailbox: Mailbox, now: dt.datetime) -> bool:
    return (
        Mailbox.objects.filter(pk=mailbox.pk, last_polled_at=mailbox.last_polled_at).update(
            last_polled_at=now
        )
        if mailbox.last_polled_at is not None
        else Mailbox.objects.filter(pk=mailbox.pk, last_polled_at__isnull=True).update(last_polled_at=now)
    ) == 1


def poll_mailbox(mailbox: Mailbox) -> PollResult:
    """Poll one mailbox now and record how it went in ``last_error`` (empty when all went well)."""
    poll = poll_imap if mailbox.protocol == Mailbox.Protocol.IMAP else poll_pop3
    try:
        result = poll(mailbox)
    except Exception as exc:
        logger.warning("mailbox %s: polling failed: %s", mailbox.pk, type(exc).__name__)
        result = PollResult(errors=[describe_error(exc)])
    error = redact("\n".join(result.errors), mailbox)[:MAX_ERROR_LENGTH]
    Mailbox.objects.filter(pk=mailbox.pk).update(last_error=error)
    mailbox.last_error = error
    return result


def _due(mailbox: Mailbox, now: dt.datetime) -> bool:
    return mailbox.last_polled_at is None or (
        mailbox.last_polled_at + dt.timedelta(seconds=mailbox.poll_interval) <= now
    )


def poll_all(*, mailbox_address: str | None = None) -> int:
    """Poll every due IMAP/POP3 mailbox (or the named one, due or not); return how many were stored."""
    now = timezone.now()
    mailboxes = Mailbox.objects.filter(is_active=True, protocol__in=POLLED_PROTOCOLS)
    if mailbox_address is not None:
        mailboxes = mailboxes.filter(address__iexact=mailbox_address.strip())
    else:
        mailboxes = mailboxes.filter(Q(last_polled_at__isnull=True) | Q(last_polled_at__lte=now))
    stored = 0
    for mailbox in mailboxes.order_by("id"):
        if mailbox_address is None and not _due(mailbox, now):
            continue
        if not _claim(mailbox, now):
            continue
        stored += poll_mailbox(mailbox).stored
    return stored
