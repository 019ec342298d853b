"""``{"type": "set_field", "field": "priority", "value": "高"}``: set any writable ticket field.

``field`` is the ticket API's name (``status``, ``priority``, ``department_id``, ``team_id``,
``assignee_id``, ``brand_id``, ``account_id``, ``channel``, ``category``, ``sub_category``, ``product``,
``language``) or ``custom_fields.<key>``; ``value`` is an id or a name (stored as the id), ``null``
clears a field that may be empty.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kefu.automation.actions.base import Action, ActionContext, Step, register_action, unknown_keys
from kefu.automation.criteria import get_field
from kefu.automation.criteria.fields import Facts
from kefu.customfields.selectors import field_specs
from kefu.customfields.validation import clean_value
from kefu.tickets.models import Ticket
from kefu.tickets.services import ticket_update

SETTABLE = (
    "status", "priority", "department_id", "team_id", "assignee_id", "brand_id", "account_id", "channel",
    "category", "sub_category", "product", "language",
)  # fmt: skip
CLEARABLE = {
    "team_id",
    "assignee_id",
    "brand_id",
    "account_id",
    "category",
    "sub_category",
    "product",
    "language",
}
TEXT = {"category", "sub_category", "product"}


def _custom_spec(key: str) -> Any:
    return next((spec for spec in field_specs("ticket") if spec.key == key), None)


class SetField(Action):
    type = "set_field"
    label = gettext_lazy("Set a field")

    def clean(self, data: dict[str, Any], path: str, errors: dict[str, str]) -> dict[str, Any] | None:
        if unknown_keys(data, {"field", "value"}, path, errors):
            return None
        name = data.get("field")
        value = data.get("value")
        if isinstance(name, str) and name.startswith("custom_fields."):
            spec = _custom_spec(name.removeprefix("custom_fields."))
            if spec is None:
                errors[f"{path}.field"] = _("Unknown field.")
                return None
            if value in (None, "", []):
                return {"field": name, "value": None}
            try:
                return {"field": name, "value": clean_value(spec, value)}
            except ValueError as exc:
                errors[f"{path}.value"] = str(exc)
                return None
        if name not in SETTABLE:
            errors[f"{path}.field"] = _("Choose one of: %(choices)s.") % {
                "choices": ", ".join((*SETTABLE, "custom_fields.<key>"))
            }
            return None
        if value is None or value == "":
            if name not in CLEARABLE:
                errors[f"{path}.value"] = _("This field is required.")
                return None
            return {"field": name, "value": "" if name in TEXT or name == "language" else None}
        if name in TEXT:
            if not isinstance(value, str) or len(value) > 100:
                errors[f"{path}.value"] = _("Enter at most %(limit)d characters.") % {"limit": 100}
                return None
            return {"field": name, "value": value.strip()}
        field = get_field(name)
        assert field is not None
        assert field.resolve is not None
        resolved = field.resolve(value) if not isinstance(value, bool | list | dict) else None
        if resolved is None:
            errors[f"{path}.value"] = _("Unknown value %(value)s.") % {"value": value}
            return None
        return {"field": name, "value": resolved}

    def plan(self, ticket: Ticket, data: dict[str, Any]) -> list[Step]:
        name, value = data["field"], data["value"]
        if name.startswith("custom_fields."):
            old = (ticket.custom_fields or {}).get(name.removeprefix("custom_fields."))
        else:
            field = get_field(name)
            assert field is not None
            old = field.read(Facts(ticket, now=ticket.updated_at))
        if old == value or (old in (None, "") and value in (None, "")):
            return []
        return [{"field": name, "old": old, "new": value}]

    def apply(self, ticket: Ticket, data: dict[str, Any], context: ActionContext) -> None:
        name, value = data["field"], data["value"]
        if name.startswith("custom_fields."):
            changes: dict[str, Any] = {"custom_fields": {name.removeprefix("custom_fields."): value}}
        else:
            changes = {name: value}
        ticket_update(actor=context.actor, source=context.source, ticket=ticket, changes=changes)


register_action(SetField())
