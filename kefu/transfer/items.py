"""What the sources hand to the importers: one item per object, with the rows it came from."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Item:
    """One object to import. ``row`` is its first row in the file (the error report's reference) and
    ``size`` how many rows (or entries) of the source it took: the checkpoint counts these."""

    kind: str
    row: int
    data: dict[str, Any]
    size: int = 1
    messages: list[dict[str, Any]] = field(default_factory=list)
    scope: str = ""
    errors: dict[str, str] = field(default_factory=dict)
    """Problems found while reading (a column that could not be parsed): the item fails with them."""
