"""Writing the SLA state onto a ticket: the one door the SLA app uses (it never saves tickets itself).

``ticket_sla_write`` stores derived values (due dates, the policy, the pause flag, the per-target state)
with one ``UPDATE`` and no change-set: they are computed from changes that are already recorded, and
logging them would double every write's history. What *happens* to a ticket because of an SLA — a target
breached, an escalation level fired — is recorded with ``ticket_sla_record``: a change-set of its own
(ticket events, audit entry, outbox event, the rule hook), like every other change.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from kefu.core.actors import Actor, ActorKind, Source
from kefu.core.errors import PermissionDenied, ValidationFailed
from kefu.core.event_types import EventType
from kefu.tickets.models import Ticket
from kefu.tickets.services.changes import ticket_change
from kefu.tickets.sla import SLA_COLUMNS

_SLA_ACTORS = frozenset({ActorKind.SLA, ActorKind.SYSTEM})
SLA_EVENTS = frozenset({EventType.TICKET_SLA_BREACHED, EventType.TICKET_SLA_ESCALATED})


def _authorize(actor: Actor) -> None:
    if actor.kind not in _SLA_ACTORS:
        raise PermissionDenied(_("You do not have permission to do this."))


def ticket_sla_write(*, actor: Actor, ticket: Ticket, values: Mapping[str, Any]) -> Ticket:
    """Store ``values`` (SLA columns only) on ``ticket`` and on the given object; nothing else changes."""
    _authorize(actor)
    unknown = sorted(set(values) - SLA_COLUMNS)
    if unknown:
        raise ValidationFailed(_("Unknown fields."), fields={name: _("Unknown field.") for name in unknown})
    changed = {name: value for name, value in values.items() if getattr(ticket, name) != value}
    if changed:
        Ticket.objects.filter(pk=ticket.pk).update(**changed)
        for name, value in changed.items():
            setattr(ticket, name, value)
    return ticket


def ticket_sla_record(
    *, actor: Actor, ticket: Ticket, event_type: EventType, details: Mapping[str, Any]
) -> Ticket:
    """Record that a target was breached or an escalation fired: one change-set with field ``sla``."""
    _authorize(actor)
    if event_type not in SLA_EVENTS:
        raise ValidationFailed(_("Unknown event."), fields={"event_type": _("Unknown event.")})
    with ticket_change(
        actor=actor, source=Source.SCHEDULER, ticket=ticket, event_type=event_type, always=True
    ) as change:
        change.add("sla", None, dict(details))
        change.extra.update(sla=dict(details))
    return change.ticket
