"""Moving tickets from one contact to another, as merging duplicate contacts needs.

The move covers every ticket of the contact, in every department and in the trash: a contact that is
merged away must own nothing afterwards, whoever merges it. The authority for that comes from
``contact.manage``, not from the departments of the agent merging. Each ticket changes through the one
change record, so its timeline, the audit log, rules and consumers see an ordinary change-set.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from kefu.core.actors import Actor, Source
from kefu.core.event_types import EventType
from kefu.org import permissions
from kefu.tickets.models import Ticket
from kefu.tickets.services.authorization import authorize
from kefu.tickets.services.changes import RecordedChange, snapshot, ticket_change


def _cc_list(ticket: Ticket) -> list[dict[str, Any]]:
    return [
        {"id": pk, "email": email}
        for pk, email in ticket.cc_contacts.order_by("pk").values_list("pk", "email")
    ]


def _move(change: RecordedChange, from_contact: Any, to_contact: Any) -> None:
    ticket = change.ticket
    cc_before = _cc_list(ticket)
    if ticket.contact_id == from_contact.pk:
        change.add("contact", snapshot(from_contact), snapshot(to_contact))
        ticket.contact = to_contact
        Ticket.objects.filter(pk=ticket.pk).update(contact=to_contact, updated_at=change.at)
    cc_ids = {entry["id"] for entry in cc_before}
    if from_contact.pk in cc_ids:
        ticket.cc_contacts.remove(from_contact)
        if to_contact.pk != ticket.contact_id:
            ticket.cc_contacts.add(to_contact)
    # The survivor may have been a CC of a ticket it now requests: the requester is enough.
    if ticket.contact_id == to_contact.pk and to_contact.pk in cc_ids:
        ticket.cc_contacts.remove(to_contact)
    cc_after = _cc_list(ticket)
    if cc_after != cc_before:
        change.add("cc_contacts", cc_before, cc_after)
        Ticket.objects.filter(pk=ticket.pk).update(updated_at=change.at)


def tickets_reassign_contact(
    *, actor: Actor, source: Source, from_contact: Any, to_contact: Any
) -> list[int]:
    """Make ``to_contact`` the requester of every ticket of ``from_contact`` and take over its CCs.

    Returns the ids of the tickets that changed.
    """
    authorize(actor, None, permissions.CONTACT_MANAGE)
    changed: list[int] = []
    with transaction.atomic():
        ids = set(Ticket.objects.filter(contact=from_contact).values_list("pk", flat=True))
        ids |= set(
            Ticket.cc_contacts.through.objects.filter(contact=from_contact).values_list(
                "ticket_id", flat=True
            )
        )
        for ticket in Ticket.objects.filter(pk__in=ids).order_by("pk"):
            with ticket_change(
                actor=actor, source=source, ticket=ticket, event_type=EventType.TICKET_UPDATED
            ) as change:
                _move(change, from_contact, to_contact)
                if change.changes:
                    changed.append(ticket.pk)
    return changed
