"""The JSON shapes of contacts and accounts."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from ninja import Schema
from pydantic import Field

from kefu.core.api_types import Id, InputSchema, JsonValue, Text, text


class ContactFieldsIn(InputSchema):
    name: text(200) | None = Field(None, examples=["王芳"])  # type: ignore[valid-type]
    email: text(254) | None = Field(None, examples=["wang.fang@example.com"])  # type: ignore[valid-type]
    other_emails: list[text(254)] | None = Field(None, max_length=20)  # type: ignore[valid-type]
    phone: text(32) | None = None  # type: ignore[valid-type]
    mobile: text(32) | None = None  # type: ignore[valid-type]
    account_id: Id | None = None
    language: Literal["zh-hans", "en", ""] | None = None
    time_zone: text(64) | None = Field(None, examples=["Asia/Shanghai"])  # type: ignore[valid-type]
    tags: list[text(64)] | None = Field(None, max_length=50)  # type: ignore[valid-type]
    custom_fields: dict[Text, JsonValue] | None = None
    owner_id: Id | None = None


class ContactOut(Schema):
    id: int
    name: str
    email: str
    other_emails: list[str]
    phone: str
    mobile: str
    account_id: int | None
    language: str
    time_zone: str
    tags: list[str]
    custom_fields: dict[str, Any]
    owner_id: int | None
    created_at: dt.datetime
    updated_at: dt.datetime


class ContactListOut(Schema):
    items: list[ContactOut]
    next_cursor: str | None


class ListIn(Schema):
    q: text(200) | None = None  # type: ignore[valid-type]
    limit: int = Field(25, ge=1, le=100)
    cursor: text(500) | None = None  # type: ignore[valid-type]


class ContactListIn(ListIn):
    account_id: Id | None = None


class AccountFieldsIn(InputSchema):
    name: text(200) | None = Field(None, examples=["上海明远科技有限公司"])  # type: ignore[valid-type]
    website: text(200) | None = Field(None, examples=["https://example.com"])  # type: ignore[valid-type]
    phone: text(32) | None = None  # type: ignore[valid-type]
    industry: text(100) | None = None  # type: ignore[valid-type]
    custom_fields: dict[Text, JsonValue] | None = None


class AccountCreateIn(AccountFieldsIn):
    name: text(200, min_length=1)  # type: ignore[valid-type]


class AccountOut(Schema):
    id: int
    name: str
    website: str
    phone: str
    industry: str
    custom_fields: dict[str, Any]
    created_at: dt.datetime
    updated_at: dt.datetime


class AccountListOut(Schema):
    items: list[AccountOut]
    next_cursor: str | None
