"""Contacts in CC: people who stay on a ticket and receive its replies besides the requester."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kefu.contacts.models import Contact
from kefu.core.actors import Actor, Source
from kefu.core.errors import ValidationFailed
from kefu.core.events import publish
from kefu.org import permissions
from kefu.tickets.models import Ticket
from kefu.tickets.services.authorization import authorize
from kefu.tickets.services.history import Change, record_changes

MAX_CC_CONTACTS = 50


def ticket_cc_add(
    *, actor: Actor, source: Source, ticket: Ticket, contacts: Iterable[Contact]
) -> list[Contact]:
    """Put ``contacts`` in CC of ``ticket``; return the ones that were not there already.

    The requester is never their own CC, and a ticket keeps at most ``MAX_CC_CONTACTS`` of them so that
    a message addressed to a whole mailing list cannot make every reply a mass mailing.
    """
    authorize(actor, ticket, permissions.TICKET_EDIT)
    wanted = {contact.pk: contact for contact in contacts if contact.pk != ticket.contact_id}
    if not wanted:
        return []
    with transaction.atomic():
        present = set(ticket.cc_contacts.filter(pk__in=wanted).values_list("pk", flat=True))
        added = [contact for pk, contact in wanted.items() if pk not in present]
        if not added:
            return []
        if ticket.cc_contacts.count() + len(added) > MAX_CC_CONTACTS:
            raise ValidationFailed(
                _("A ticket has at most %(limit)d contacts in CC.") % {"limit": MAX_CC_CONTACTS},
                fields={"cc": _("Too many contacts in CC.")},
            )
        ticket.cc_contacts.add(*added)
        record_changes(
            ticket=ticket,
            actor=actor,
            source=source,
            changes=[
                Change("cc_added", "cc_contacts", None, {"id": contact.pk, "email": contact.email})
                for contact in added
            ],
            at=timezone.now(),
        )
        publish(
            "ticket.cc_added",
            ticket_id=ticket.pk,
            contact_ids=[contact.pk for contact in added],
            source=source.value,
        )
    return added
