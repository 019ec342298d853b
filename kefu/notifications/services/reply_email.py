"""The "agent reply" notification: the reply itself is the email the customer gets, shaped by the
department's rule and the template in the customer's language (registered with the email channel's
``register_reply_shaper``). The shipped template is the reply as written, so nothing changes until an
administrator edits it; with the rule off, the reply goes out as written too (a reply is never
withheld from the customer)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kefu.notifications import catalog
from kefu.notifications.rendering import render
from kefu.notifications.services.context import default_language, normalise_language, ticket_context
from kefu.notifications.services.dispatch import _Lookups
from kefu.tickets.models import Ticket

if TYPE_CHECKING:
    from kefu.tickets.models import Thread

KEY = "customer.agent_reply"


def shape_reply(thread: Thread) -> tuple[str, str, str] | None:
    """``(subject, text, html)`` of the reply email from the template, or ``None``: as written."""
    ticket = (
        Ticket.objects.select_related(
            "contact", "status", "priority", "department", "team", "assignee", "brand"
        )
        .filter(pk=thread.ticket_id)
        .first()
    )
    if ticket is None:
        return None
    lookups = _Lookups()
    enabled, _kinds, _addresses, _channels = lookups.rule(ticket.department_id, KEY)
    if not enabled:
        return None
    contact = ticket.contact
    language = (
        normalise_language(contact.language or ticket.language)
        if (contact.language or ticket.language)
        else default_language()
    )
    template = lookups.template(KEY, language)
    if template == catalog.default_template(KEY, language):
        return None
    context = ticket_context(
        ticket,
        language=language,
        agent=thread.author_user,
        latest_html=thread.body_html,
        latest_text=thread.body_text,
        recipient_name=contact.name or contact.email,
    )
    rendered = render(template.subject, template.body_html, template.body_text, context)
    return rendered.subject, rendered.body_text, rendered.body_html
