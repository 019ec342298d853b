"""Splitting a message off a ticket into a new ticket of its own.

A customer who writes about a second problem in the same email thread gets a second ticket: the message
(a thread, with its files) moves to a new ticket in the same department, for the same customer (the
message's author, else the ticket's contact), with the original's priority and type and the default
status. The new ticket's ``split_from`` links it to the original, whose history says where the message
went. The first message cannot be split off: it is the ticket itself. Same right as merging.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from kefu.core.actors import Actor, Source
from kefu.core.errors import Conflict, NotFound, ValidationFailed
from kefu.core.event_types import EventType
from kefu.tickets.models import Attachment, Thread, Ticket
from kefu.tickets.selectors import status_lookup
from kefu.tickets.services.authorization import TICKET_MERGE, authorize
from kefu.tickets.services.changes import change_time, ticket_change
from kefu.tickets.services.create import initial_state
from kefu.tickets.services.numbering import number_ticket


def _thread_to_split(ticket: Ticket, thread_id: int) -> Thread:
    # A scheduled reply is not a message yet: it cannot be split off (cancel it instead).
    thread = ticket.threads.select_related("author_contact").filter(pk=thread_id, scheduled=False).first()
    if thread is None:
        raise NotFound(_("No such message."))
    first = ticket.threads.order_by("created_at", "id").values_list("pk", flat=True).first()
    if first == thread.pk:
        raise ValidationFailed(
            _("The first message is the ticket itself; split a later one."),
            fields={"thread_id": _("The first message cannot be split off.")},
        )
    return thread


def ticket_split(*, actor: Actor, source: Source, ticket: Ticket, thread_id: int) -> Ticket:
    """Move the message ``thread_id`` of ``ticket`` to a new ticket linked to it; return the new ticket."""
    authorize(actor, ticket, TICKET_MERGE)
    if ticket.merged_into_id is not None:
        raise Conflict(_("This ticket was merged into another one."), fields={"id": _("Already merged.")})
    thread = _thread_to_split(ticket, thread_id)
    status = status_lookup(None)
    if status is None:
        raise ValidationFailed(_("No default status is configured."), fields={"status": _("Cannot split.")})
    contact = (
        thread.author_contact if thread.author_contact and not thread.author_contact.merged_into_id else None
    )
    with transaction.atomic():
        at = change_time(source, None)
        new = Ticket(
            subject=(thread.subject or ticket.subject)[:255],
            description=thread.body_html,
            department_id=ticket.department_id,
            team_id=ticket.team_id,
            assignee_id=ticket.assignee_id,
            contact=contact or ticket.contact,
            account_id=ticket.account_id,
            brand_id=ticket.brand_id,
            status=status,
            priority_id=ticket.priority_id,
            type_id=ticket.type_id,
            channel=thread.channel or ticket.channel,
            language=ticket.language,
            split_from=ticket,
            created_at=at,
            updated_at=at,
        )
        number_ticket(new)  # the number format applies to a split-off ticket as to any new one
        new.save(force_insert=True)
        Thread.objects.filter(pk=thread.pk).update(ticket=new)
        attachments = list(Attachment.objects.filter(thread=thread).values_list("pk", "filename"))
        Attachment.objects.filter(thread=thread).update(ticket=new)
        with ticket_change(
            actor=actor, source=source, ticket=new, event_type=EventType.TICKET_CREATED, at=at, lock=False
        ) as change:
            state = initial_state(new, thread, [])
            state["split_from"] = {"id": ticket.pk, "number": ticket.number}
            state["attachments"] = [{"id": pk, "name": name} for pk, name in attachments]
            change.created(state)
        with ticket_change(
            actor=actor, source=source, ticket=ticket, event_type=EventType.TICKET_SPLIT
        ) as change:
            change.add("split", None, {"id": new.pk, "number": new.number, "thread_id": thread.pk})
            change.ticket.updated_at = change.at
            change.ticket.save(update_fields=["updated_at"])
    return new
