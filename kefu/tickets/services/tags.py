"""Adding and removing tags on a ticket."""

from __future__ import annotations

from collections.abc import Iterable

from kefu.core.actors import Actor, Source
from kefu.core.event_types import EventType
from kefu.core.tags import tags_get_or_create
from kefu.org import permissions
from kefu.tickets.models import Ticket
from kefu.tickets.services.authorization import authorize
from kefu.tickets.services.changes import ticket_change


def ticket_tag(
    *, actor: Actor, source: Source, ticket: Ticket, add: Iterable[str] = (), remove: Iterable[str] = ()
) -> Ticket:
    """Add and remove tags by name (case-insensitive); unchanged tags record nothing."""
    authorize(actor, ticket, permissions.TICKET_EDIT)
    adding = tags_get_or_create(add)
    with ticket_change(
        actor=actor, source=source, ticket=ticket, event_type=EventType.TICKET_UPDATED
    ) as change:
        ticket = change.ticket
        current = {tag.name.casefold(): tag for tag in ticket.tags.all()}
        added = [tag for tag in adding if tag.name.casefold() not in current]
        removing = {name.casefold() for name in remove if isinstance(name, str)}
        removed = [tag for key, tag in current.items() if key in removing]
        if not added and not removed:
            return ticket
        ticket.tags.add(*added)
        ticket.tags.remove(*removed)
        before = sorted(tag.name for tag in current.values())
        after = sorted({*before, *(tag.name for tag in added)} - {tag.name for tag in removed})
        change.add("tags", before, after)
        Ticket.objects.filter(pk=ticket.pk).update(updated_at=change.at)
        ticket.updated_at = change.at
    return ticket
