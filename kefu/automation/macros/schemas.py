"""The JSON shapes of macros."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Schema
from pydantic import Field

from kefu.core.api_types import Id, InputSchema, JsonValue, text


class MacroIn(InputSchema):
    name: text(150) = Field(examples=["退货已收到"])  # type: ignore[valid-type]
    description: text(2000) = ""  # type: ignore[valid-type]
    department_id: Id | None = Field(None, description="Empty: every department.")
    shared: bool = Field(True, description="Shared with the department's agents, or only yours.")
    actions: list[dict[str, JsonValue]] = Field(
        max_length=30,
        examples=[
            [
                {"type": "reply", "body": "{{ contact.name }}您好,我们已收到您的退货。"},
                {"type": "set_field", "field": "status", "value": "已解决"},
                {"type": "add_tags", "tags": ["退货"]},
            ]
        ],
    )


class MacroOut(Schema):
    id: int
    name: str
    description: str
    department_id: int | None
    shared: bool
    owner_id: int | None
    actions: list[dict[str, Any]]
    usage_count: int
    last_used_at: dt.datetime | None


class ApplyMacroIn(InputSchema):
    macro_id: Id


class ApplyMacroBulkIn(InputSchema):
    ticket_ids: list[Id] = Field(min_length=1, max_length=200)


class ApplyMacroBulkOut(Schema):
    applied: list[int]
    failed: dict[str, str]
