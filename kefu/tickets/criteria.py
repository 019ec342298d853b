"""Criteria in the tickets app: the seam through which lists and saved views use the criteria engine.

Why a seam: the criteria engine lives in ``kefu.automation`` (its fields read contacts, accounts,
custom fields and the search app, and the rules are its first users), and ``kefu.automation`` imports
``kefu.tickets``; the tickets app may therefore not import it back (the "no import cycles between apps"
contract). Moving the engine into ``tickets`` would drag those other apps' knowledge into it. So the
tickets app defines what it needs here and the automation app registers its engine when it loads
(``AutomationConfig.ready`` → :func:`register_criteria_engine`), like the rule runner
(``tickets.rules``) and the text search (``tickets.selectors``).

What the tickets app needs is small: clean a definition (errors by path, ``criteria.all[2].value``),
compile it to a ``Q`` over ``Ticket`` and, for the console, the builder's catalog. The console's filter
bar, the API's list filters and saved views all end here, and workflow and time rules evaluate the same
definitions with the same engine: what a view shows and what a rule matches cannot disagree.

One value is the tickets app's own: ``"me"`` for the assignee, "the agent looking at the list". A saved
view keeps it as it is (a shared "My urgent tickets" is everyone's own); :func:`for_viewer` puts the
viewer's id in its place just before a list is compiled.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, Protocol

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q

ME = "me"
_VIEWER_FIELDS = ("assignee_id",)

Criteria = dict[str, Any]


class CriteriaEngine(Protocol):
    def clean(
        self, criteria: Any, *, allow_changes: bool = True, root: str = "criteria"
    ) -> tuple[Criteria, dict[str, str]]: ...

    def compile_q(self, criteria: Criteria, *, now: dt.datetime | None = None) -> Q: ...

    def builder_catalog(self) -> dict[str, Any]: ...

    def describe(self, criteria: Criteria) -> str: ...


_engine: CriteriaEngine | None = None


def register_criteria_engine(engine: CriteriaEngine) -> None:
    global _engine
    _engine = engine


def criteria_engine() -> CriteriaEngine:
    if _engine is None:
        raise ImproperlyConfigured("No criteria engine is registered (is kefu.automation installed?).")
    return _engine


def empty_criteria() -> Criteria:
    """Every ticket (the model's default: a callable, so no two rows share one dict)."""
    return {"all": []}


def condition(field: str, op: str, value: Any = None) -> dict[str, Any]:
    return {"field": field, "op": op} if value is None else {"field": field, "op": op, "value": value}


def all_of(*parts: Criteria | dict[str, Any]) -> Criteria:
    """``{"all": [...]}`` of conditions and groups; a part that is itself an ``all`` group is flattened,
    an empty ``all`` group (every ticket) is left out."""
    items: list[dict[str, Any]] = []
    for part in parts:
        if "field" in part:
            items.append(part)
        elif set(part) == {"all"}:
            items.extend(part["all"])
        elif part.get("any") is not None:
            items.append(part)
    return {"all": items}


_MAX_DEPTH = 10  # the engine refuses more than 5; deeper input is left for it to refuse, not walked


def _map_viewer(node: Any, replace: Callable[[Any], Any], depth: int = 0) -> Any:
    if depth > _MAX_DEPTH:
        return node
    if isinstance(node, dict) and "field" in node:
        if node.get("field") in _VIEWER_FIELDS and "value" in node:
            value = node["value"]
            value = [replace(item) for item in value] if isinstance(value, list) else replace(value)
            return {**node, "value": value}
        return node
    if isinstance(node, dict):
        return {
            key: [_map_viewer(item, replace, depth + 1) for item in items]
            if isinstance(items, list)
            else items
            for key, items in node.items()
        }
    return node


def for_viewer(criteria: Criteria, user_id: int | None) -> Criteria:
    """``criteria`` with ``"me"`` (the assignee) replaced by ``user_id`` — the agent looking at the list."""
    return _map_viewer(
        criteria, lambda value: (user_id if user_id is not None else 0) if value == ME else value
    )


def uses_viewer(criteria: Any) -> bool:
    found: list[bool] = []
    _map_viewer(criteria, lambda value: found.append(value == ME) or value)
    return any(found)


def clean_criteria(
    raw: Any, *, viewer_id: int | None, root: str = "criteria"
) -> tuple[Criteria, dict[str, str]]:
    """``raw`` checked by the engine for a list (no ``changed*`` operators), ``"me"`` kept as it is.

    ``"me"`` is checked as the viewer's own id, then put back where it was: the engine names problems
    by the same paths either way.
    """
    bound = for_viewer(raw, viewer_id) if isinstance(raw, dict) else raw
    cleaned, errors = criteria_engine().clean(bound, allow_changes=False, root=root)
    if errors or not isinstance(raw, dict):
        return cleaned, errors
    return _restore_me(raw, cleaned), errors


def _restore_me(raw: Any, cleaned: Any, depth: int = 0) -> Any:
    """``cleaned`` with ``"me"`` back wherever ``raw`` said it (both have the same shape when valid)."""
    if isinstance(raw, dict) and "field" in raw:
        if raw.get("field") in _VIEWER_FIELDS and isinstance(cleaned, dict) and "value" in cleaned:
            value = raw.get("value")
            if value == ME:
                return {**cleaned, "value": ME}
            if isinstance(value, list) and ME in value:
                values = [
                    ME if item == ME else kept for item, kept in zip(value, cleaned["value"], strict=False)
                ]
                return {**cleaned, "value": values}
        return cleaned
    if isinstance(raw, dict) and isinstance(cleaned, dict):
        return {
            key: [
                _restore_me(item, kept, depth + 1)
                for item, kept in zip(raw.get(key, []), items, strict=False)
            ]
            for key, items in cleaned.items()
        }
    return cleaned


def criteria_q(criteria: Criteria, *, user_id: int | None, now: dt.datetime | None = None) -> Q:
    """The ``Q`` over ``Ticket`` for (cleaned) ``criteria`` as ``user_id`` sees them."""
    return criteria_engine().compile_q(for_viewer(criteria, user_id), now=now)


def builder_catalog() -> dict[str, Any]:
    """What the console's condition builder offers (fields, operators, values, texts), no ``changed*``."""
    return criteria_engine().builder_catalog()


def describe_criteria(criteria: Criteria) -> str:
    """``criteria`` as one line in the viewer's language ("" for every ticket)."""
    if not criteria or not any(criteria.values()):
        return ""
    return criteria_engine().describe(criteria)
