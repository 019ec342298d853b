"""What the console's rule builder needs: fields with their operators and values, actions, texts."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from kefu.automation.actions import action_types, get_action
from kefu.automation.actions.set_field import SETTABLE
from kefu.automation.criteria import all_fields, field_catalog, get_field
from kefu.automation.criteria.catalog import field_entry


def builder_catalog(*, allow_changes: bool, user: Any = None) -> dict[str, Any]:
    """The JSON the builder script reads (``json_script``): everything it offers, in the viewer's language."""
    catalog = field_catalog(allow_changes=allow_changes)
    macros: list[dict[str, Any]] = []
    if get_action("apply_macro") is not None and user is not None:
        from kefu.automation.macros.services import macro_list

        macros = [{"value": macro.pk, "label": macro.name} for macro in macro_list(user)]
    settable = [field_entry(field) for name in SETTABLE if (field := get_field(name)) is not None]
    settable += [
        field_entry(field)
        for field in all_fields()
        if field.key.startswith("custom_fields.") and field.kind.name not in ("set",)
    ]
    by_key = {entry["key"]: entry for entry in catalog["fields"]}
    return {
        **catalog,
        "actions": [
            {**action.editor(), "type": action.type, "label": str(action.label)}
            for action in action_types()
            if _offered(action.type)
        ],
        "settable": settable,
        "agents": by_key.get("assignee_id", {}).get("choices") or [],
        "teams": by_key.get("team_id", {}).get("choices") or [],
        "macros": macros,
        "texts": {
            "all": _("All of these"),
            "any": _("Any of these"),
            "add_condition": _("Add a condition"),
            "add_group": _("Add a group"),
            "add_action": _("Add an action"),
            "remove": _("Remove"),
            "field": _("Field"),
            "operator": _("Operator"),
            "value": _("Value"),
            "from": _("From"),
            "to": _("To"),
            "agent": _("Agent"),
            "team": _("Team"),
            "tags": _("Tags, separated by commas"),
            "comment": _("Comment"),
            "reply": _("Reply to the customer"),
            "macro": _("Macro"),
            "action": _("Action"),
            "none": _("— none —"),
            "yes": _("Yes"),
            "no": _("No"),
            "no_conditions": _("No conditions: every ticket."),
            "hold_ctrl": _("Hold Ctrl (⌘) to choose several."),
        },
    }


def _offered(action_type: str) -> bool:
    """Action types the builder can edit (the others are kept as they are when a rule is saved)."""
    return action_type in {
        "set_field", "assign", "add_tags", "remove_tags", "comment", "reply", "apply_macro", "stop",
        "notify_email", "notify_sms", "notify_in_app",
    }  # fmt: skip
