"""Framework-free inputs of the modules services."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class FieldInput:
    """One field of a module definition as an administrator describes it."""

    key: str
    label: str
    type: str
    label_en: str = ""
    required: bool = False
    options: tuple[str, ...] = field(default_factory=tuple)
    lookup_module: str = ""
