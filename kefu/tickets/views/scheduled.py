"""Scheduled replies on the ticket page: the time picked and shown in the customer's time zone.

The customer's zone is the contact's ``time_zone``, else the help desk's. The agent picks a local date
and time in that zone (a ``datetime-local`` input), which becomes an aware moment before any service
sees it.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from kefu.core.errors import ValidationFailed
from kefu.org.selectors import helpdesk_settings
from kefu.tickets.selectors import scheduled_replies

LOCAL_FORMAT = "%Y-%m-%dT%H:%M"


def customer_zone(ticket: Any) -> zoneinfo.ZoneInfo:
    """The zone replies to ``ticket`` are scheduled in: the contact's, else the help desk's."""
    for name in (getattr(ticket.contact, "time_zone", ""), helpdesk_settings().time_zone):
        if name:
            try:
                return zoneinfo.ZoneInfo(name)
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                continue
    return zoneinfo.ZoneInfo("UTC")


def zone_label(zone: zoneinfo.ZoneInfo) -> str:
    """``Asia/Tokyo (UTC+09:00)``: the zone's name and its offset now."""
    offset = timezone.now().astimezone(zone).strftime("%z")
    return f"{zone.key} (UTC{offset[:3]}:{offset[3:]})"


def local_input(moment: dt.datetime | None, zone: zoneinfo.ZoneInfo) -> str:
    return moment.astimezone(zone).strftime(LOCAL_FORMAT) if moment else ""


def parse_local(value: str, zone: zoneinfo.ZoneInfo) -> dt.datetime:
    """A ``datetime-local`` value in ``zone`` as an aware moment, or a validation error naming ``send_at``."""
    try:
        return dt.datetime.strptime(value.strip()[:16], LOCAL_FORMAT).replace(tzinfo=zone)
    except ValueError:
        raise ValidationFailed(
            _("The reply is not valid."), fields={"send_at": _("Choose the date and time to send it.")}
        ) from None


@dataclass(frozen=True)
class ScheduledRow:
    thread: Any
    local: str
    shown: str


def scheduled_context(ticket: Any) -> dict[str, Any]:
    """The ticket's scheduled replies with their times in the customer's zone, for the reply editor."""
    zone = customer_zone(ticket)
    rows = [
        ScheduledRow(
            thread=thread,
            local=local_input(thread.send_at, zone),
            shown=thread.send_at.astimezone(zone).strftime("%Y-%m-%d %H:%M"),
        )
        for thread in scheduled_replies(ticket)
    ]
    now = timezone.now().astimezone(zone)
    return {
        "scheduled_rows": rows,
        "reply_zone": zone_label(zone),
        "send_at_min": now.strftime(LOCAL_FORMAT),
        "send_at_default": (now + dt.timedelta(hours=1)).replace(minute=0).strftime(LOCAL_FORMAT),
    }
