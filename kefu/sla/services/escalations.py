"""The escalation sweep: breaches and escalation levels, found by an indexed query and claimed one by one.

Each running timer keeps ``check_at``, the next moment something is due for it: its breach (the due
date) or its next escalation level (due date + the level's offset). The sweep selects the timers whose
``check_at`` has come (``sla_timer_check_idx``), and for each one, in its own transaction,

1. locks the ticket (the order every ticket write takes: ticket, then its timers) and *claims* the timer
   with a conditional ``UPDATE … WHERE check_at = <what was read>`` — a second sweep that read the same
   row updates nothing and moves on (``select_for_update`` does nothing on SQLite; this works on both);
2. records a breach as a ticket event (``ticket.sla_breached``) when the due date passed unmet;
3. fires every level whose time has come, once per timer episode (``SlaEscalationFire``'s unique key):
   its actions come from the automation action registry and are applied through the ticket services
   with the SLA as actor; each firing is a ticket event (``ticket.sla_escalated``) naming what changed;
4. schedules the timer's next ``check_at``.

An action that raises undoes that level alone (a savepoint); the level still counts as fired and the
event names the error, so a broken action cannot fire again at every sweep.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from kefu.automation.actions import ActionContext, get_action
from kefu.core.actors import Actor, Source
from kefu.core.event_types import EventType
from kefu.sla.models import SlaEscalationFire, SlaTimer
from kefu.sla.selectors.policies import LevelSpec, PolicySpec, calendar_for, policy_spec
from kefu.sla.services.timers import SYSTEM, running, schedule
from kefu.tickets.models import Ticket
from kefu.tickets.services.sla import ticket_sla_record, ticket_sla_write

logger = logging.getLogger(__name__)

BATCH = 500


@dataclass
class SweepResult:
    checked: int = 0
    breached: int = 0
    escalated: int = 0


def escalations_sweep(*, now: dt.datetime | None = None, batch: int = BATCH) -> SweepResult:
    """Handle every timer whose ``check_at`` has come; return what happened."""
    now = now or timezone.now()
    result = SweepResult()
    seen: set[int] = set()
    while True:
        rows = list(
            SlaTimer.objects.filter(check_at__lte=now)
            .exclude(pk__in=seen)
            .order_by("check_at", "id")
            .values_list("pk", "ticket_id", "check_at")[:batch]
        )
        if not rows:
            return result
        for pk, ticket_id, check_at in rows:
            seen.add(pk)
            if check_at is not None:
                _check(pk, ticket_id, check_at, now, result)
        if len(rows) < batch:
            return result


def _lock_ticket(ticket_id: int) -> None:
    if connection.features.has_select_for_update:
        Ticket.objects.select_for_update().filter(pk=ticket_id).values_list("pk", flat=True).first()


def _check(pk: int, ticket_id: int, check_at: dt.datetime, now: dt.datetime, result: SweepResult) -> None:
    try:
        with transaction.atomic():
            _lock_ticket(ticket_id)
            if SlaTimer.objects.filter(pk=pk, check_at=check_at).update(check_at=None) != 1:
                return  # another sweep claimed it, or a ticket write moved it since we read it
            result.checked += 1
            _handle(pk, now, result)
    except Exception:
        logger.exception("SLA sweep failed on timer %s", pk)


def _load(pk: int) -> tuple[SlaTimer, Ticket]:
    timer = SlaTimer.objects.get(pk=pk)
    ticket = Ticket.objects.select_related("status", "priority").get(pk=timer.ticket_id)
    return timer, ticket


def _handle(pk: int, now: dt.datetime, result: SweepResult) -> None:
    timer, ticket = _load(pk)
    policy = policy_spec(timer.policy_id, ticket.department_id)
    if ticket.deleted_at is not None or policy is None or not running(timer) or timer.due_at is None:
        return
    actor = Actor.sla(policy.id, policy.name)
    if timer.breached_at is None and timer.due_at <= now:
        _breach(actor, timer, ticket)
        result.breached += 1
    levels = policy.levels.get(timer.target, ())
    fired = set(
        SlaEscalationFire.objects.filter(timer_id=timer.pk, episode=timer.episode).values_list(
            "escalation_id", flat=True
        )
    )
    episode = timer.episode
    while timer.next_level < len(levels) and running(timer) and timer.episode == episode:
        assert timer.due_at is not None
        level = levels[timer.next_level]
        if timer.due_at + dt.timedelta(minutes=level.offset_minutes) > now:
            break
        index = timer.next_level
        timer.next_level += 1
        SlaTimer.objects.filter(pk=timer.pk).update(next_level=timer.next_level)
        if level.id not in fired:
            SlaEscalationFire.objects.create(
                timer_id=timer.pk, episode=episode, escalation_id=level.id, fired_at=now
            )
            _escalate(actor, timer, ticket, level, index)
            result.escalated += 1
        timer, ticket = _load(pk)  # the actions may have changed both (a priority raised re-applies)
    _reschedule(timer, ticket)


def _breach(actor: Actor, timer: SlaTimer, ticket: Ticket) -> None:
    assert timer.due_at is not None
    timer.breached_at = timer.due_at
    SlaTimer.objects.filter(pk=timer.pk).update(breached_at=timer.due_at)
    state = dict(ticket.sla or {})
    if isinstance(state.get(timer.target), dict):
        state[timer.target] = {**state[timer.target], "breached": True}
        ticket_sla_write(actor=SYSTEM, ticket=ticket, values={"sla": state})
    ticket_sla_record(
        actor=actor,
        ticket=ticket,
        event_type=EventType.TICKET_SLA_BREACHED,
        details={"target": timer.target, "due_at": timer.due_at.isoformat(), "episode": timer.episode},
    )


def _escalate(actor: Actor, timer: SlaTimer, ticket: Ticket, level: LevelSpec, index: int) -> None:
    steps: list[dict[str, Any]] = []
    error = ""
    context = ActionContext(actor=actor, source=Source.SCHEDULER)
    try:
        with transaction.atomic():
            current = ticket
            for data in level.actions:
                action = get_action(str(data.get("type", "")))
                if action is None:
                    raise ValueError(f"unknown action type {data.get('type')!r}")
                if action.stops:  # "stop" ends the level's actions (there is no rule run to stop)
                    break
                planned = action.plan(current, data)
                if not planned:
                    continue
                action.apply(current, data, context)
                steps.extend({"type": action.type, **_jsonable(step)} for step in planned)
                current = Ticket.objects.select_related("status", "priority").get(pk=ticket.pk)
    except Exception as exc:
        logger.exception("SLA escalation %s failed on ticket %s", level.id, ticket.pk)
        steps, error = [], str(exc)[:500]
    details: dict[str, Any] = {
        "target": timer.target,
        "level": index + 1,
        "offset_minutes": level.offset_minutes,
        "episode": timer.episode,
        "actions": steps,
    }
    if error:
        details["error"] = error
    ticket_sla_record(actor=actor, ticket=ticket, event_type=EventType.TICKET_SLA_ESCALATED, details=details)


def _jsonable(step: dict[str, Any]) -> dict[str, Any]:
    return {key: value.isoformat() if hasattr(value, "isoformat") else value for key, value in step.items()}


def _reschedule(timer: SlaTimer, ticket: Ticket) -> None:
    policy: PolicySpec | None = policy_spec(timer.policy_id, ticket.department_id)
    clock = calendar_for(
        business=timer.business,
        calendar_id=policy.business_hours_id if policy else None,
        department_id=ticket.department_id,
    )
    schedule(timer, clock, policy)
    SlaTimer.objects.filter(pk=timer.pk).update(due_at=timer.due_at, check_at=timer.check_at)
