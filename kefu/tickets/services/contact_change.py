"""Moving tickets from one contact to another, as merging duplicate contacts needs.

The move covers every ticket of the contact, in every department and in the trash: a contact that is
merged away must own nothing afterwards, whoever merges it. The authority for that comes from
``contact.manage``, not from the departments of the agent merging.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from kefu.core.actors import Actor, Source
from kefu.core.events import publish
from kefu.core.models import AuditEntry
from kefu.org import permissions
from kefu.tickets.models import Ticket, TicketEvent
from kefu.tickets.services.authorization import authorize
from kefu.tickets.services.history import snapshot


def _event(
    ticket_id: int, actor: Actor, source: Source, at: Any, action: str, field: str, old: Any, new: Any
) -> TicketEvent:
    return TicketEvent(
        ticket_id=ticket_id,
        created_at=at,
        actor_kind=actor.kind.value,
        actor_id=actor.id,
        actor_name=actor.name[:200],
        source=source.value,
        action=action,
        field=field,
        old_value=old,
        new_value=new,
    )


def _audit(
    ticket_id: int, actor: Actor, source: Source, action: str, field: str, old: Any, new: Any
) -> AuditEntry:
    return AuditEntry(
        actor_kind=actor.kind.value,
        actor_id=actor.id,
        actor_name=actor.name[:200],
        source=source.value,
        action=f"ticket.{action}",
        object_type=Ticket._meta.label_lower,
        object_id=ticket_id,
        changes={field: {"from": old, "to": new}},
    )


def tickets_reassign_contact(
    *, actor: Actor, source: Source, from_contact: Any, to_contact: Any
) -> list[int]:
    """Make ``to_contact`` the requester of every ticket of ``from_contact`` and take over its CCs.

    Each changed ticket gets a ``contact`` (or ``cc_contacts``) event and an audit entry, written in
    bulk so that a contact with thousands of tickets is merged in a fixed number of statements.
    Returns the ids of the tickets that changed.
    """
    authorize(actor, None, permissions.CONTACT_MANAGE)
    old, new = snapshot(from_contact), snapshot(to_contact)
    with transaction.atomic():
        now = timezone.now()
        requested = list(Ticket.objects.filter(contact=from_contact).values_list("pk", flat=True))
        Ticket.objects.filter(pk__in=requested).update(contact=to_contact, updated_at=now)

        cc_links = Ticket.cc_contacts.through.objects
        cc_ticket_ids = list(cc_links.filter(contact=from_contact).values_list("ticket_id", flat=True))
        # A ticket already naming the survivor (as CC or as requester) must not list them twice.
        redundant = set(
            cc_links.filter(ticket_id__in=cc_ticket_ids, contact=to_contact).values_list(
                "ticket_id", flat=True
            )
        ) | set(Ticket.objects.filter(pk__in=cc_ticket_ids, contact=to_contact).values_list("pk", flat=True))
        cc_links.filter(contact=from_contact, ticket_id__in=redundant).delete()
        cc_links.filter(contact=from_contact).update(contact=to_contact)
        Ticket.objects.filter(pk__in=cc_ticket_ids).update(updated_at=now)
        # The survivor may have been a CC of a ticket it now requests: the requester is enough.
        survivor_cc = cc_links.filter(contact=to_contact, ticket_id__in=requested)
        survivor_cc_dropped = list(survivor_cc.values_list("ticket_id", flat=True))
        survivor_cc.delete()

        old_cc = {"id": from_contact.pk, "email": from_contact.email}
        new_cc = {"id": to_contact.pk, "email": to_contact.email}
        changes = [(pk, "updated", "contact", old, new) for pk in requested]
        for pk in cc_ticket_ids:
            changes.append((pk, "cc_removed", "cc_contacts", old_cc, None))
            if pk not in redundant:
                changes.append((pk, "cc_added", "cc_contacts", None, new_cc))
        changes += [(pk, "cc_removed", "cc_contacts", new_cc, None) for pk in survivor_cc_dropped]
        TicketEvent.objects.bulk_create(_event(pk, actor, source, now, *change) for pk, *change in changes)
        AuditEntry.objects.bulk_create(_audit(pk, actor, source, *change) for pk, *change in changes)
        fields_by_ticket: dict[int, set[str]] = {}
        for pk, _action, field, _before, _after in changes:
            fields_by_ticket.setdefault(pk, set()).add(field)
        for pk, fields in sorted(fields_by_ticket.items()):
            publish(
                "ticket.updated",
                ticket_id=pk,
                fields=sorted(fields),
                actor_kind=actor.kind.value,
                source=source.value,
            )
    return sorted(fields_by_ticket)
