"""Filling ``{{ contact.name }}``-style placeholders in a macro's reply or comment.

Deliberately not a template engine: a macro is written by any agent, so its text may only name the
values listed in :data:`PLACEHOLDERS` — never an attribute path of a model object, never a tag or a
filter. Anything else between ``{{ }}`` is refused when the macro is saved and left as typed if it
ever reaches rendering.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext_lazy as _

from kefu.core.html import looks_like_html
from kefu.org.selectors import helpdesk_settings

PATTERN = re.compile(r"\{\{\s*([a-z_]+\.[a-z_]+)\s*\}\}")
ANY_PLACEHOLDER = re.compile(r"\{\{(.*?)\}\}", re.S)


def _name(obj: Any) -> str:
    if obj is None:
        return ""
    return getattr(obj, "display_name", None) or getattr(obj, "name", "") or str(obj)


def _agent_name(agent: Any) -> str:
    if agent is None:
        return ""
    return agent.get_full_name() or agent.email


PLACEHOLDERS: dict[str, tuple[Any, Callable[[dict[str, Any]], str]]] = {
    "ticket.number": (
        _("ticket number"),
        lambda c: f"{helpdesk_settings().ticket_number_prefix}{c['ticket'].number}",
    ),
    "ticket.subject": (_("ticket subject"), lambda c: c["ticket"].subject),
    "ticket.status": (_("ticket status"), lambda c: _name(c["ticket"].status)),
    "ticket.priority": (_("ticket priority"), lambda c: _name(c["ticket"].priority)),
    "ticket.department": (_("ticket department"), lambda c: _name(c["ticket"].department)),
    "contact.name": (_("customer name"), lambda c: c["ticket"].contact.name or c["ticket"].contact.email),
    "contact.email": (_("customer email"), lambda c: c["ticket"].contact.email or ""),
    "agent.name": (_("your name"), lambda c: _agent_name(c.get("agent"))),
    "agent.email": (_("your email"), lambda c: getattr(c.get("agent"), "email", "") or ""),
}


def unknown_placeholders(text: str) -> list[str]:
    """Every ``{{ … }}`` in ``text`` that is not one of :data:`PLACEHOLDERS`, as written."""
    unknown = []
    for match in ANY_PLACEHOLDER.finditer(text):
        key = match.group(1).strip()
        if key not in PLACEHOLDERS:
            unknown.append(match.group(0))
    return unknown


def render(text: str, *, ticket: Any, agent: Any = None) -> str:
    """``text`` with each known placeholder replaced by its value for ``ticket`` and ``agent``."""
    context = {"ticket": ticket, "agent": agent}

    def fill(match: re.Match[str]) -> str:
        known = PLACEHOLDERS.get(match.group(1))
        return known[1](context) if known else match.group(0)

    return PATTERN.sub(fill, text)


def render_body(body: str, *, ticket: Any, agent: Any = None) -> str:
    """A message body with its placeholders filled; in an HTML body the values are escaped, so that a
    customer named ``<b>`` is written, not rendered (macros, canned replies and bulk replies alike)."""
    if not looks_like_html(body):
        return render(body, ticket=ticket, agent=agent)

    def escaped(match: re.Match[str]) -> str:
        return html.escape(render(match.group(0), ticket=ticket, agent=agent))

    return PATTERN.sub(escaped, body)
