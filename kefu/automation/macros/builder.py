"""What the macro builder offers: the action types a macro may hold, with the values each one takes.

The console renders this as drop-downs (no JSON typing); the same registry cleans what it sends back.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from kefu.automation.actions import get_action
from kefu.automation.macros.placeholders import PLACEHOLDERS
from kefu.org.selectors import agent_list, team_list_with_members
from kefu.tickets.selectors import priority_list, status_list

MACRO_ACTIONS = ("reply", "comment", "set_field", "assign", "add_tags", "remove_tags")


def builder_catalog() -> dict[str, Any]:
    """Action types with their labels, the fields ``set_field`` offers with their choices, agents, teams."""
    types = [
        {"type": key, "label": str(action.label)}
        for key in MACRO_ACTIONS
        if (action := get_action(key)) is not None
    ]
    return {
        "types": types,
        "fields": [
            {
                "key": "status",
                "label": _("Status"),
                "choices": [{"value": s.pk, "label": s.display_name} for s in status_list()],
            },
            {
                "key": "priority",
                "label": _("Priority"),
                "choices": [{"value": p.pk, "label": p.display_name} for p in priority_list()],
            },
        ],
        "agents": [
            {"value": a.user_id, "label": a.user.name or a.user.email}
            for a in agent_list()
            if a.user.is_active
        ],
        "teams": [
            {"value": t.pk, "label": f"{t.department.display_name} · {t.name}"}
            for t in team_list_with_members()
        ],
        "placeholders": [{"key": key, "label": str(label)} for key, (label, _read) in PLACEHOLDERS.items()],
        "texts": {
            "add": _("Add an action"),
            "remove": _("Remove"),
            "value": _("Value"),
            "tags": _("Tags, separated by commas"),
            "text": _("Text"),
            "insert": _("Insert a placeholder"),
            "agent": _("Agent"),
            "team": _("Team"),
            "field": _("Field"),
        },
    }
