"""Loops and noise: which messages must never be answered automatically, and senders who flood us.

An auto-responder answering our acknowledgement, which answers it again, is the classic mail loop. We
break it twice: a message that looks machine-made is imported (nothing is lost) but flagged so that no
acknowledgement goes out, and a sender who sends more than ``KEFU_MAIL_RATE_LIMIT_COUNT`` messages
within ``KEFU_MAIL_RATE_LIMIT_MINUTES`` has the rest quarantined until someone looks. Both settings are
read at call time.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce

from kefu.channels.email.models import InboundMessage
from kefu.channels.email.parse.message import ParsedMessage


def is_automated(parsed: ParsedMessage, our_addresses: set[str]) -> bool:
    """Auto-Submitted / X-Autoreply / Precedence bulk (the parser's flag), mailer daemons, ourselves."""
    return parsed.is_auto_submitted or parsed.is_from_daemon or parsed.sender.address in our_addresses


def rate_limit() -> tuple[int, int]:
    """``(count, minutes)``: at most ``count`` messages from one sender within ``minutes``."""
    return settings.KEFU_MAIL_RATE_LIMIT_COUNT, settings.KEFU_MAIL_RATE_LIMIT_MINUTES


def earlier_from_sender(sender: str) -> Coalesce:
    """An annotation for an ``InboundMessage`` row: how many messages ``sender`` sent in the window before it.

    A subquery rather than a query of its own, so that intake reads it with the row it locks anyway.
    """
    _count, minutes = rate_limit()
    earlier = (
        InboundMessage.objects.filter(
            sender=sender,
            received_at__gte=OuterRef("received_at") - dt.timedelta(minutes=minutes),
            received_at__lte=OuterRef("received_at"),
        )
        .exclude(pk=OuterRef("pk"))
        .order_by()
        .values("sender")
        .annotate(total=Count("pk"))
        .values("total")
    )
    return Coalesce(Subquery(earlier), 0)


def over_rate_limit(sender: str, earlier: int) -> bool:
    """Whether ``sender``, having sent ``earlier`` messages in the window already, is over the limit."""
    count, _minutes = rate_limit()
    return bool(sender) and earlier >= count
