"""The JSON shapes of workflow rules, time rules, their runs, dry runs and the field catalog."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from ninja import Schema
from pydantic import Field

from kefu.automation.models import Trigger
from kefu.automation.workflow.services import TRIGGER_FIELDS
from kefu.core.api_types import Id, InputSchema, JsonValue, text

TriggerName = Literal[tuple(Trigger.values)]  # type: ignore[valid-type]
TriggerField = Literal[TRIGGER_FIELDS]  # type: ignore[valid-type]

CRITERIA_EXAMPLE = {"all": [{"field": "subject", "op": "contains", "value": "发热"}]}
ACTIONS_EXAMPLE = [
    {"type": "set_field", "field": "priority", "value": "高"},
    {"type": "assign", "team_id": 3},
]


class RuleFieldsIn(InputSchema):
    name: text(200) | None = Field(None, examples=["手机发热 → 换货组"])  # type: ignore[valid-type]
    department_id: Id | None = Field(
        None, description="Only tickets of this department; null: every department."
    )
    enabled: bool | None = None
    order: int | None = Field(None, ge=0, le=1_000_000)
    criteria: JsonValue = Field(
        None,
        description="The conditions (see docs/automation.md): {all: [...]} or {any: [...]}, nested.",
        examples=[CRITERIA_EXAMPLE],
    )
    actions: JsonValue = Field(None, description="A list of {type: …} objects.", examples=[ACTIONS_EXAMPLE])


class WorkflowRuleIn(RuleFieldsIn):
    trigger: TriggerName | None = None  # type: ignore[valid-type]
    trigger_fields: list[TriggerField] | None = Field(  # type: ignore[valid-type]
        None,
        max_length=len(TRIGGER_FIELDS),
        description="With trigger `updated`: only changes of these fields.",
    )


class TimeRuleIn(RuleFieldsIn):
    pass


class RuleStatsOut(Schema):
    runs: int
    errors: int
    last_run_at: dt.datetime | None


class TimeRuleOut(Schema):
    id: int
    name: str
    department_id: int | None
    enabled: bool
    order: int
    criteria: dict[str, Any]
    actions: list[dict[str, Any]]
    stats: RuleStatsOut
    created_at: dt.datetime
    updated_at: dt.datetime


class WorkflowRuleOut(TimeRuleOut):
    trigger: str
    trigger_fields: list[str]


class WorkflowRuleListOut(Schema):
    items: list[WorkflowRuleOut]
    next_cursor: str | None


class TimeRuleListOut(Schema):
    items: list[TimeRuleOut]
    next_cursor: str | None


class ReorderIn(InputSchema):
    ids: list[Id] = Field(max_length=10_000, description="Every rule's id, in the new order.")


class RunOut(Schema):
    id: int
    ticket_id: int
    change_set: str
    depth: int
    outcome: str
    actions: list[dict[str, Any]]
    error: str
    created_at: dt.datetime


class RunListOut(Schema):
    items: list[RunOut]
    next_cursor: str | None


class DryRunIn(InputSchema):
    criteria: JsonValue = Field(None, examples=[CRITERIA_EXAMPLE])
    actions: JsonValue = Field(None, examples=[ACTIONS_EXAMPLE])


class StepOut(Schema):
    field: str
    old: str
    new: str


class DryRunMatchOut(Schema):
    ticket_id: int
    number: int
    subject: str
    steps: list[StepOut]
    stops: bool


class DryRunOut(Schema):
    checked: int = Field(description="How many of the latest visible tickets were tested (at most 200).")
    matched: int
    assumes_changes: bool = Field(description="Conditions on a change (changed…) were counted as met.")
    matches: list[DryRunMatchOut]


class CatalogFieldOut(Schema):
    key: str
    label: str
    labels: dict[str, str]
    group: str
    type: str
    operators: list[str]
    choices: list[dict[str, Any]] | None


class CatalogOperatorOut(Schema):
    key: str
    label: str
    value: str
    needs_change: bool


class CatalogGroupOut(Schema):
    key: str
    label: str


class CatalogOut(Schema):
    fields: list[CatalogFieldOut]
    operators: list[CatalogOperatorOut]
    groups: list[CatalogGroupOut]
    actions: list[dict[str, Any]]
    triggers: list[dict[str, str]]
