"""What each kind of field means for each operator, once in Python and once as a database query.

A kind turns a raw value into the stored form (``clean``), answers a condition for one ticket's value
(``test``) and builds the equivalent ``Q`` (``q``). Both sides are written next to each other so that
"what a rule matches" and "what a query finds" cannot drift apart; the tests run every operator both
ways on the same tickets.

Text comparisons ignore case. ``contains`` is word-aware: the value is cut into words with the search
app's segmentation (jieba for Chinese), and every word must occur in the text, so "手机 发热" and
"手机发热" both match "我的手机一用就发热".
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Expression, Q, lookups
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from kefu.search.segmentation import query_terms

_LOOKUPS: dict[str, type[lookups.Lookup]] = {
    "exact": lookups.Exact,
    "iexact": lookups.IExact,
    "icontains": lookups.IContains,
    "istartswith": lookups.IStartsWith,
    "gt": lookups.GreaterThan,
    "lt": lookups.LessThan,
    "gte": lookups.GreaterThanOrEqual,
    "lte": lookups.LessThanOrEqual,
    "in": lookups.In,
    "isnull": lookups.IsNull,
    "range": lookups.Range,
}


@dataclass(frozen=True)
class Target:
    """Where a field lives in the database: an ORM path from ``Ticket``, or an expression over it."""

    path: str | None = None
    expression: Callable[[], Expression] | None = None

    def lookup(self, name: str, value: Any) -> Q:
        if self.path is not None:
            return Q(**{f"{self.path}__{name}": value})
        assert self.expression is not None
        return Q(_LOOKUPS[name](self.expression(), value))


@functools.lru_cache(maxsize=4096)
def words(value: str) -> tuple[str, ...]:
    """The words a ``contains`` value stands for: segmented, lower-case; the stripped value if none."""
    return tuple(query_terms(value)) or (value.strip().lower(),)


def _text(value: Any) -> str:
    return "" if value is None else str(value).lower()


def _all(parts: Iterable[Q]) -> Q:
    result = Q()
    for part in parts:
        result &= part
    return result


def _any(parts: Iterable[Q]) -> Q:
    result = Q(pk__in=[])
    for part in parts:
        result |= part
    return result


class Kind:
    name = ""
    operators: tuple[str, ...] = ()

    def clean(self, raw: Any, field: Any) -> Any:
        """The stored form of one value; ``ValueError`` with the reason otherwise."""
        raise NotImplementedError

    def test(self, op: str, actual: Any, value: Any, now: dt.datetime) -> bool:
        raise NotImplementedError

    def q(self, op: str, target: Target, value: Any, now: dt.datetime) -> Q:
        raise NotImplementedError

    def same(self, actual: Any, value: Any) -> bool:
        """Equality as ``is`` sees it (used by ``changed_from`` / ``changed_to``)."""
        return bool(actual == value)


class TextKind(Kind):
    name = "text"
    operators = (
        "is",
        "is_not",
        "contains",
        "not_contains",
        "starts_with",
        "in",
        "not_in",
        "is_empty",
        "is_not_empty",
    )

    def clean(self, raw: Any, field: Any) -> Any:
        if not isinstance(raw, str) or not raw.strip():
            raise ValueError(_("Enter some text."))
        if len(raw) > 500:
            raise ValueError(_("Enter at most %(limit)d characters.") % {"limit": 500})
        return raw.strip()

    def same(self, actual: Any, value: Any) -> bool:
        return _text(actual) == _text(value)

    def test(self, op: str, actual: Any, value: Any, now: dt.datetime) -> bool:
        text = _text(actual)
        if op == "is":
            return text == _text(value)
        if op == "is_not":
            return text != _text(value)
        if op == "contains":
            return all(word in text for word in words(value))
        if op == "not_contains":
            return not all(word in text for word in words(value))
        if op == "starts_with":
            return text.startswith(_text(value))
        if op == "in":
            return text in {_text(item) for item in value}
        if op == "not_in":
            return text not in {_text(item) for item in value}
        if op == "is_empty":
            return text == ""
        if op == "is_not_empty":
            return text != ""
        raise ValueError(op)

    def _missing(self, target: Target) -> Q:
        return target.lookup("isnull", True)

    def q(self, op: str, target: Target, value: Any, now: dt.datetime) -> Q:
        if op == "is":
            return target.lookup("iexact", value)
        if op == "is_not":
            return ~target.lookup("iexact", value) | self._missing(target)
        if op == "contains":
            return _all(target.lookup("icontains", word) for word in words(value))
        if op == "not_contains":
            return ~_all(target.lookup("icontains", word) for word in words(value)) | self._missing(target)
        if op == "starts_with":
            return target.lookup("istartswith", value)
        if op == "in":
            return _any(target.lookup("iexact", item) for item in value)
        if op == "not_in":
            return ~_any(target.lookup("iexact", item) for item in value) | self._missing(target)
        if op == "is_empty":
            return target.lookup("exact", "") | self._missing(target)
        if op == "is_not_empty":
            return ~target.lookup("exact", "") & ~self._missing(target)
        raise ValueError(op)


class LongTextKind(TextKind):
    """A body of text (a description, a message): searched, not compared whole."""

    name = "long_text"
    operators = ("contains", "not_contains", "is_empty", "is_not_empty")


class ChoiceKind(Kind):
    """One value out of a known set: a reference by id (status, team, agent …) or a code (channel).

    ``field.resolve`` turns what a client gave (an id or a name) into the stored value.
    """

    name = "choice"
    operators = ("is", "is_not", "in", "not_in", "is_empty", "is_not_empty")

    def clean(self, raw: Any, field: Any) -> Any:
        if raw is None or isinstance(raw, bool | list | dict):
            raise ValueError(_("Choose a value."))
        resolved = field.resolve(raw) if field.resolve else raw
        if resolved is None:
            raise ValueError(_("Unknown value %(value)s.") % {"value": raw})
        return resolved

    def test(self, op: str, actual: Any, value: Any, now: dt.datetime) -> bool:
        if op == "is":
            return bool(actual == value)
        if op == "is_not":
            return bool(actual != value)
        if op == "in":
            return actual in value
        if op == "not_in":
            return actual not in value
        if op == "is_empty":
            return actual in (None, "")
        if op == "is_not_empty":
            return actual not in (None, "")
        raise ValueError(op)

    def q(self, op: str, target: Target, value: Any, now: dt.datetime) -> Q:
        missing = target.lookup("isnull", True)
        if op == "is":
            return target.lookup("exact", value)
        if op == "is_not":
            return ~target.lookup("exact", value) | missing
        if op == "in":
            return target.lookup("in", list(value))
        if op == "not_in":
            return ~target.lookup("in", list(value)) | missing
        if op == "is_empty":
            return missing
        if op == "is_not_empty":
            return ~missing
        raise ValueError(op)


class CodeKind(ChoiceKind):
    """A choice stored as text (channel, language, a pick list's value)."""

    name = "code"

    def q(self, op: str, target: Target, value: Any, now: dt.datetime) -> Q:
        missing = target.lookup("isnull", True)
        if op in ("is_empty", "is_not_empty"):
            empty = missing | target.lookup("exact", "")
            return empty if op == "is_empty" else ~empty
        return super().q(op, target, value, now)


class ReferenceKind(ChoiceKind):
    """A related record by id."""

    name = "reference"


def _number(raw: Any) -> float | int:
    if isinstance(raw, bool) or not isinstance(raw, int | float | Decimal | str):
        raise ValueError(_("Enter a number."))
    try:
        number = float(raw) if not isinstance(raw, int) else raw
    except ValueError:
        raise ValueError(_("Enter a number.")) from None
    if isinstance(number, float) and number.is_integer():
        number = int(number)
    if number != number or abs(number) > 1e12:  # NaN or absurd
        raise ValueError(_("Enter a number."))
    return number


class NumberKind(Kind):
    name = "number"
    operators = ("is", "is_not", "gt", "lt", "between", "is_empty", "is_not_empty")

    def clean(self, raw: Any, field: Any) -> Any:
        return _number(raw)

    def test(self, op: str, actual: Any, value: Any, now: dt.datetime) -> bool:
        number = None if actual is None or isinstance(actual, bool) else actual
        if isinstance(number, str | Decimal):
            try:
                number = float(number)
            except ValueError:
                number = None
        if op == "is_empty":
            return number is None
        if op == "is_not_empty":
            return number is not None
        if op == "is_not":
            return number != value
        if number is None:
            return False
        if op == "is":
            return bool(number == value)
        if op == "gt":
            return bool(number > value)
        if op == "lt":
            return bool(number < value)
        if op == "between":
            return bool(value[0] <= number <= value[1])
        raise ValueError(op)

    def q(self, op: str, target: Target, value: Any, now: dt.datetime) -> Q:
        missing = target.lookup("isnull", True)
        if op == "is_empty":
            return missing
        if op == "is_not_empty":
            return ~missing
        if op == "is":
            return target.lookup("exact", value)
        if op == "is_not":
            return ~target.lookup("exact", value) | missing
        if op == "gt":
            return target.lookup("gt", value)
        if op == "lt":
            return target.lookup("lt", value)
        if op == "between":
            return target.lookup("gte", value[0]) & target.lookup("lte", value[1])
        raise ValueError(op)


class HoursKind(Kind):
    """Hours since a moment (created, updated, the last customer message …), against ``now``.

    ``gt 24`` is "more than 24 hours ago"; a moment that never happened (no reply yet) is empty and
    satisfies neither ``gt`` nor ``lt``.
    """

    name = "hours"
    operators = ("gt", "lt", "between", "is_empty", "is_not_empty")

    def clean(self, raw: Any, field: Any) -> Any:
        number = _number(raw)
        if number < 0:
            raise ValueError(_("Enter a number of hours of 0 or more."))
        return number

    @staticmethod
    def _ago(now: dt.datetime, hours: float) -> dt.datetime:
        return now - dt.timedelta(hours=hours)

    def test(self, op: str, actual: Any, value: Any, now: dt.datetime) -> bool:
        if op == "is_empty":
            return actual is None
        if op == "is_not_empty":
            return actual is not None
        if actual is None:
            return False
        if op == "gt":
            return bool(actual < self._ago(now, value))
        if op == "lt":
            return bool(actual > self._ago(now, value))
        if op == "between":
            return bool(self._ago(now, value[1]) <= actual <= self._ago(now, value[0]))
        raise ValueError(op)

    def q(self, op: str, target: Target, value: Any, now: dt.datetime) -> Q:
        if op == "is_empty":
            return target.lookup("isnull", True)
        if op == "is_not_empty":
            return target.lookup("isnull", False)
        if op == "gt":
            return target.lookup("lt", self._ago(now, value))
        if op == "lt":
            return target.lookup("gt", self._ago(now, value))
        if op == "between":
            return target.lookup("gte", self._ago(now, value[1])) & target.lookup(
                "lte", self._ago(now, value[0])
            )
        raise ValueError(op)


class DateKind(Kind):
    """A calendar date (a custom field), stored and compared as ``YYYY-MM-DD``."""

    name = "date"
    operators = ("is", "is_not", "gt", "lt", "between", "is_empty", "is_not_empty")

    def clean(self, raw: Any, field: Any) -> Any:
        if not isinstance(raw, str) or parse_date(raw[:10]) is None:
            raise ValueError(_("Enter a date (YYYY-MM-DD)."))
        return raw[:10]

    def test(self, op: str, actual: Any, value: Any, now: dt.datetime) -> bool:
        day = str(actual)[:10] if actual else None
        if op == "is_empty":
            return day is None
        if op == "is_not_empty":
            return day is not None
        if op == "is_not":
            return day != value
        if day is None:
            return False
        if op == "is":
            return day == value
        if op == "gt":
            return day > value
        if op == "lt":
            return day < value
        if op == "between":
            return bool(value[0] <= day <= value[1])
        raise ValueError(op)

    def q(self, op: str, target: Target, value: Any, now: dt.datetime) -> Q:
        missing = target.lookup("isnull", True)
        if op == "is_empty":
            return missing
        if op == "is_not_empty":
            return ~missing
        if op == "is":
            return target.lookup("exact", value)
        if op == "is_not":
            return ~target.lookup("exact", value) | missing
        if op == "gt":
            return target.lookup("gt", value)
        if op == "lt":
            return target.lookup("lt", value)
        if op == "between":
            return target.lookup("gte", value[0]) & target.lookup("lte", value[1])
        raise ValueError(op)


class DateTimeKind(Kind):
    """A moment (created, updated) compared with a date or an instant.

    A date stands for a whole day in the active time zone: the agent's own in the console (the
    time-zone middleware activates it), the installation's in rules run by workers. So "on or before
    2026-12-05" includes all of that day, and "after" a date starts at the next day. An instant
    (ISO 8601, with or without an offset) is compared as it is.
    """

    name = "datetime"
    operators = ("on_or_after", "on_or_before", "gt", "lt", "between", "is_empty", "is_not_empty")

    def clean(self, raw: Any, field: Any) -> Any:
        text = raw.strip() if isinstance(raw, str) else ""
        try:
            if len(text) == 10:
                day = parse_date(text)
                if day is not None and 1900 <= day.year <= 9000:
                    return day.isoformat()
            elif text:
                moment = parse_datetime(text)
                if moment is not None and 1900 <= moment.year <= 9000:
                    return moment.isoformat()
        except ValueError:
            pass
        raise ValueError(_("Enter a date (YYYY-MM-DD) or a date and time."))

    @staticmethod
    def _span(value: str) -> tuple[dt.datetime, dt.datetime, bool]:
        """``(first, last, whole_day)``: a day is [its start, the next day's start); an instant is itself."""
        zone = timezone.get_current_timezone()
        if len(value) == 10:
            day = dt.date.fromisoformat(value)
            start = timezone.make_aware(dt.datetime.combine(day, dt.time()), zone)
            end = timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time()), zone)
            return start, end, True
        moment = dt.datetime.fromisoformat(value)
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment, zone)
        return moment, moment, False

    def _after(self, value: str, *, inclusive: bool) -> tuple[str, dt.datetime]:
        first, last, day = self._span(value)
        if inclusive:
            return "gte", first
        return ("gte", last) if day else ("gt", last)

    def _before(self, value: str, *, inclusive: bool) -> tuple[str, dt.datetime]:
        first, last, day = self._span(value)
        if not inclusive:
            return "lt", first
        return ("lt", last) if day else ("lte", last)

    def _bounds(self, op: str, value: Any) -> list[tuple[str, dt.datetime]]:
        if op == "on_or_after":
            return [self._after(value, inclusive=True)]
        if op == "gt":
            return [self._after(value, inclusive=False)]
        if op == "on_or_before":
            return [self._before(value, inclusive=True)]
        if op == "lt":
            return [self._before(value, inclusive=False)]
        if op == "between":
            return [self._after(value[0], inclusive=True), self._before(value[1], inclusive=True)]
        raise ValueError(op)

    _COMPARE: dict[str, Callable[[dt.datetime, dt.datetime], bool]] = {
        "gt": lambda a, b: a > b,
        "gte": lambda a, b: a >= b,
        "lt": lambda a, b: a < b,
        "lte": lambda a, b: a <= b,
    }

    def test(self, op: str, actual: Any, value: Any, now: dt.datetime) -> bool:
        if op == "is_empty":
            return actual is None
        if op == "is_not_empty":
            return actual is not None
        if actual is None:
            return False
        return all(self._COMPARE[name](actual, bound) for name, bound in self._bounds(op, value))

    def q(self, op: str, target: Target, value: Any, now: dt.datetime) -> Q:
        if op == "is_empty":
            return target.lookup("isnull", True)
        if op == "is_not_empty":
            return target.lookup("isnull", False)
        return _all(target.lookup(name, bound) for name, bound in self._bounds(op, value))


