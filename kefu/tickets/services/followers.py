"""Following a ticket: followers hear about every change without being assigned."""

from __future__ import annotations

from django.utils.translation import gettext as _

from kefu.core.actors import Actor, Source
from kefu.core.errors import ValidationFailed
from kefu.core.event_types import EventType
from kefu.org import permissions
from kefu.org.models import User
from kefu.org.selectors import agent_access
from kefu.tickets.models import Ticket
from kefu.tickets.services.authorization import TICKET_FOLLOW, authorize
from kefu.tickets.services.changes import snapshot, ticket_change


def ticket_follow(*, actor: Actor, source: Source, ticket: Ticket, user: User, follow: bool = True) -> Ticket:
    """Start (or with ``follow=False`` stop) ``user`` following ``ticket``.

    Anyone who can see a ticket may follow it themselves; adding someone else needs the assign right.
    """
    authorize(actor, ticket, TICKET_FOLLOW)
    if actor.is_agent and actor.id != user.pk:
        authorize(actor, ticket, permissions.TICKET_ASSIGN)
    if follow and not agent_access(user).can_see_department(ticket.department_id):
        raise ValidationFailed(
            _("This agent cannot see the ticket."), fields={"user_id": _("Cannot see the ticket.")}
        )
    with ticket_change(
        actor=actor, source=source, ticket=ticket, event_type=EventType.TICKET_FOLLOWED
    ) as change:
        ticket = change.ticket
        if ticket.followers.filter(pk=user.pk).exists() == follow:
            return ticket
        if follow:
            ticket.followers.add(user)
            change.add("followers", None, snapshot(user))
        else:
            ticket.followers.remove(user)
            change.add("followers", snapshot(user), None)
    return ticket
