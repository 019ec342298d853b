"""What the macro services take."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class MacroInput:
    """A macro as the API describes it: ``department_id`` ``None`` is every department."""

    name: str
    actions: list[dict[str, Any]] = field(default_factory=list)
    department_id: int | None = None
    shared: bool = True
    description: str = ""
