"""What the SLA policy services take: framework-free definitions, as the API and the console parse them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass
class PolicyInput:
    """An SLA policy's definition. ``targets`` and ``escalations`` are lists of JSON objects (see the
    API), checked by the service with every problem named by its path (``targets[1].priority_id``).

    On update only the attributes named in ``given`` change (a PATCH); given ``targets`` or
    ``escalations`` replace the whole list.
    """

    name: str = ""
    department_id: int | None = None
    order: int | None = None
    enabled: bool = True
    criteria: Any = None
    business_hours_id: int | None = None
    targets: Any = None
    escalations: Any = None
    given: frozenset[str] | None = None
