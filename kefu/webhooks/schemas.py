"""The JSON shapes of webhook subscriptions and their deliveries."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Schema
from pydantic import Field

from kefu.core.api_types import InputSchema, JsonValue, text


class WebhookIn(InputSchema):
    name: text(200) = Field("", examples=["CRM sync"])  # type: ignore[valid-type]
    url: text(2000) = Field("", examples=["https://crm.example.com/hooks/kefu"])  # type: ignore[valid-type]
    event_types: list[text(64)] = Field(  # type: ignore[valid-type]
        default_factory=list, max_length=100, examples=[["ticket.created", "ticket.updated"]]
    )
    criteria: JsonValue | None = Field(
        None, examples=[{"all": [{"field": "priority", "op": "is", "value": "高"}]}]
    )
    enabled: bool = True


class WebhookPatchIn(InputSchema):
    name: text(200) | None = None  # type: ignore[valid-type]
    url: text(2000) | None = None  # type: ignore[valid-type]
    event_types: list[text(64)] | None = Field(None, max_length=100)  # type: ignore[valid-type]
    criteria: JsonValue | None = None
    enabled: bool | None = None
    regenerate_secret: bool = False


class WebhookOut(Schema):
    id: int
    name: str
    url: str
    event_types: list[str]
    criteria: dict[str, Any]
    enabled: bool
    disabled_reason: str
    failing_since: dt.datetime | None
    last_success_at: dt.datetime | None
    last_failure_at: dt.datetime | None
    created_at: dt.datetime
    updated_at: dt.datetime
    secret: str | None = Field(
        None, description="Only in the answer that created the webhook or regenerated its secret."
    )


class WebhookListOut(Schema):
    items: list[WebhookOut]
    next_cursor: str | None


class AttemptOut(Schema):
    at: dt.datetime
    response_status: int | None
    latency_ms: int | None
    error: str
    response_body: str


class DeliveryOut(Schema):
    id: int
    uid: str
    event_type: str
    event_id: int | None
    ticket_id: int | None
    redelivery_of: int | None
    status: str
    attempts: int
    next_attempt_at: dt.datetime | None
    created_at: dt.datetime
    last_attempt_at: dt.datetime | None
    response_status: int | None
    latency_ms: int | None
    error: str
    request_body: str
    attempt_log: list[AttemptOut] | None = None


class DeliveryListOut(Schema):
    items: list[DeliveryOut]
    next_cursor: str | None


class ListIn(Schema):
    limit: int = Field(25, ge=1, le=100)
    cursor: str | None = None
