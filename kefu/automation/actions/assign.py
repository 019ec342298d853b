"""``{"type": "assign", "agent_id": …}`` / ``{"type": "assign", "team_id": …}`` (or both).

An id, or a name (an agent's email or name, a team's name); stored as the id. ``null`` unassigns.
The assignment-rules extension registers a subclass (``replace=True``) adding ``assignment_rule_id``.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kefu.automation.actions.base import Action, ActionContext, Step, register_action, unknown_keys
from kefu.automation.criteria import get_field
from kefu.tickets.models import Ticket
from kefu.tickets.services import ticket_update

TARGETS = {"agent_id": "assignee_id", "team_id": "team_id"}


class Assign(Action):
    type = "assign"
    label = gettext_lazy("Assign")
    targets: dict[str, str] = TARGETS
    """Action key → ticket field it sets."""

    def clean(self, data: dict[str, Any], path: str, errors: dict[str, str]) -> dict[str, Any] | None:
        if unknown_keys(data, set(self.targets), path, errors):
            return None
        given = [key for key in self.targets if key in data]
        if not given:
            errors[path] = _("Give %(keys)s.") % {"keys": " / ".join(self.targets)}
            return None
        cleaned: dict[str, Any] = {}
        for key in given:
            value = data[key]
            if value is None:
                cleaned[key] = None
                continue
            field = get_field(self.targets[key])
            assert field is not None
            assert field.resolve is not None
            resolved = field.resolve(value) if not isinstance(value, bool | list | dict) else None
            if resolved is None:
                errors[f"{path}.{key}"] = _("Unknown id %(id)s.") % {"id": value}
                continue
            cleaned[key] = resolved
        return None if any(error.startswith(f"{path}.") for error in errors) else cleaned

    def changes_for(self, ticket: Ticket, data: dict[str, Any]) -> dict[str, Any]:
        """The ticket fields this assignment sets (an extension may choose the agent here)."""
        return {self.targets[key]: value for key, value in data.items() if key in self.targets}

    def plan(self, ticket: Ticket, data: dict[str, Any]) -> list[Step]:
        steps = []
        for field, value in self.changes_for(ticket, data).items():
            old = getattr(ticket, field)
            if old != value:
                steps.append({"field": field, "old": old, "new": value})
        return steps

    def apply(self, ticket: Ticket, data: dict[str, Any], context: ActionContext) -> None:
        changes = self.changes_for(ticket, data)
        if changes:
            ticket_update(actor=context.actor, source=context.source, ticket=ticket, changes=changes)


register_action(Assign())
