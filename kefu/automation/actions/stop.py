"""``{"type": "stop"}``: no later rule runs for this change (actions after it in the same rule do not run)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy

from kefu.automation.actions.base import Action, ActionContext, Step, register_action, unknown_keys
from kefu.tickets.models import Ticket


class Stop(Action):
    type = "stop"
    label = gettext_lazy("Stop processing further rules")
    stops = True

    def clean(self, data: dict[str, Any], path: str, errors: dict[str, str]) -> dict[str, Any] | None:
        return None if unknown_keys(data, set(), path, errors) else {}

    def plan(self, ticket: Ticket, data: dict[str, Any]) -> list[Step]:
        return []

    def apply(self, ticket: Ticket, data: dict[str, Any], context: ActionContext) -> None:
        return None


register_action(Stop())
