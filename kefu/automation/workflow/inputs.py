"""What the rule services take: framework-free definitions, as the API and the console parse them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class RuleInput:
    """A workflow or time rule's definition; ``trigger`` and ``trigger_fields`` are for workflow rules.

    On update, only the attributes named in ``given`` are changed (a PATCH).
    """

    name: str = ""
    department_id: int | None = None
    enabled: bool = False
    order: int | None = None
    trigger: str = ""
    trigger_fields: list[str] = field(default_factory=list)
    criteria: Any = None
    actions: Any = None
    given: frozenset[str] = frozenset()
