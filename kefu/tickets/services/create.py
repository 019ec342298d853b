"""Opening a ticket, from any channel."""

from __future__ import annotations

from dataclasses import asdict

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kefu.contacts.services import contact_get_or_create_by_email
from kefu.core.actors import Actor, Source
from kefu.core.errors import ValidationFailed
from kefu.core.events import publish
from kefu.org import permissions
from kefu.org.selectors import agent_access
from kefu.tickets.inputs import TicketCreateInput
from kefu.tickets.models import Ticket
from kefu.tickets.services.authorization import authorize, authorize_parent
from kefu.tickets.services.fields import clean_ticket_fields
from kefu.tickets.services.history import Change, record_changes, snapshot
from kefu.tickets.services.numbering import next_ticket_number

_CREATE_FIELDS = (
    "subject", "description", "department_id", "status", "priority", "channel", "assignee_id", "team_id",
    "account_id", "brand_id", "parent_id", "category", "sub_category", "product", "language", "tags",
    "custom_fields", "first_response_due_at", "resolution_due_at",
)  # fmt: skip


def _resolve_contact(actor: Actor, source: Source, data: TicketCreateInput) -> int | None:
    if data.contact.contact_id is not None:
        return data.contact.contact_id
    if data.contact.email:
        return contact_get_or_create_by_email(
            actor=actor, source=source, email=data.contact.email, name=data.contact.name
        ).pk
    raise ValidationFailed(
        _("The ticket is not valid."), fields={"contact_id": _("Give contact_id or contact.email.")}
    )


def ticket_create(*, actor: Actor, source: Source, data: TicketCreateInput) -> Ticket:
    """Validate, number and store a new ticket, log its creation, and announce it after commit."""
    authorize(actor, None, permissions.TICKET_CREATE)
    if actor.is_agent and not agent_access(actor.user).can_see_department(data.department_id):
        raise ValidationFailed(
            _("The ticket is not valid."), fields={"department_id": _("You do not work in this department.")}
        )
    raw = {name: value for name, value in asdict(data).items() if name in _CREATE_FIELDS}
    if data.assignee_id is not None or data.team_id is not None:
        authorize(actor, None, permissions.TICKET_ASSIGN)
    with transaction.atomic():
        raw["contact_id"] = _resolve_contact(actor, source, data)
        cleaned = clean_ticket_fields(None, raw)
        authorize_parent(actor, cleaned.get("parent"))
        tags = cleaned.pop("tags", [])
        now = timezone.now()
        created_at = data.created_at if (source is Source.IMPORT and data.created_at) else now
        if cleaned.get("account") is None and cleaned["contact"].account_id:
            cleaned["account_id"] = cleaned["contact"].account_id
            cleaned.pop("account", None)
        ticket = Ticket(number=next_ticket_number(), created_at=created_at, updated_at=created_at, **cleaned)
        if ticket.status.status_type == "closed":
            ticket.closed_at = created_at
        ticket.save(force_insert=True)
        if tags:
            ticket.tags.set(tags)
        changes = [Change("created", new={"number": ticket.number, "subject": ticket.subject})]
        if ticket.assignee_id:
            changes.append(Change("assigned", "assignee", None, snapshot(ticket.assignee)))
        record_changes(ticket=ticket, actor=actor, source=source, changes=changes, at=created_at)
        publish("ticket.created", ticket_id=ticket.pk, actor_kind=actor.kind.value, source=source.value)
    return ticket
