"""One criteria definition, two evaluations: a Python predicate for one ticket, a ``Q`` for many.

Both take criteria as :func:`kefu.automation.criteria.clean` returns them (names resolved to ids).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db.models import Q
from django.utils import timezone

from kefu.automation.criteria.fields import Facts, Field, get_field
from kefu.automation.criteria.operators import OPERATORS

if TYPE_CHECKING:
    from kefu.tickets.models import Ticket
    from kefu.tickets.services.changes import RecordedChange


class NeedsChange(ValueError):
    """The criteria ask about a change (``changed*``) where there is none to ask (a query, a time rule)."""


def _field(key: str) -> Field:
    field = get_field(key)
    if field is None:
        raise ValueError(f"unknown field {key!r}")
    return field


def uses_changes(criteria: dict[str, Any]) -> bool:
    """Whether any condition reads the triggering change (``changed``, ``changed_from``, ``changed_to``)."""
    for items in criteria.values():
        for item in items:
            if "field" in item:
                if OPERATORS[item["op"]].needs_change:
                    return True
            elif uses_changes(item):
                return True
    return False


def fields_used(criteria: dict[str, Any]) -> set[str]:
    found: set[str] = set()
    for items in criteria.values():
        for item in items:
            if "field" in item:
                found.add(item["field"])
            else:
                found |= fields_used(item)
    return found


# --- the Python predicate --------------------------------------------------------------------------------


def matches(
    ticket: Ticket,
    criteria: dict[str, Any],
    change: RecordedChange | None = None,
    *,
    now: dt.datetime | None = None,
    facts: Facts | None = None,
    assume_changes: bool = False,
) -> bool:
    """Whether ``ticket`` (as it is now) meets ``criteria``.

    ``change`` answers the ``changed*`` conditions; without it they are false, or true with
    ``assume_changes`` (a dry run: "if the change happened"). ``facts`` shares lookups (tags, message
    counts) between the rules evaluated on one ticket.
    """
    facts = facts or Facts(ticket, now=now or timezone.now())
    return _group(criteria, facts, change, assume_changes)


def _group(node: dict[str, Any], facts: Facts, change: RecordedChange | None, assume: bool) -> bool:
    ((key, items),) = node.items()
    test = all if key == "all" else any
    return test(
        _condition(item, facts, change, assume) if "field" in item else _group(item, facts, change, assume)
        for item in items
    )


def _condition(item: dict[str, Any], facts: Facts, change: RecordedChange | None, assume: bool) -> bool:
    field = _field(item["field"])
    op = item["op"]
    value = item.get("value")
    if OPERATORS[op].needs_change:
        return _changed(field, op, value, change, assume)
    return field.kind.test(op, field.read(facts), value, facts.now)


def _changed(field: Field, op: str, value: Any, change: RecordedChange | None, assume: bool) -> bool:
    if change is None:
        return assume
    for entry in change.changes:
        if entry.field != field.change_key:
            continue
        old, new = field.from_change(entry.old), field.from_change(entry.new)
        if field.kind.same(old, new):
            continue
        if op == "changed":
            return True
        if op == "changed_from" and field.kind.same(old, value):
            return True
        if op == "changed_to" and field.kind.same(new, value):
            return True
    return False


# --- the database query ----------------------------------------------------------------------------------


def compile_q(criteria: dict[str, Any], *, now: dt.datetime | None = None, assume_changes: bool = False) -> Q:
    """The ``Q`` over ``Ticket`` selecting the tickets ``matches`` accepts (at ``now``).

    ``changed*`` conditions have no meaning for a query: they raise ``NeedsChange``, unless
    ``assume_changes`` makes them true (a dry run).
    """
    return _q_group(criteria, now or timezone.now(), assume_changes)


def _q_group(node: dict[str, Any], now: dt.datetime, assume: bool) -> Q:
    ((key, items),) = node.items()
    parts = [
        _q_condition(item, now, assume) if "field" in item else _q_group(item, now, assume) for item in items
    ]
    if key == "all":
        result = Q()
        for part in parts:
            result &= part
        return result
    if not parts:
        return Q(pk__in=[])
    result = parts[0]
    for part in parts[1:]:
        result |= part
    return result


def _q_condition(item: dict[str, Any], now: dt.datetime, assume: bool) -> Q:
    field = _field(item["field"])
    op = item["op"]
    if OPERATORS[op].needs_change:
        if not assume:
            raise NeedsChange(item["field"])
        return Q()
    return field.kind.q(op, field.target, item.get("value"), now)
