"""Spam and the trash: marking a ticket as spam (or not), restoring a trashed ticket, purging the trash.

``ticket_delete`` (in ``services.update``) moves a ticket to the trash: it disappears from every list,
search and API answer, but its rows stay. For ``TRASH_RETENTION`` (30 days) an agent with the delete
right may restore it (``ticket_restore``) exactly as it was; after that the beat task
``tickets.purge_trash`` deletes it for good with its conversation, comments, files and history
(``tickets_purge_trash``), leaving one audit entry and a ``ticket.purged`` event whose consumer removes
the files from storage.

A ticket marked as spam stays where it is but leaves every view except "Spam" (and its parent's family);
the email channel files new mail from a contact with a spam ticket as spam too, until an agent marks
the ticket "not spam" again.
"""

from __future__ import annotations

import datetime as dt

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kefu.core.actors import Actor, Source
from kefu.core.audit import audit_record
from kefu.core.errors import NotFound, PermissionDenied
from kefu.core.event_types import EventType
from kefu.core.events import publish
from kefu.org import permissions
from kefu.org.selectors import agent_access
from kefu.tickets.models import Attachment, Ticket
from kefu.tickets.services.authorization import authorize
from kefu.tickets.services.changes import ticket_change

TRASH_RETENTION = dt.timedelta(days=30)
PURGE_BATCH = 200


def ticket_mark_spam(*, actor: Actor, source: Source, ticket: Ticket, spam: bool = True) -> Ticket:
    """Mark ``ticket`` as spam (``spam=False``: not spam). Needs the edit right; no-op if already so."""
    authorize(actor, ticket, permissions.TICKET_EDIT)
    with ticket_change(
        actor=actor, source=source, ticket=ticket, event_type=EventType.TICKET_SPAM_MARKED
    ) as change:
        ticket = change.ticket
        if ticket.is_spam == spam:
            return ticket
        change.add("is_spam", ticket.is_spam, spam)
        ticket.is_spam = spam
        ticket.updated_at = change.at
        ticket.save(update_fields=["is_spam", "updated_at"])
    return ticket


def purge_date(ticket: Ticket) -> dt.datetime | None:
    """When a trashed ticket will be purged (``None`` for a ticket not in the trash)."""
    return ticket.deleted_at + TRASH_RETENTION if ticket.deleted_at else None


def _authorize_restore(actor: Actor, ticket: Ticket) -> None:
    """Agents with the delete right, in the ticket's department; no other kind of actor restores."""
    if not actor.is_agent:
        raise PermissionDenied(_("You do not have permission to do this."))
    access = agent_access(actor.user)
    if not access.can_see_department(ticket.department_id):
        raise NotFound(_("No such ticket."))
    if not access.can(permissions.TICKET_DELETE):
        raise PermissionDenied(_("You do not have permission to do this."))


def ticket_restore(*, actor: Actor, source: Source, ticket: Ticket) -> Ticket:
    """Take ``ticket`` out of the trash, as it was; ``NotFound`` if it is not (or no longer) there."""
    _authorize_restore(actor, ticket)
    with transaction.atomic():
        trashed = Ticket.objects.filter(pk=ticket.pk, deleted_at__isnull=False)
        if connection.features.has_select_for_update:
            trashed = trashed.select_for_update()
        deleted_at = trashed.values_list("deleted_at", flat=True).first()
        # The claim: of two restores (or a restore and the purge) only one finds the ticket trashed.
        if deleted_at is None or trashed.update(deleted_at=None) != 1:
            raise NotFound(_("No such ticket."))
        with ticket_change(
            actor=actor, source=source, ticket=ticket, event_type=EventType.TICKET_RESTORED
        ) as change:
            ticket = change.ticket
            change.add("deleted_at", deleted_at.isoformat(), None)
            ticket.updated_at = change.at
            ticket.save(update_fields=["updated_at"])
    return ticket


def ticket_purge(*, ticket_id: int, now: dt.datetime | None = None) -> bool:
    """Delete one ticket that has been in the trash for ``TRASH_RETENTION``; whether it was purged.

    The system's own operation (the beat task): the deletion is the claim, so two workers purge a ticket
    once. Its merge records, time entries, tasks and read marks go with it; tickets that point at it
    (children, merged or split tickets, follow-ups) keep their own data and lose the link.
    """
    cutoff = (now or timezone.now()) - TRASH_RETENTION
    with transaction.atomic():
        ticket = Ticket.objects.filter(pk=ticket_id, deleted_at__lt=cutoff).first()
        if ticket is None:
            return False
        files = sorted(filter(None, Attachment.objects.filter(ticket=ticket).values_list("file", flat=True)))
        number, shown, deleted_at = ticket.number, ticket.shown_number, ticket.deleted_at
        audit_record(
            actor=Actor.system(),
            source=Source.SCHEDULER,
            action=EventType.TICKET_PURGED.value,
            obj=ticket,
            changes={"deleted_at": {"from": deleted_at.isoformat() if deleted_at else None, "to": None}},
        )
        deleted, _rows = Ticket.objects.filter(pk=ticket_id, deleted_at__lt=cutoff).delete()
        if not deleted:
            transaction.set_rollback(True)
            return False
        publish(
            EventType.TICKET_PURGED,
            ticket_id=ticket_id,
            number=number,
            display_number=shown,
            files=files,
        )
    return True


def tickets_purge_trash(*, now: dt.datetime | None = None, limit: int = PURGE_BATCH) -> int:
    """Purge up to ``limit`` tickets whose time in the trash is over, oldest first; how many went."""
    now = now or timezone.now()
    due = (
        Ticket.objects.filter(deleted_at__lt=now - TRASH_RETENTION)
        .order_by("deleted_at", "id")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(ticket_purge(ticket_id=ticket_id, now=now) for ticket_id in list(due))
