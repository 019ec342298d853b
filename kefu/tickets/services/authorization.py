"""Who may touch a ticket. Agents need the ticket's department (or every department) and a permission;
system actors (rules, SLA jobs, imports) act with the authority their configuration gave them."""

from __future__ import annotations

from django.utils.translation import gettext as _

from kefu.core.actors import Actor
from kefu.core.errors import NotFound, PermissionDenied, ValidationFailed
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


def authorize_parent(actor: Actor, parent: Ticket | None) -> None:
    """A parent ticket in a department the agent cannot see is as unknown to them as a missing one."""
    if not actor.is_agent or parent is None:
        return
    if not agent_access(actor.user).can_see_department(parent.department_id):
        raise ValidationFailed(
            _("The ticket is not valid."), fields={"parent_id": _("Unknown id %(id)s.") % {"id": parent.pk}}
        )
