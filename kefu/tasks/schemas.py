"""The JSON shapes of tasks."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Schema
from pydantic import Field

from kefu.core.api_types import Id, InputSchema, Moment, text

Priority = Literal["low", "normal", "high", "urgent"]


class TaskIn(InputSchema):
    title: text(200, min_length=1) = Field(examples=["给王芳回电话确认退款"])  # type: ignore[valid-type]
    description: text(5000) = ""  # type: ignore[valid-type]
    ticket_id: Id | None = None
    assignee_id: Id | None = None
    due_at: Moment | None = Field(None, examples=["2026-12-08T10:00:00+08:00"])
    priority: Priority = "normal"
    done: bool = False


class TaskPatchIn(InputSchema):
    title: text(200, min_length=1) | None = None  # type: ignore[valid-type]
    description: text(5000) | None = None  # type: ignore[valid-type]
    ticket_id: Id | None = None
    assignee_id: Id | None = None
    due_at: Moment | None = None
    priority: Priority | None = None
    done: bool | None = None


class TaskOut(Schema):
    id: int
    title: str
    description: str
    ticket_id: int | None
    assignee_id: int | None
    due_at: dt.datetime | None
    priority: str
    done: bool


class TaskListOut(Schema):
    items: list[TaskOut]
    next_cursor: str | None


class TaskListIn(Schema):
    assignee_id: Id | None = None
    ticket_id: Id | None = None
    done: bool | None = None
    due: Literal["overdue", "today", "upcoming", "none"] | None = None
    limit: int = Field(25, ge=1, le=100)
    cursor: text(500) | None = None  # type: ignore[valid-type]
