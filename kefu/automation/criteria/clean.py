"""Validating criteria JSON: every problem named by its path (``criteria.all[2].value``), values cleaned.

Cleaning resolves names to ids (``"priority": "高"`` → the priority's id), so that a stored rule keeps
working when a status or a team is renamed, and evaluation never looks a name up.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from kefu.automation.criteria.fields import Field, get_field
from kefu.automation.criteria.kinds import SET
from kefu.automation.criteria.operators import MAX_LIST, OPERATORS, ValueKind

MAX_DEPTH = 5
MAX_CONDITIONS = 100
GROUP_KEYS = ("all", "any")


class _Budget:
    def __init__(self) -> None:
        self.conditions = 0


def clean(
    criteria: Any, *, allow_changes: bool = True, root: str = "criteria"
) -> tuple[dict[str, Any], dict[str, str]]:
    """``(cleaned criteria, errors by path)``; an empty or missing definition matches every ticket.

    ``allow_changes=False`` refuses the ``changed*`` operators (time rules and views have no change).
    """
    errors: dict[str, str] = {}
    if criteria is None or criteria == {}:
        return {"all": []}, errors
    cleaned = _group(criteria, root, errors, depth=1, budget=_Budget(), allow_changes=allow_changes)
    return cleaned, errors


def validate(criteria: Any, *, allow_changes: bool = True, root: str = "criteria") -> dict[str, str]:
    """The problems of ``criteria``, ``{path: message}``; empty when it is valid."""
    return clean(criteria, allow_changes=allow_changes, root=root)[1]


def _group(
    node: Any, path: str, errors: dict[str, str], *, depth: int, budget: _Budget, allow_changes: bool
) -> dict[str, Any]:
    keys = list(node) if isinstance(node, dict) else []
    if len(keys) != 1 or keys[0] not in GROUP_KEYS or not isinstance(node[keys[0]], list):
        errors[path] = _('Give a group: {"all": [conditions]} or {"any": [conditions]}.')
        return {"all": []}
    if depth > MAX_DEPTH:
        errors[path] = _("Groups can be nested at most %(depth)d deep.") % {"depth": MAX_DEPTH}
        return {"all": []}
    key = keys[0]
    items: list[dict[str, Any]] = []
    for index, item in enumerate(node[key]):
        item_path = f"{path}.{key}[{index}]"
        if isinstance(item, dict) and len(item) == 1 and next(iter(item)) in GROUP_KEYS:
            items.append(
                _group(item, item_path, errors, depth=depth + 1, budget=budget, allow_changes=allow_changes)
            )
            continue
        budget.conditions += 1
        if budget.conditions > MAX_CONDITIONS:
            errors[item_path] = _("A rule can have at most %(count)d conditions.") % {"count": MAX_CONDITIONS}
            break
        condition = _condition(item, item_path, errors, allow_changes=allow_changes)
        if condition is not None:
            items.append(condition)
    return {key: items}


def _condition(item: Any, path: str, errors: dict[str, str], *, allow_changes: bool) -> dict[str, Any] | None:
    if not isinstance(item, dict):
        errors[path] = _('Give a condition: {"field": …, "op": …, "value": …}.')
        return None
    unknown = sorted(set(item) - {"field", "op", "value"})
    if unknown:
        errors[f"{path}.{unknown[0]}"] = _("Unknown key.")
        return None
    name = item.get("field")
    field = get_field(name) if isinstance(name, str) else None
    if field is None:
        errors[f"{path}.field"] = _("Unknown field.") if name else _("This field is required.")
        return None
    op = item.get("op")
    allowed = operators_for(field, allow_changes=allow_changes)
    if op not in allowed:
        errors[f"{path}.op"] = _("Choose one of: %(choices)s.") % {"choices": ", ".join(allowed)}
        return None
    operator = OPERATORS[op]
    raw = item.get("value")
    if operator.value is ValueKind.NONE:
        if raw not in (None, "", []):
            errors[f"{path}.value"] = _("This operator takes no value.")
            return None
        return {"field": field.key, "op": op}
    value = _value(field, operator.value, raw, f"{path}.value", errors)
    if value is None:
        return None
    return {"field": field.key, "op": op, "value": value}


def operators_for(field: Field, *, allow_changes: bool = True) -> tuple[str, ...]:
    allowed = field.allowed_operators()
    if field.kind is SET:
        allowed = tuple(op for op in allowed if op not in ("changed_from", "changed_to"))
    if not allow_changes:
        allowed = tuple(op for op in allowed if not OPERATORS[op].needs_change)
    return allowed


def _one(field: Field, raw: Any, path: str, errors: dict[str, str]) -> Any:
    try:
        return field.kind.clean(raw, field)
    except ValueError as exc:
        errors[path] = str(exc)
        return None


def _value(field: Field, kind: ValueKind, raw: Any, path: str, errors: dict[str, str]) -> Any:
    if kind is ValueKind.ONE:
        return _one(field, raw, path, errors)
    if kind is ValueKind.LIST:
        if not isinstance(raw, list) or not raw:
            errors[path] = _("Give a list of values.")
            return None
        if len(raw) > MAX_LIST:
            errors[path] = _("Give at most %(count)d values.") % {"count": MAX_LIST}
            return None
        values = [_one(field, item, path, errors) for item in raw]
        return None if path in errors else list(dict.fromkeys(values))
    if not isinstance(raw, list) or len(raw) != 2:
        errors[path] = _("Give two values: [from, to].")
        return None
    low, high = (_one(field, item, path, errors) for item in raw)
    if path in errors:
        return None
    if low > high:
        errors[path] = _("The first value must not be greater than the second.")
        return None
    return [low, high]
