"""Adding and removing tags on a ticket."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from kefu.core.actors import Actor, Source
from kefu.core.events import publish
from kefu.core.tags import tags_get_or_create
from kefu.org import permissions
from kefu.tickets.models import Ticket
from kefu.tickets.services.authorization import authorize
from kefu.tickets.services.history import Change, record_changes


def ticket_tag(
    *, actor: Actor, source: Source, ticket: Ticket, add: Iterable[str] = (), remove: Iterable[str] = ()
) -> Ticket:
    """Add and remove tags by name (case-insensitive); unchanged tags record nothing."""
    authorize(actor, ticket, permissions.TICKET_EDIT)
    with transaction.atomic():
        current = {tag.name.casefold(): tag for tag in ticket.tags.all()}
        added = [tag for tag in tags_get_or_create(add) if tag.name.casefold() not in current]
        removing = {name.casefold() for name in remove if isinstance(name, str)}
        removed = [tag for key, tag in current.items() if key in removing]
        if not added and not removed:
            return ticket
        ticket.tags.add(*added)
        ticket.tags.remove(*removed)
        now = timezone.now()
        Ticket.objects.filter(pk=ticket.pk).update(updated_at=now)
        ticket.updated_at = now
        changes = [Change("tagged", "tags", None, tag.name) for tag in added]
        changes += [Change("untagged", "tags", tag.name, None) for tag in removed]
        record_changes(ticket=ticket, actor=actor, source=source, changes=changes, at=now)
        publish(
            "ticket.updated",
            ticket_id=ticket.pk,
            fields=["tags"],
            actor_kind=actor.kind.value,
            source=source.value,
        )
    return ticket
