"""Contacts in CC: people who stay on a ticket and receive its replies besides the requester."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _

from kefu.contacts.models import Contact
from kefu.contacts.services import contact_get_or_create_by_email
from kefu.core.actors import Actor, Source
from kefu.core.errors import ValidationFailed
from kefu.core.event_types import EventType
from kefu.core.validation import is_email
from kefu.tickets.models import Ticket
from kefu.tickets.services.authorization import TICKET_CC, authorize
from kefu.tickets.services.changes import RecordedChange, ticket_change

MAX_CC_CONTACTS = 50


def check_cc_room(present: int, adding: int) -> None:
    """A ticket keeps at most ``MAX_CC_CONTACTS``: a message to a whole mailing list must not make every
    reply a mass mailing."""
    if present + adding > MAX_CC_CONTACTS:
        raise ValidationFailed(
            _("A ticket has at most %(limit)d contacts in CC.") % {"limit": MAX_CC_CONTACTS},
            fields={"cc": _("Too many contacts in CC.")},
        )


def cc_contacts_for(source: Source, addresses: Iterable[str], *, exclude: set[int]) -> list[Contact]:
    """The contacts behind the valid ``addresses`` (found or created), without those in ``exclude``."""
    wanted = [
        address for address in dict.fromkeys(addresses) if isinstance(address, str) and is_email(address)
    ]
    contacts = [
        contact_get_or_create_by_email(actor=Actor.system(), source=source, email=address)
        for address in wanted[: MAX_CC_CONTACTS + 1]
    ]
    return list({contact.pk: contact for contact in contacts if contact.pk not in exclude}.values())


def add_cc_contacts(change: RecordedChange, contacts: Iterable[Contact]) -> list[Contact]:
    """Put ``contacts`` in CC of the change's ticket, recording the change; return those really added."""
    ticket = change.ticket
    wanted = {contact.pk: contact for contact in contacts if contact.pk != ticket.contact_id}
    if not wanted:
        return []
    present = dict(ticket.cc_contacts.values_list("pk", "email"))
    added = [contact for pk, contact in wanted.items() if pk not in present]
    if not added:
        return []
    check_cc_room(len(present), len(added))
    ticket.cc_contacts.add(*added)
    after = {**present, **{contact.pk: contact.email for contact in added}}
    change.add(
        "cc_contacts",
        [{"id": pk, "email": email} for pk, email in sorted(present.items())],
        [{"id": pk, "email": email} for pk, email in sorted(after.items())],
    )
    return added


def ticket_cc_add(
    *, actor: Actor, source: Source, ticket: Ticket, contacts: Iterable[Contact]
) -> list[Contact]:
    """Put ``contacts`` in CC of ``ticket``; return the ones that were not there already.

    The requester is never their own CC.
    """
    authorize(actor, ticket, TICKET_CC)
    # The room for more is checked against the locked row: a refusal must leave a caller's transaction
    # (the email intake's) usable, hence the savepoint.
    with ticket_change(
        actor=actor, source=source, ticket=ticket, event_type=EventType.TICKET_UPDATED, savepoint=True
    ) as change:
        return add_cc_contacts(change, contacts)
