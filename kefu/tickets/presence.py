"""Who else has a ticket open: the read side of the collision notice.

Ticket pages send a heartbeat every ``HEARTBEAT_SECONDS``; an agent whose last heartbeat is older than
``STALE_AFTER`` has left (closed the tab, lost the network) even if no goodbye arrived.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from kefu.tickets.models import Ticket, TicketPresence

HEARTBEAT_SECONDS = 10
STALE_AFTER = dt.timedelta(seconds=30)
MAX_SHOWN = 10


@dataclass(frozen=True)
class Presence:
    name: str
    is_replying: bool


def others_present(ticket: Ticket, *, user_id: int, now: dt.datetime | None = None) -> list[Presence]:
    """The other agents on ``ticket`` now, those replying first, then by name; at most ``MAX_SHOWN``."""
    since = (now or timezone.now()) - STALE_AFTER
    rows = (
        TicketPresence.objects.filter(ticket=ticket, last_seen_at__gte=since, user__is_active=True)
        .exclude(user_id=user_id)
        .select_related("user")
        .only("is_replying", "user__name", "user__email")
        .order_by("-is_replying", "user__name", "user_id")[:MAX_SHOWN]
    )
    return [Presence(name=row.user.name or row.user.email, is_replying=row.is_replying) for row in rows]
