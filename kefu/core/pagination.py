"""Keyset (cursor) pagination: every page costs the same, however deep, and inserts never shift it.

The cursor is opaque to clients: base64 of the sort key and the last row's sort value and id. It is
checked on the way back in, so a forged or stale cursor is a 400 naming ``cursor``, never a 500.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db.models import DateTimeField, Model, Q, QuerySet
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from kefu.core.errors import ServiceError
from kefu.core.ids import MAX_ID, is_storable_id

M = TypeVar("M", bound=Model)

MAX_LIMIT = 100
DEFAULT_LIMIT = 25


class BadCursor(ServiceError):
    status_code = 400
    code = "bad_cursor"


@dataclass
class Page(Generic[M]):
    items: list[M]
    next_cursor: str | None


def _encode(sort: str, value: Any, pk: int) -> str:
    if isinstance(value, dt.datetime):
        value = value.isoformat()
    raw = json.dumps([sort, value, pk], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _bad_cursor() -> BadCursor:
    return BadCursor(_("The cursor is not valid for this list."), fields={"cursor": _("Not a valid cursor.")})


def _decode(cursor: str, sort: str, *, temporal: bool) -> tuple[Any, int]:
    """The sort value and id in ``cursor``, checked to be what this list's sort field can hold."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        cursor_sort, value, pk = json.loads(raw)
        if cursor_sort != sort or not is_storable_id(pk):
            raise ValueError
        if temporal:
            value = parse_datetime(value) if isinstance(value, str) else None
            if value is None or value.tzinfo is None:
                raise ValueError
            value = value.astimezone(dt.UTC)  # OverflowError for year 1 or 9999 shifted out of range
        elif isinstance(value, bool) or not isinstance(value, int) or not -MAX_ID <= value <= MAX_ID:
            raise ValueError
    except (ValueError, TypeError, OverflowError, json.JSONDecodeError, UnicodeDecodeError, binascii.Error):
        raise _bad_cursor() from None
    return value, pk


def paginate(queryset: QuerySet[M], *, sort: str, limit: int, cursor: str | None) -> Page[M]:
    """One page of ``queryset`` ordered by ``sort`` (a field name, ``-`` for descending) then by id."""
    field = sort.lstrip("-")
    descending = sort.startswith("-")
    if cursor:
        temporal = isinstance(queryset.model._meta.get_field(field), DateTimeField)
        value, pk = _decode(cursor, sort, temporal=temporal)
        # "field <= value AND (field < value OR id < pk)" keeps the range condition usable by the
        # (field, id) index on both databases, unlike a plain OR.
        if descending:
            queryset = queryset.filter(
                Q(**{f"{field}__lte": value}) & (Q(**{f"{field}__lt": value}) | Q(pk__lt=pk))
            )
        else:
            queryset = queryset.filter(
                Q(**{f"{field}__gte": value}) & (Q(**{f"{field}__gt": value}) | Q(pk__gt=pk))
            )
    order = (sort, "-pk" if descending else "pk")
    rows = list(queryset.order_by(*order)[: limit + 1])
    has_more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = _encode(sort, getattr(rows[-1], field), rows[-1].pk) if has_more and rows else None
    return Page(items=rows, next_cursor=next_cursor)
