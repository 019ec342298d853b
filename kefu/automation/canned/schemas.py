"""The JSON shapes of canned replies."""

from __future__ import annotations

from typing import Literal

from ninja import Schema
from pydantic import Field

from kefu.core.api_types import Id, InputSchema, text


class CannedReplyIn(InputSchema):
    title: text(150) = Field(examples=["退换货流程"])  # type: ignore[valid-type]
    body: text(20_000) = Field(examples=["{{ contact.name }}您好,退换货请在订单页面提交申请。"])  # type: ignore[valid-type]
    language: Literal["zh-hans", "en"] = "zh-hans"
    shortcut: text(50) = Field("", examples=["refund"])  # type: ignore[valid-type]
    department_id: Id | None = None
    shared: bool = True


class CannedReplyOut(Schema):
    id: int
    title: str
    body: str
    language: str
    shortcut: str
    department_id: int | None
    shared: bool
    owner_id: int | None
    usage_count: int


class CannedReplyFilters(Schema):
    q: text(200) = ""  # type: ignore[valid-type]
    language: Literal["", "zh-hans", "en"] = ""
    department_id: Id | None = None


class CannedReplyUseIn(InputSchema):
    ticket_id: Id | None = Field(None, description="Fill the placeholders for this ticket.")


class CannedReplyUseOut(Schema):
    body: str
    usage_count: int
