"""What the webhook services take: plain data, no request, form or schema."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class WebhookInput:
    """A subscription as given; on update only the names in ``given`` change (``None``: all of them)."""

    name: str = ""
    url: str = ""
    event_types: Any = field(default_factory=list)
    criteria: Any = None
    enabled: bool = True
    given: frozenset[str] | None = None
