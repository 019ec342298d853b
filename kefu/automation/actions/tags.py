"""``{"type": "add_tags", "tags": [...]}`` and ``{"type": "remove_tags", "tags": [...]}``."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kefu.automation.actions.base import Action, ActionContext, Step, register_action, unknown_keys
from kefu.core.errors import ValidationFailed
from kefu.core.tags import clean_tag_names
from kefu.tickets.models import Ticket
from kefu.tickets.services import ticket_tag

MAX_TAGS = 20


class _Tags(Action):
    adds = True

    def clean(self, data: dict[str, Any], path: str, errors: dict[str, str]) -> dict[str, Any] | None:
        if unknown_keys(data, {"tags"}, path, errors):
            return None
        raw = data.get("tags")
        if not isinstance(raw, list) or not raw or len(raw) > MAX_TAGS:
            errors[f"{path}.tags"] = _("Give a list of 1 to %(count)d tags.") % {"count": MAX_TAGS}
            return None
        try:
            names = clean_tag_names(raw)
        except ValidationFailed as exc:
            errors[f"{path}.tags"] = exc.message
            return None
        if not names:
            errors[f"{path}.tags"] = _("Give a list of 1 to %(count)d tags.") % {"count": MAX_TAGS}
            return None
        return {"tags": names}

    def plan(self, ticket: Ticket, data: dict[str, Any]) -> list[Step]:
        current = [tag.name for tag in ticket.tags.all()]
        held = {name.casefold() for name in current}
        if self.adds:
            new = [name for name in data["tags"] if name.casefold() not in held]
            return [{"field": "tags", "old": current, "new": sorted([*current, *new])}] if new else []
        removing = {name.casefold() for name in data["tags"]}
        kept = [name for name in current if name.casefold() not in removing]
        return [{"field": "tags", "old": current, "new": kept}] if len(kept) != len(current) else []

    def apply(self, ticket: Ticket, data: dict[str, Any], context: ActionContext) -> None:
        if self.adds:
            ticket_tag(actor=context.actor, source=context.source, ticket=ticket, add=data["tags"])
        else:
            ticket_tag(actor=context.actor, source=context.source, ticket=ticket, remove=data["tags"])


class AddTags(_Tags):
    type = "add_tags"
    label = gettext_lazy("Add tags")


class RemoveTags(_Tags):
    type = "remove_tags"
    label = gettext_lazy("Remove tags")
    adds = False


register_action(AddTags())
register_action(RemoveTags())
