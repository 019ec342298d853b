"""Following a ticket: followers hear about every change without being assigned."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kefu.core.actors import Actor, Source
from kefu.core.errors import ValidationFailed
from kefu.org import permissions
from kefu.org.models import User
from kefu.org.selectors import agent_access
from kefu.tickets.models import Ticket
from kefu.tickets.services.authorization import authorize
from kefu.tickets.services.history import Change, record_changes, snapshot


def ticket_follow(*, actor: Actor, source: Source, ticket: Ticket, user: User, follow: bool = True) -> Ticket:
    """Start (or with ``follow=False`` stop) ``user`` following ``ticket``.

    Anyone who can see a ticket may follow it themselves; adding someone else needs the assign right.
    """
    authorize(actor, ticket, None)
    if actor.is_agent and actor.id != user.pk:
        authorize(actor, ticket, permissions.TICKET_ASSIGN)
    if follow and not agent_access(user).can_see_department(ticket.department_id):
        raise ValidationFailed(
            _("This agent cannot see the ticket."), fields={"user_id": _("Cannot see the ticket.")}
        )
    with transaction.atomic():
        already = ticket.followers.filter(pk=user.pk).exists()
        if already == follow:
            return ticket
        if follow:
            ticket.followers.add(user)
        else:
            ticket.followers.remove(user)
        record_changes(
            ticket=ticket,
            actor=actor,
            source=source,
            changes=[Change("followed" if follow else "unfollowed", "followers", None, snapshot(user))],
            at=timezone.now(),
        )
    return ticket