class BooleanKind(Kind):
    name = "boolean"
    operators = ("is",)

    def clean(self, raw: Any, field: Any) -> Any:
        if not isinstance(raw, bool):
            raise ValueError(_("Choose yes or no."))
        return raw

    def test(self, op: str, actual: Any, value: Any, now: dt.datetime) -> bool:
        return bool(actual) is value

    def q(self, op: str, target: Target, value: Any, now: dt.datetime) -> Q:
        yes = target.lookup("exact", True)
        return yes if value else (~yes | target.lookup("isnull", True))


@dataclass(frozen=True)
class SetTarget:
    """A set of names held in another table (tags) or in a JSON list (a multi-select custom field).

    ``has(names)`` is the condition "holds at least one of ``names``"; ``has_any()`` "holds anything".
    """

    has: Callable[[list[str]], Q]
    has_any: Callable[[], Q]


class SetKind(Kind):
    """Tags, or a multi-select: ``contains`` an item, ``in`` one of several, ``not_in`` none of them."""

    name = "set"
    operators = ("contains", "not_contains", "in", "not_in", "is_empty", "is_not_empty")

    def clean(self, raw: Any, field: Any) -> Any:
        if not isinstance(raw, str) or not raw.strip():
            raise ValueError(_("Enter a name."))
        if field.resolve is not None:
            resolved = field.resolve(raw)
            if resolved is None:
                raise ValueError(_("Unknown value %(value)s.") % {"value": raw})
            return resolved
        return " ".join(raw.split())

    def same(self, actual: Any, value: Any) -> bool:
        return {item.casefold() for item in actual or ()} == {item.casefold() for item in value or ()}

    def test(self, op: str, actual: Any, value: Any, now: dt.datetime) -> bool:
        held = {str(item).casefold() for item in actual or ()}
        if op == "contains":
            return value.casefold() in held
        if op == "not_contains":
            return value.casefold() not in held
        if op == "in":
            return any(item.casefold() in held for item in value)
        if op == "not_in":
            return not any(item.casefold() in held for item in value)
        if op == "is_empty":
            return not held
        if op == "is_not_empty":
            return bool(held)
        raise ValueError(op)

    def q(self, op: str, target: Any, value: Any, now: dt.datetime) -> Q:
        assert isinstance(target, SetTarget)
        if op == "contains":
            return target.has([value])
        # "Holds none of these" is also true of an empty or missing set (where SQL's NOT would give NULL).
        if op == "not_contains":
            return ~target.has([value]) | ~target.has_any()
        if op == "in":
            return target.has(list(value))
        if op == "not_in":
            return ~target.has(list(value)) | ~target.has_any()
        if op == "is_empty":
            return ~target.has_any()
        if op == "is_not_empty":
            return target.has_any()
        raise ValueError(op)


def is_postgresql() -> bool:
    return connection.vendor == "postgresql"


TEXT = TextKind()
LONG_TEXT = LongTextKind()
CODE = CodeKind()
REFERENCE = ReferenceKind()
NUMBER = NumberKind()
HOURS = HoursKind()
DATE = DateKind()
DATETIME = DateTimeKind()
BOOLEAN = BooleanKind()
SET = SetKind()
