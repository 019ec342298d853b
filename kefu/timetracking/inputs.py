"""Framework-free inputs of the time-tracking services."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class TimeEntryInput:
    """A manual entry. ``agent_id`` None means the acting agent; ``date`` None means their today."""

    minutes: object
    date: dt.date | None = None
    billable: bool = True
    note: str = ""
    agent_id: int | None = None
