"""Framework-free inputs of the task services."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class TaskInput:
    title: str
    description: str = ""
    ticket_id: int | None = None
    assignee_id: int | None = None
    due_at: dt.datetime | None = None
    priority: str = "normal"
    done: bool = False
