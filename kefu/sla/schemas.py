"""The JSON shapes of SLA policies (``/api/v1/sla-policies``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Schema
from pydantic import Field

from kefu.core.api_types import Id, InputSchema, JsonValue, text

TARGETS_EXAMPLE = [
    {
        "priority_id": 2,
        "first_response_minutes": 60,
        "next_response_minutes": 120,
        "resolution_minutes": 240,
        "business_time": True,
    }
]
ESCALATIONS_EXAMPLE = [
    {
        "target": "resolution",
        "offset_minutes": -30,
        "actions": [{"type": "comment", "body": "30 分钟后到期"}],
    },
    {
        "target": "resolution",
        "offset_minutes": 0,
        "actions": [{"type": "set_field", "field": "priority", "value": "紧急"}],
    },
    {"target": "resolution", "offset_minutes": 120, "actions": [{"type": "assign", "team_id": 3}]},
]


class PolicyIn(InputSchema):
    """Every field is optional on PATCH; ``targets`` and ``escalations``, when given, replace the lists."""

    name: text(200) | None = Field(None, examples=["VIP 客户"])  # type: ignore[valid-type]
    department_id: Id | None = None
    order: int | None = Field(None, ge=0, le=1_000_000)
    enabled: bool | None = None
    criteria: JsonValue = Field(
        None,
        description="Which tickets (the automation criteria, see docs/automation.md); empty: every ticket.",
        examples=[{"all": [{"field": "tags", "op": "contains", "value": "VIP"}]}],
    )
    business_hours_id: Id | None = Field(
        None, description="The calendar business-time targets count in; null: the department's."
    )
    targets: JsonValue = Field(
        None,
        description=(
            "Per priority: minutes for the first response, each next response and the resolution (null: "
            "not measured), in business hours (`business_time`: true) or around the clock."
        ),
        examples=[TARGETS_EXAMPLE],
    )
    escalations: JsonValue = Field(
        None,
        description=(
            "Levels: `target` (first_response | next_response | resolution), `offset_minutes` from the "
            "due date (negative: before), `actions` from the automation action registry."
        ),
        examples=[ESCALATIONS_EXAMPLE],
    )


class TargetOut(Schema):
    priority_id: int
    first_response_minutes: int | None
    next_response_minutes: int | None
    resolution_minutes: int | None
    business_time: bool


class EscalationOut(Schema):
    target: str
    offset_minutes: int
    actions: list[dict[str, Any]]


class PolicyOut(Schema):
    id: int
    name: str
    department_id: int
    order: int
    enabled: bool
    criteria: dict[str, Any]
    business_hours_id: int | None
    targets: list[TargetOut]
    escalations: list[EscalationOut]
    created_at: dt.datetime
    updated_at: dt.datetime


class PolicyListOut(Schema):
    items: list[PolicyOut]
    next_cursor: str | None


class ReorderIn(InputSchema):
    department_id: Id
    ids: list[Id] = Field(max_length=1000)
