"""Who may touch a ticket. Agents need the ticket's department (or every department) and a permission;
system actors (rules, SLA jobs, imports) act with the authority their configuration gave them."""

from __future__ import annotations

from django.utils.translation import gettext as _

from kefu.core.actors import Actor
from kefu.core.errors import NotFound, PermissionDenied
from kefu.org.selectors import agent_access
from kefu.tickets.models import Ticket


def authorize(actor: Actor, ticket: Ticket | None, permission: str | None) -> None:
    """Raise ``NotFound`` for a ticket the agent cannot see, ``PermissionDenied`` for a missing right."""
    if not actor.is_agent:
        return
    access = agent_access(actor.user)
    if ticket is not None and (
        ticket.deleted_at is not None or not access.can_see_department(ticket.department_id)
    ):
        raise NotFound(_("No such ticket."))
    if permission is not None and not access.can(permission):
        raise PermissionDenied(_("You do not have permission to do this."))
