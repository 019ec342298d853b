"""Heartbeats of agents who have a ticket open: what the collision notice on the ticket page reads."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from kefu.core.actors import Actor, Source
from kefu.tickets.models import Ticket, TicketPresence
from kefu.tickets.services.authorization import authorize


def ticket_presence_beat(*, actor: Actor, source: Source, ticket: Ticket, replying: bool) -> None:
    """Record that the agent is looking at ``ticket`` now, and whether they are writing a reply.

    Presence is not a change to the ticket: no event, no audit entry, nothing published.
    """
    authorize(actor, ticket, None)
    if not actor.is_agent:
        return
    now = timezone.now()
    rows = TicketPresence.objects.filter(ticket=ticket, user=actor.user)
    if rows.update(is_replying=replying, last_seen_at=now):
        return
    try:
        with transaction.atomic():
            TicketPresence.objects.create(
                ticket=ticket, user=actor.user, is_replying=replying, last_seen_at=now
            )
    except IntegrityError:
        rows.update(is_replying=replying, last_seen_at=now)


def ticket_presence_leave(*, actor: Actor, source: Source, ticket: Ticket) -> None:
    """Forget the agent's presence at once when they close the page, rather than when it goes stale."""
    authorize(actor, ticket, None)
    if actor.is_agent:
        TicketPresence.objects.filter(ticket=ticket, user=actor.user).delete()
