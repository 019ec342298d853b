"""Logging time on tickets: manual entries, and a start/stop timer that writes one when stopped.

Who may: an agent who can see a ticket logs their own time on it and edits or deletes their own
entries; administrators (``settings.manage``) log, edit and delete anyone's. The system actor (imports,
the demo) may log for any agent. Every other kind of actor is refused. Another department's ticket is
unknown (404), as everywhere.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kefu.core.actors import Actor, ActorKind, Source
from kefu.core.audit import audit_record
from kefu.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from kefu.core.ids import is_storable_id
from kefu.org import permissions
from kefu.org.models import User
from kefu.org.selectors import active_user_get, agent_access, agent_time_zone
from kefu.tickets.selectors import ticket_visible, ticket_with_contact
from kefu.timetracking.inputs import TimeEntryInput
from kefu.timetracking.models import RunningTimer, TimeEntry

MAX_MINUTES = 24 * 60
NOTE_LIMIT = 1000
_ALLOWED = frozenset({ActorKind.AGENT, ActorKind.SYSTEM})
_FIELDS = ("minutes", "date", "billable", "note", "agent_id")


def _check_actor(actor: Actor) -> None:
    if actor.kind not in _ALLOWED:
        raise PermissionDenied(_("Only agents can log time."))


def _is_admin(actor: Actor) -> bool:
    return actor.kind is ActorKind.SYSTEM or agent_access(actor.user).can(permissions.SETTINGS_MANAGE)


def _ticket(actor: Actor, ticket_id: int) -> Any:
    if not is_storable_id(ticket_id):
        raise NotFound(_("No such ticket."))
    ticket = ticket_visible(actor.user, ticket_id) if actor.is_agent else ticket_with_contact(ticket_id)
    if ticket is None:
        raise NotFound(_("No such ticket."))
    return ticket


def local_today(user: User | None) -> dt.date:
    """Today in the agent's time zone (else the installation's)."""
    zone = (agent_time_zone(user) if user is not None else None) or settings.TIME_ZONE
    return timezone.now().astimezone(ZoneInfo(zone)).date()


def _clean(actor: Actor, ticket_id: int, values: Mapping[str, Any], *, owner: User | None) -> dict[str, Any]:
    """Check every field at once; a ValidationFailed names all the bad ones."""
    errors: dict[str, str] = {}
    cleaned: dict[str, Any] = {}
    if "minutes" in values:
        minutes = values["minutes"]
        if isinstance(minutes, bool) or not isinstance(minutes, int) or not 1 <= minutes <= MAX_MINUTES:
            errors["minutes"] = _("Enter a whole number of minutes from 1 to %(limit)d.") % {
                "limit": MAX_MINUTES
            }
        else:
            cleaned["minutes"] = minutes
    if "billable" in values:
        if not isinstance(values["billable"], bool):
            errors["billable"] = _("Choose yes or no.")
        else:
            cleaned["billable"] = values["billable"]
    if "note" in values:
        note = values["note"] if values["note"] is not None else ""
        if not isinstance(note, str):
            errors["note"] = _("Enter text.")
        elif len(note) > NOTE_LIMIT:
            errors["note"] = _("Enter at most %(limit)d characters.") % {"limit": NOTE_LIMIT}
        else:
            cleaned["note"] = note.strip()
    agent: User | None = owner
    if values.get("agent_id") is not None:
        agent_id = values["agent_id"]
        agent = active_user_get(agent_id) if is_storable_id(agent_id) else None
        if agent is None or not agent_access(agent).is_agent:
            errors["agent_id"] = _("Unknown agent.")
            agent = None
        elif actor.kind is ActorKind.AGENT and agent.pk != actor.id and not _is_admin(actor):
            raise PermissionDenied(
                _("You can log only your own time."),
                fields={"agent_id": _("Only administrators can log time for others.")},
            )
        elif ticket_visible(agent, ticket_id) is None:
            errors["agent_id"] = _("This agent cannot see the ticket.")
        else:
            cleaned["agent"] = agent
    if "date" in values:
        date = values["date"]
        if not isinstance(date, dt.date) or isinstance(date, dt.datetime):
            errors["date"] = _("Enter a date.")
        elif date > local_today(agent or actor.user):
            errors["date"] = _("The date cannot be in the future.")
        else:
            cleaned["date"] = date
    if errors:
        raise ValidationFailed(_("The time entry is not valid."), fields=errors)
    return cleaned


def time_entry_create(*, actor: Actor, source: Source, ticket_id: int, data: TimeEntryInput) -> TimeEntry:
    _check_actor(actor)
    ticket = _ticket(actor, ticket_id)
    values: dict[str, Any] = {"minutes": data.minutes, "billable": data.billable, "note": data.note}
    if data.date is not None:
        values["date"] = data.date
    if data.agent_id is not None:
        values["agent_id"] = data.agent_id
    elif not actor.is_agent:
        raise ValidationFailed(
            _("The time entry is not valid."), fields={"agent_id": _("This field is required.")}
        )
    cleaned = _clean(actor, ticket.pk, values, owner=None)
    agent = cleaned.pop("agent", actor.user)
    cleaned.setdefault("date", local_today(agent))
    with transaction.atomic():
        entry = TimeEntry.objects.create(ticket_id=ticket.pk, agent=agent, **cleaned)
        audit_record(
            actor=actor,
            source=source,
            action="time_entry.created",
            obj=entry,
            changes={"ticket_id": ticket.pk, "agent_id": agent.pk, "minutes": entry.minutes},
        )
    return entry


def _may_change(actor: Actor, entry: TimeEntry) -> None:
    if actor.kind is ActorKind.AGENT and entry.agent_id != actor.id and not _is_admin(actor):
        raise PermissionDenied(_("You can change only your own time entries."))


def time_entry_update(
    *, actor: Actor, source: Source, entry: TimeEntry, changes: Mapping[str, Any]
) -> TimeEntry:
    _check_actor(actor)
    _ticket(actor, entry.ticket_id)
    _may_change(actor, entry)
    unknown = sorted(set(changes) - set(_FIELDS))
    if unknown:
        raise ValidationFailed(
            _("The time entry is not valid."), fields={name: _("Unknown field.") for name in unknown}
        )
    cleaned = _clean(actor, entry.ticket_id, changes, owner=entry.agent)
    if not cleaned:
        return entry
    old = {field: getattr(entry, field) for field in ("minutes", "date", "billable", "note", "agent_id")}
    with transaction.atomic():
        for field, value in cleaned.items():
            setattr(entry, field, value)
        entry.save()
        new = {field: getattr(entry, field) for field in old}
        audit_record(
            actor=actor,
            source=source,
            action="time_entry.updated",
            obj=entry,
            changes={field: [str(old[field]), str(new[field])] for field in old if old[field] != new[field]},
        )
    return entry


def time_entry_delete(*, actor: Actor, source: Source, entry: TimeEntry) -> None:
    _check_actor(actor)
    _ticket(actor, entry.ticket_id)
    _may_change(actor, entry)
    with transaction.atomic():
        audit_record(
            actor=actor,
            source=source,
            action="time_entry.deleted",
            obj=entry,
            changes={"ticket_id": entry.ticket_id, "agent_id": entry.agent_id, "minutes": entry.minutes},
        )
        entry.delete()


def _elapsed_minutes(started_at: dt.datetime) -> int:
    """Whole minutes since ``started_at``, rounded up, at least 1 and at most a day."""
    seconds = (timezone.now() - started_at).total_seconds()
    return min(MAX_MINUTES, max(1, math.ceil(seconds / 60)))


def _log_timer(actor: Actor, source: Source, timer: RunningTimer) -> TimeEntry | None:
    """Claim the timer by deleting its row and log its time; None if another request claimed it first
    (a double click on "Stop" logs the time once)."""
    if RunningTimer.objects.filter(pk=timer.pk).delete()[0] != 1:
        return None
    agent = timer.agent
    zone = ZoneInfo(agent_time_zone(agent) or settings.TIME_ZONE)
    entry = TimeEntry.objects.create(
        ticket_id=timer.ticket_id,
        agent=agent,
        minutes=_elapsed_minutes(timer.started_at),
        date=timer.started_at.astimezone(zone).date(),
        billable=True,
        from_timer=True,
    )
    audit_record(
        actor=actor,
        source=source,
        action="time_entry.created",
        obj=entry,
        changes={
            "ticket_id": entry.ticket_id,
            "agent_id": agent.pk,
            "minutes": entry.minutes,
            "timer": True,
        },
    )
    return entry


def timer_start(*, actor: Actor, source: Source, ticket_id: int) -> RunningTimer:
    """Start the agent's timer on the ticket. A timer running on another ticket is stopped first (its
    time is logged there), so an agent never has two; on the same ticket it keeps running."""
    if not actor.is_agent:
        raise PermissionDenied(_("Only agents can run a timer."))
    ticket = _ticket(actor, ticket_id)
    try:
        with transaction.atomic():
            current = RunningTimer.objects.select_related("agent").filter(agent_id=actor.id).first()
            if current is not None and current.ticket_id == ticket.pk:
                return current
            if current is not None:
                _log_timer(actor, source, current)
            timer = RunningTimer.objects.create(
                agent=actor.user, ticket_id=ticket.pk, started_at=timezone.now()
            )
            audit_record(
                actor=actor,
                source=source,
                action="timer.started",
                obj=timer,
                changes={"ticket_id": ticket.pk},
            )
    except IntegrityError as exc:
        raise Conflict(_("Your timer was started elsewhere at the same moment. Try again.")) from exc
    return timer


def timer_stop(*, actor: Actor, source: Source) -> TimeEntry | None:
    """Stop the agent's running timer and log its time; None when no timer was running."""
    if not actor.is_agent:
        raise PermissionDenied(_("Only agents can run a timer."))
    with transaction.atomic():
        timer = RunningTimer.objects.select_related("agent").filter(agent_id=actor.id).first()
        if timer is None:
            return None
        return _log_timer(actor, source, timer)
