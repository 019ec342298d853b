"""The JSON shapes of notification rules, templates, in-app notifications and preferences."""

from __future__ import annotations

import datetime as dt

from ninja import Schema
from pydantic import Field

from kefu.core.api_types import Id, InputSchema, text


class RuleOut(Schema):
    department_id: int
    event: str
    audience: str
    label: str
    enabled: bool
    recipients: list[str]
    addresses: list[str]
    channels: list[str]
    recipient_choices: list[str]


class RuleListOut(Schema):
    items: list[RuleOut]


class RuleListIn(Schema):
    department_id: Id


class RulePatchIn(InputSchema):
    enabled: bool | None = None
    recipients: list[text(32)] | None = Field(None, max_length=10, examples=[["contact", "cc"]])  # type: ignore[valid-type]
    addresses: list[text(254)] | None = Field(None, max_length=20, examples=[["ops@example.cn"]])  # type: ignore[valid-type]
    channels: list[text(16)] | None = Field(None, max_length=2, examples=[["email"]])  # type: ignore[valid-type]


class TemplateOut(Schema):
    id: int
    event: str
    language: str
    subject: str
    body_html: str
    body_text: str


class TemplateListOut(Schema):
    items: list[TemplateOut]


class TemplateListIn(Schema):
    event: str | None = Field(None, max_length=48)
    language: str | None = Field(None, max_length=16)


class TemplatePatchIn(InputSchema):
    subject: text(300) | None = Field(None, examples=["Re: {{ ticket.subject }}"])  # type: ignore[valid-type]
    body_html: text(50_000) | None = None  # type: ignore[valid-type]
    body_text: text(50_000) | None = None  # type: ignore[valid-type]


class PreviewIn(InputSchema):
    ticket_id: Id
    subject: text(300) | None = None  # type: ignore[valid-type]
    body_html: text(50_000) | None = None  # type: ignore[valid-type]
    body_text: text(50_000) | None = None  # type: ignore[valid-type]


class PreviewOut(Schema):
    subject: str
    body_html: str
    body_text: str
    errors: dict[str, str]


class NotificationOut(Schema):
    id: int
    event: str
    ticket_id: int | None
    text: str
    read: bool
    created_at: dt.datetime


class NotificationListOut(Schema):
    items: list[NotificationOut]
    unread_count: int
    next_cursor: str | None


class NotificationListIn(Schema):
    unread: bool = False
    limit: int = Field(50, ge=1, le=200)
    cursor: str | None = Field(None, max_length=200)


class ReadIn(InputSchema):
    ids: list[Id] | None = Field(None, max_length=500)
    all: bool | None = None


class ReadOut(Schema):
    marked: int
    unread_count: int


class PreferencesIn(InputSchema):
    channels: dict[text(48), list[text(16)]] = Field(default_factory=dict)  # type: ignore[valid-type]
    quiet_from: dt.time | None = None
    quiet_until: dt.time | None = None


class PreferencesOut(Schema):
    channels: dict[str, list[str]]
    quiet_from: dt.time | None
    quiet_until: dt.time | None
