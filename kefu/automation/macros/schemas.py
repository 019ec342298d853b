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


class BulkReplyIn(InputSchema):
    ticket_ids: list[Id] = Field(max_length=100, examples=[[1043, 1051, 1060]])
    body: text(200_000) = Field(  # type: ignore[valid-type]
        examples=["{{ contact.name }}，您好：华东仓的发货延误已解决，您的订单 {{ ticket.number }} 今天发出。"]
    )


class BulkReplyItemOut(Schema):
    ticket_id: int
    status: str = Field(description="`replied` or `failed`.")
    thread_id: int | None = Field(description="The reply on this ticket, when it was replied to.")
    message: str | None = Field(description="Why this ticket was not replied to.")


class BulkReplyOut(Schema):
    replied: int
    failed: int
    results: list[BulkReplyItemOut]


class ApplyMacroBulkOut(Schema):
    applied: list[int]
    failed: dict[str, str]
