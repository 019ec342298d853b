"""``{"type": "comment", "body": "…"}``: an internal comment (agents only) on the ticket."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kefu.automation.actions.base import Action, ActionContext, Step, register_action, unknown_keys
from kefu.tickets.inputs import CommentInput
from kefu.tickets.models import Ticket
from kefu.tickets.services import ticket_comment

MAX_COMMENT = 10_000


class Comment(Action):
    type = "comment"
    label = gettext_lazy("Add an internal comment")

    def clean(self, data: dict[str, Any], path: str, errors: dict[str, str]) -> dict[str, Any] | None:
        if unknown_keys(data, {"body"}, path, errors):
            return None
        body = data.get("body")
        if not isinstance(body, str) or not body.strip():
            errors[f"{path}.body"] = _("Write the comment.")
            return None
        if len(body) > MAX_COMMENT:
            errors[f"{path}.body"] = _("Enter at most %(limit)d characters.") % {"limit": MAX_COMMENT}
            return None
        return {"body": body.strip()}

    def plan(self, ticket: Ticket, data: dict[str, Any]) -> list[Step]:
        return [{"field": "comment", "old": None, "new": data["body"]}]

    def apply(self, ticket: Ticket, data: dict[str, Any], context: ActionContext) -> None:
        ticket_comment(
            actor=context.actor, source=context.source, ticket=ticket, data=CommentInput(body=data["body"])
        )


register_action(Comment())
