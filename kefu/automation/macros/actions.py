"""The actions macros add to the registry: ``reply`` (a public answer from a template) and ``apply_macro``.

``reply`` is what a macro needs beyond the workflow actions (a rule may use it too: rules may reply).
``apply_macro`` lets a workflow rule do what an agent's click would: run a shared macro's actions.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kefu.automation.actions import Action, ActionContext, Step, get_action, register_action
from kefu.automation.actions.base import unknown_keys
from kefu.automation.macros.placeholders import unknown_placeholders
from kefu.automation.macros.services import macro_for_rules, macro_run, rendered
from kefu.tickets.inputs import ReplyInput
from kefu.tickets.models import Ticket
from kefu.tickets.services import MAX_BODY, ticket_reply


class Reply(Action):
    type = "reply"
    label = gettext_lazy("Reply to the customer")

    def clean(self, data: dict[str, Any], path: str, errors: dict[str, str]) -> dict[str, Any] | None:
        if unknown_keys(data, {"body"}, path, errors):
            return None
        body = data.get("body")
        if not isinstance(body, str) or not body.strip():
            errors[f"{path}.body"] = _("Write the reply.")
            return None
        if len(body) > MAX_BODY:
            errors[f"{path}.body"] = _("Enter at most %(limit)d characters.") % {"limit": MAX_BODY}
            return None
        unknown = unknown_placeholders(body)
        if unknown:
            errors[f"{path}.body"] = _("Unknown placeholder %(name)s.") % {"name": unknown[0]}
            return None
        return {"body": body.strip()}

    def plan(self, ticket: Ticket, data: dict[str, Any]) -> list[Step]:
        return [{"field": "reply", "old": None, "new": data["body"]}]

    def apply(self, ticket: Ticket, data: dict[str, Any], context: ActionContext) -> None:
        ticket_reply(
            actor=context.actor, source=context.source, ticket=ticket, data=ReplyInput(body=data["body"])
        )


class ApplyMacro(Action):
    type = "apply_macro"
    label = gettext_lazy("Apply a macro")

    def clean(self, data: dict[str, Any], path: str, errors: dict[str, str]) -> dict[str, Any] | None:
        if unknown_keys(data, {"macro_id"}, path, errors):
            return None
        macro = macro_for_rules(data.get("macro_id"))
        if macro is None:
            errors[f"{path}.macro_id"] = _("Unknown shared macro %(id)s.") % {"id": data.get("macro_id")}
            return None
        return {"macro_id": macro.pk}

    def plan(self, ticket: Ticket, data: dict[str, Any]) -> list[Step]:
        macro = macro_for_rules(data["macro_id"])
        if macro is None:
            return []
        steps: list[Step] = []
        for item in macro.actions:
            action = get_action(item["type"])
            if action is not None:
                steps.extend(action.plan(ticket, rendered(item, ticket, None)))
        return steps

    def apply(self, ticket: Ticket, data: dict[str, Any], context: ActionContext) -> None:
        macro = macro_for_rules(data["macro_id"])
        if macro is not None:
            macro_run(macro, ticket, context)


if get_action(Reply.type) is None:
    register_action(Reply())
register_action(ApplyMacro())
