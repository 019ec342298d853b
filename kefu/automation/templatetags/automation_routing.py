"""Template tags that put macros and canned replies on the tickets app's pages (the ticket page, the list's
bulk bar, the reply editor) without the tickets app knowing the automation app."""

from __future__ import annotations

from typing import Any

from django import template

from kefu.automation.macros.services import macro_list
from kefu.org import permissions
from kefu.org.selectors import agent_access

register = template.Library()


@register.simple_tag(takes_context=True)
def macros_for(context: dict[str, Any], ticket: Any = None) -> list[Any]:
    """The macros the signed-in agent may apply; with ``ticket``, those fit for its department."""
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return []
    department_id = ticket.department_id if ticket is not None else None
    return list(macro_list(request.user, department_id=department_id)[:50])


@register.simple_tag(takes_context=True)
def may_reply(context: dict[str, Any]) -> bool:
    """Whether the signed-in agent may reply to customers (the list's bulk reply)."""
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return False
    return agent_access(request.user).can(permissions.TICKET_REPLY)
