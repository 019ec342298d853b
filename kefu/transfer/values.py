"""Turning the text of a cell into what a service expects (a list, a tick, a time, an id)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from kefu.core.ids import is_storable_id

TRUE = {"1", "true", "yes", "y", "是", "对", "x", "✓"}
FALSE = {"0", "false", "no", "n", "否", ""}
_SPLIT = re.compile(r"\s*[,;，；|]\s*")


def split_list(text: Any) -> list[str]:
    if isinstance(text, list):
        return [str(item).strip() for item in text if str(item).strip()]
    return [part for part in _SPLIT.split(str(text or "").strip()) if part]


def parse_bool(text: Any) -> bool | str:
    """A tick from the usual ways of writing one; anything else is returned for the service to refuse."""
    if isinstance(text, bool):
        return text
    value = str(text).strip().casefold()
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    return str(text)


def parse_moment(text: Any) -> dt.datetime | None:
    """An ISO 8601 time (``Z`` or an offset; without one, in the installation's time zone), a date, or
    ``None`` for an empty cell. Raises ``ValueError`` for anything else."""
    if isinstance(text, dt.datetime):
        return text if timezone.is_aware(text) else timezone.make_aware(text)
    value = str(text or "").strip()
    if not value:
        return None
    value = value.replace(" ", "T", 1) if re.match(r"^\d{4}-\d\d-\d\d \d", value) else value
    if value.endswith("Z"):
        value = value[:-1] + "+00:00"
    try:
        parsed = parse_datetime(value)
        if parsed is None:
            day = parse_date(value)
            parsed = dt.datetime.combine(day, dt.time()) if day else None
    except ValueError:
        parsed = None
    if parsed is None:
        raise ValueError(value)
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)


def parse_id(text: Any) -> int | None:
    value = str(text or "").strip()
    return int(value) if value.isdigit() and is_storable_id(int(value)) else None


def custom_value(field_type: str, text: Any) -> Any:
    """A custom-field value from a cell, shaped as the custom-field validation expects it."""
    if text is None or text == "":
        return None
    if field_type == "checkbox":
        return parse_bool(text)
    if field_type == "multi_select":
        return split_list(text)
    if field_type == "datetime":
        try:
            moment = parse_moment(text)
        except ValueError:
            return str(text)
        return moment.isoformat() if moment else None
    if field_type == "date" and isinstance(text, str) and "T" in text:
        return text.split("T", 1)[0]
    return text
