"""The JSON shapes of time entries."""

from __future__ import annotations

import datetime as dt

from ninja import Schema
from pydantic import Field

from kefu.core.api_types import Id, InputSchema, text


class TimeEntryIn(InputSchema):
    minutes: int = Field(ge=1, le=1440, examples=[25])
    date: dt.date | None = Field(None, examples=["2026-12-07"])
    billable: bool = True
    note: text(1000) = ""  # type: ignore[valid-type]
    agent_id: Id | None = None


class TimeEntryPatchIn(InputSchema):
    minutes: int | None = Field(None, ge=1, le=1440)
    date: dt.date | None = None
    billable: bool | None = None
    note: text(1000) | None = None  # type: ignore[valid-type]
    agent_id: Id | None = None


class TimeEntryOut(Schema):
    id: int
    agent_id: int
    minutes: int
    date: dt.date
    billable: bool
    note: str


class TimeEntryListOut(Schema):
    items: list[TimeEntryOut]
    next_cursor: str | None
    total_minutes: int
    billable_minutes: int


class TimeEntryListIn(Schema):
    limit: int = Field(25, ge=1, le=100)
    cursor: text(500) | None = None  # type: ignore[valid-type]


class TotalsIn(Schema):
    ticket_id: Id | None = None
    contact_id: Id | None = None
    account_id: Id | None = None
    agent_id: Id | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None


class AgentTotalOut(Schema):
    agent_id: int
    minutes: int
    billable_minutes: int


class TotalsOut(Schema):
    minutes: int
    billable_minutes: int
    per_agent: list[AgentTotalOut]
