"""The JSON shapes of assignment rules."""

from __future__ import annotations

from typing import Any, Literal

from ninja import Schema
from pydantic import Field

from kefu.core.api_types import Id, InputSchema, JsonValue, text

RuleType = Literal["direct", "round_robin", "load_balanced", "skills"]
FallbackType = Literal["unassigned", "team", "agent"]


class FallbackIn(InputSchema):
    type: FallbackType = "unassigned"
    team_id: Id | None = None
    agent_id: Id | None = None


class AssignmentRuleIn(InputSchema):
    name: text(150) = Field(examples=["售后轮流分配"])  # type: ignore[valid-type]
    department_id: Id
    enabled: bool = True
    order: int | None = Field(None, ge=0, le=1_000_000)
    criteria: dict[str, JsonValue] = Field(
        default_factory=dict, examples=[{"all": [{"field": "subject", "op": "contains", "value": "发热"}]}]
    )
    type: RuleType = "round_robin"
    agent_ids: list[Id] = Field(
        default_factory=list, max_length=500, description="The chosen agents (user ids) in round-robin order."
    )
    team_id: Id | None = Field(None, description="Direct: the team. Otherwise: share among its members.")
    skill_ids: list[Id] = Field(default_factory=list, max_length=100)
    skip_unavailable: bool = False
    cap: int | None = Field(None, ge=1, le=10_000, description="At most this many open tickets per agent.")
    fallback: FallbackIn = Field(default_factory=FallbackIn)


class FallbackOut(Schema):
    type: str
    team_id: int | None
    agent_id: int | None


class AssignmentRuleOut(Schema):
    id: int
    name: str
    department_id: int
    enabled: bool
    order: int
    criteria: dict[str, Any]
    type: str
    agent_ids: list[int]
    team_id: int | None
    skill_ids: list[int]
    skip_unavailable: bool
    cap: int | None
    fallback: FallbackOut
    last_agent_id: int | None
    turns: int


class ReorderIn(InputSchema):
    department_id: Id
    rule_ids: list[Id] = Field(max_length=1000)


class ShareOutOut(Schema):
    reassigned: dict[str, int]
    to_teams: int
    flagged: int
    kept: int
