"""What the assignment rule services take: plain values, whatever door (API, console) they came through."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class FallbackInput:
    type: str = "unassigned"
    team_id: int | None = None
    agent_id: int | None = None


@dataclass(frozen=True)
class AssignmentRuleInput:
    """One assignment rule as the API describes it; ``agent_ids`` order is the round-robin order."""

    name: str
    department_id: int
    type: str = "round_robin"
    enabled: bool = True
    order: int | None = None
    criteria: dict[str, Any] = field(default_factory=dict)
    agent_ids: list[int] = field(default_factory=list)
    team_id: int | None = None
    skill_ids: list[int] = field(default_factory=list)
    skip_unavailable: bool = False
    cap: int | None = None
    fallback: FallbackInput = field(default_factory=FallbackInput)
