"""Read markers: when an agent last opened a ticket, so that lists can show what changed since."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from kefu.core.actors import Actor, Source
from kefu.tickets.models import Ticket, TicketRead
from kefu.tickets.services.authorization import authorize


def ticket_mark_read(*, actor: Actor, source: Source, ticket: Ticket) -> None:
    """Remember that the agent has seen ``ticket`` as it is now.

    Not a change to the ticket: it logs no event and publishes nothing. One UPDATE in the common case
    (the agent opened the ticket before); an INSERT the first time, tolerant of a concurrent first open.
    """
    authorize(actor, ticket, None)
    if not actor.is_agent:
        return
    now = timezone.now()
    if TicketRead.objects.filter(user=actor.user, ticket=ticket).update(seen_at=now):
        return
    try:
        with transaction.atomic():
            TicketRead.objects.create(user=actor.user, ticket=ticket, seen_at=now)
    except IntegrityError:
        TicketRead.objects.filter(user=actor.user, ticket=ticket).update(seen_at=now)
