"""The SLA badge in words: which target comes next on a ticket and how much time it has left.

"剩余 1 小时 20 分钟（工作时间）" / "1 h 20 min left (business hours)": business time left is counted in the
ticket's SLA calendar (the working minutes between now and the due date), calendar time on the clock.
Read from the ticket's own SLA columns and the cached calendars: no query per ticket on a list.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from kefu.sla.selectors.policies import calendar_for
from kefu.tickets.sla import TARGETS

SOON_MINUTES = 60


@dataclass(frozen=True)
class Badge:
    text: str
    tone: str
    """``danger`` overdue, ``warning`` due within the hour, ``paused``, ``ok``."""
    target: str
    due_at: dt.datetime | None


def duration_words(minutes: float) -> str:
    whole = max(int(minutes), 0)
    hours, rest = divmod(whole, 60)
    if hours and rest:
        return _("%(hours)d h %(minutes)d min") % {"hours": hours, "minutes": rest}
    if hours:
        return _("%(hours)d h") % {"hours": hours}
    return _("%(minutes)d min") % {"minutes": rest}


def target_label(target: str) -> str:
    return {
        "first_response": _("First response"),
        "next_response": _("Next response"),
        "resolution": _("Resolution"),
    }.get(target, target)


def badge_for(ticket: Any, now: dt.datetime | None = None) -> Badge | None:
    """The badge of the target due soonest, ``paused`` on hold, ``None`` without a running target."""
    if not getattr(ticket, "sla_policy_id", None):
        return None
    state = ticket.sla or {}
    if ticket.sla_paused:
        return Badge(pgettext("SLA timer", "paused"), "paused", "", None)
    now = now or timezone.now()
    running = [
        (due, target) for target in TARGETS if (due := getattr(ticket, f"{target}_due_at", None)) is not None
    ]
    if not running:
        return None
    due, target = min(running)
    business = bool((state.get(target) or {}).get("business"))
    clock = calendar_for(
        business=business, calendar_id=state.get("calendar_id"), department_id=ticket.department_id
    )
    if now < due:
        left = clock.elapsed(now, due)
        time = duration_words(left)
        text = _("%(time)s left (business hours)") if business else _("%(time)s left")
        tone = "warning" if (due - now).total_seconds() <= SOON_MINUTES * 60 else "ok"
    else:
        over = max(clock.elapsed(due, now), 1.0)
        time = duration_words(over)
        text = _("%(time)s overdue (business hours)") if business else _("%(time)s overdue")
        tone = "danger"
    return Badge(text % {"time": time}, tone, target, due)
