"""What every action type provides, and the registry other apps extend (notifications, SLA, macros …).

An action is a JSON object with a ``type``. Its class cleans the JSON (errors named by path, such as
``actions[1].value``), *plans* what it would change on a ticket (a list of steps, computed without
writing: the dry run and the execution log show them) and *applies* itself through the ticket services
with the rule as the actor — never by writing rows itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from django.utils.functional import Promise
from django.utils.translation import gettext as _

from kefu.core.actors import Actor, Source
from kefu.tickets.models import Ticket


@dataclass(frozen=True)
class ActionContext:
    """Who applies the actions (``Actor.rule(...)``) and through which door (``Source.AUTOMATION``)."""

    actor: Actor
    source: Source = Source.AUTOMATION


Step = dict[str, Any]
"""One planned change: ``{"field": "priority", "old": 2, "new": 1}``; ``field`` may also be ``comment``."""


class Action:
    type: ClassVar[str] = ""
    label: ClassVar[Promise | str] = ""
    stops: ClassVar[bool] = False
    """``stop``: no rule after this one runs for the change."""

    def clean(self, data: dict[str, Any], path: str, errors: dict[str, str]) -> dict[str, Any] | None:
        """The stored form of ``data`` (names resolved to ids), or ``None`` with ``errors`` filled."""
        raise NotImplementedError

    def plan(self, ticket: Ticket, data: dict[str, Any]) -> list[Step]:
        """What applying ``data`` to ``ticket`` as it is now would change; ``[]``: nothing."""
        raise NotImplementedError

    def apply(self, ticket: Ticket, data: dict[str, Any], context: ActionContext) -> None:
        """Make the change through ``kefu.tickets.services`` with ``context.actor``."""
        raise NotImplementedError

    def editor(self) -> dict[str, Any]:
        """What a rule builder needs to offer this action (its label and value inputs)."""
        return {"type": self.type, "label": str(self.label)}


_actions: dict[str, Action] = {}


def register_action(action: Action, *, replace: bool = False) -> Action:
    """Make ``action.type`` usable in rules and macros; ``replace=True`` swaps in an extension of a type."""
    if action.type in _actions and not replace:
        raise ValueError(f"action type {action.type!r} is already registered")
    _actions[action.type] = action
    return action


def get_action(action_type: str) -> Action | None:
    return _actions.get(action_type)


def action_types() -> list[Action]:
    return list(_actions.values())


MAX_ACTIONS = 30


def clean_actions(raw: Any, *, root: str = "actions") -> tuple[list[dict[str, Any]], dict[str, str]]:
    """``(cleaned actions, errors by path)``: a list of ``{"type": …}`` objects, each valid for its type."""
    errors: dict[str, str] = {}
    if raw is None:
        return [], errors
    if not isinstance(raw, list):
        errors[root] = _("Give a list of actions.")
        return [], errors
    if len(raw) > MAX_ACTIONS:
        errors[root] = _("A rule can have at most %(count)d actions.") % {"count": MAX_ACTIONS}
        return [], errors
    cleaned: list[dict[str, Any]] = []
    for index, item in enumerate(raw):
        path = f"{root}[{index}]"
        if not isinstance(item, dict):
            errors[path] = _('Give an action: {"type": …}.')
            continue
        action = get_action(item.get("type")) if isinstance(item.get("type"), str) else None
        if action is None:
            errors[f"{path}.type"] = _("Choose one of: %(choices)s.") % {
                "choices": ", ".join(sorted(_actions))
            }
            continue
        result = action.clean(item, path, errors)
        if result is not None:
            cleaned.append({"type": action.type, **{k: v for k, v in result.items() if k != "type"}})
    return cleaned, errors


def unknown_keys(data: dict[str, Any], allowed: set[str], path: str, errors: dict[str, str]) -> bool:
    extra = sorted(set(data) - allowed - {"type"})
    if extra:
        errors[f"{path}.{extra[0]}"] = _("Unknown key.")
        return True
    return False
