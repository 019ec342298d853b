"""Factories for time tracking: entries are logged through the service, as the system would."""

from __future__ import annotations

import datetime as dt
from typing import Any

from kefu.core.actors import Actor, Source
from kefu.timetracking.inputs import TimeEntryInput
from kefu.timetracking.models import TimeEntry
from kefu.timetracking.services import time_entry_create


def time_entry(ticket: Any, agent: Any, minutes: int = 30, **values: Any) -> TimeEntry:
    """``agent`` is an Agent or a User; ``date`` defaults to a fixed past day."""
    user = getattr(agent, "user", agent)
    values.setdefault("date", dt.date(2026, 12, 1))
    return time_entry_create(
        actor=Actor.system(),
        source=Source.IMPORT,
        ticket_id=ticket.pk,
        data=TimeEntryInput(minutes=minutes, agent_id=user.pk, **values),
    )
