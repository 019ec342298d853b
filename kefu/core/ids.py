"""Database ids that arrive from outside (URLs, forms, JSON)."""

from __future__ import annotations

# The largest id a 64-bit primary key can hold. Larger numbers are simply unknown ids; passed to the
# database as they are, SQLite raises OverflowError instead of finding nothing.
MAX_ID = 2**63 - 1


def is_storable_id(value: object) -> bool:
    """Whether ``value`` is an int that could be a primary key (bools are not ids)."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_ID


def parse_id(raw: str | None) -> int | None:
    """The id written in ``raw`` (ASCII digits only), or None when it cannot name a row."""
    if not raw or not (raw.isascii() and raw.isdigit()):
        return None
    value = int(raw)
    return value if value <= MAX_ID else None
