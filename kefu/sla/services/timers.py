"""SLA timers: what every ticket change does to a ticket's response and resolution clocks.

:func:`on_ticket_change` is registered with the tickets app's rule hook (``SlaConfig.ready``) and so runs
inside the transaction of every recorded change-set. It

1. finds the policy that applies (the first enabled policy of the ticket's department whose criteria
   match; from the per-process catalogue, no query) and, when it changed or the ticket's priority or
   department changed, re-applies it: the targets of the ticket's priority replace the old ones and the
   time already spent counts against them (a timer keeps its start, so a ticket 50 minutes into a 4-hour
   target that becomes urgent with a 1-hour target has 10 minutes left);
2. moves the timers on the events that matter: the first agent reply meets the first response, every
   agent reply meets the running next response, a customer message (once the first response is met)
   starts a next response; a status of type *on hold* pauses every running timer and leaving it resumes
   them, moved by the paused *working* time; closing stops them (the resolution is met if closed in
   time) and reopening resumes them from where they stood;
3. writes the due dates, the policy and each target's state onto the ticket through the ticket services
   (``ticket_sla_write``), and the metrics reports read (``SlaMetrics``).

A change that concerns no timer (a tag, a comment, a field no policy reads) costs nothing: the ticket's
policy is re-matched in memory and found unchanged. A relevant change costs one read of the ticket's
timers and the writes of what changed.

A timer counts working minutes from ``started_at`` in its calendar; it is due when ``minutes +
paused_minutes`` of them have passed (``WorkingTime.due``). Pausing and stopping add the working time of
the pause to ``paused_minutes`` when it ends, which is the same as moving the due date by it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from kefu.automation.criteria import Facts, matches
from kefu.core.actors import Actor, ActorKind
from kefu.core.event_types import EventType
from kefu.sla.calendar import ALWAYS, NoWorkingTime, WorkingTime
from kefu.sla.models import SlaMetrics, SlaTimer, Target
from kefu.sla.selectors.policies import TARGETS, PolicySpec, TargetSpec, calendar_for, enabled_policies
from kefu.tickets.models import StatusType, Ticket
from kefu.tickets.rules import rules_wrote
from kefu.tickets.services.changes import RecordedChange
from kefu.tickets.services.sla import SLA_EVENTS, ticket_sla_write

SYSTEM = Actor.system()
_REPLY_ACTORS = frozenset({ActorKind.AGENT, ActorKind.RULE, ActorKind.BLUEPRINT, ActorKind.SLA})
_RELEVANT_EVENTS = frozenset(
    {
        EventType.TICKET_CREATED,
        EventType.TICKET_UPDATED,
        EventType.TICKET_REPLIED,
        EventType.TICKET_MESSAGE_RECEIVED,
    }
)


# --- the clock ----------------------------------------------------------------------------------------


def _due(clock: WorkingTime, start: dt.datetime, minutes: float) -> dt.datetime:
    try:
        due = clock.due(start, max(minutes, 0.0))
    except NoWorkingTime:  # a calendar without any working time left: count around the clock
        due = ALWAYS.due(start, max(minutes, 0.0))
    return due.astimezone(dt.UTC)  # stored UTC, as every time is


def spent(timer: SlaTimer, clock: WorkingTime, at: dt.datetime) -> float:
    """Working minutes the target has used up at ``at`` (pauses left out)."""
    end = timer.stopped_at or timer.paused_at or at
    return max(clock.elapsed(timer.started_at, min(end, at)) - timer.paused_minutes, 0.0)


def running(timer: SlaTimer) -> bool:
    return timer.met is None and timer.paused_at is None and timer.stopped_at is None


@dataclass
class _Context:
    ticket: Ticket
    policy: PolicySpec | None
    at: dt.datetime
    clocks: dict[tuple[bool, int | None], WorkingTime]

    def clock(self, business: bool) -> WorkingTime:
        calendar_id = self.policy.business_hours_id if self.policy else None
        key = (business, calendar_id)
        if key not in self.clocks:
            self.clocks[key] = calendar_for(
                business=business, calendar_id=calendar_id, department_id=self.ticket.department_id
            )
        return self.clocks[key]


# --- policy matching ------------------------------------------------------------------------------------


def matching_policy(ticket: Ticket, *, now: dt.datetime) -> PolicySpec | None:
    policies = enabled_policies(ticket.department_id)
    if not policies:
        return None
    facts = Facts(ticket, now=now)
    for policy in policies:
        if policy.target_for(ticket.priority_id) is None:
            continue
        if matches(ticket, policy.criteria, facts=facts):
            return policy
    return None


# --- the hook -------------------------------------------------------------------------------------------


def wants_change(change: RecordedChange) -> bool:
    """Whether the runner could touch a timer for ``change``: without a query, so that a help desk with
    no SLA policy for the ticket pays nothing, not even the runner's savepoint."""
    event = change.event_type
    if event in SLA_EVENTS or event not in _RELEVANT_EVENTS or change.ticket.deleted_at is not None:
        return False
    return change.ticket.sla_policy_id is not None or bool(enabled_policies(change.ticket.department_id))


def on_ticket_change(change: RecordedChange) -> None:
    """The SLA rule runner (registered for the changes ``wants_change`` accepts)."""
    event = change.event_type
    ticket = change.ticket
    created = event is EventType.TICKET_CREATED
    fields = set(change.fields)
    policy = matching_policy(ticket, now=change.at)
    if policy is None and ticket.sla_policy_id is None:
        return
    reapply = created or (policy.id if policy else None) != ticket.sla_policy_id
    reapply = reapply or bool(fields & {"priority", "department"})
    status_moved = "status" in fields
    replied = event is EventType.TICKET_REPLIED and change.actor.kind in _REPLY_ACTORS
    received = event is EventType.TICKET_MESSAGE_RECEIVED
    if not (reapply or status_moved or replied or received):
        return
    if rules_wrote():  # a rule changed the ticket since this change-set: work on the current row
        ticket = Ticket.objects.select_related("status", "priority").get(pk=ticket.pk)
        policy = matching_policy(ticket, now=change.at)
    context = _Context(ticket=ticket, policy=policy, at=change.at, clocks={})
    fresh = created and not rules_wrote()  # nothing can have started a timer yet
    timers = {} if fresh else {timer.target: timer for timer in SlaTimer.objects.filter(ticket_id=ticket.pk)}
    touched: set[str] = set()
    metrics = _Metrics(ticket, fresh=fresh)
    if status_moved:
        old_type = _status_type(change)
        _move_status(context, timers, old_type, ticket.status.status_type, touched, metrics)
    if reapply:
        _apply_policy(context, timers, touched)
    if replied:
        _agent_replied(context, timers, touched, metrics, first="first_responded_at" in fields)
    if received:
        _customer_wrote(context, timers, touched)
    _save(context, timers, touched, metrics)


def _status_type(change: RecordedChange) -> str | None:
    for entry in change.changes:
        if entry.field == "status" and isinstance(entry.old, dict):
            return str(entry.old.get("type") or "")
    return None


# --- what changes do to timers ----------------------------------------------------------------------------


def _apply_policy(context: _Context, timers: dict[str, SlaTimer], touched: set[str]) -> None:
    ticket, policy = context.ticket, context.policy
    spec: TargetSpec | None = policy.target_for(ticket.priority_id) if policy else None
    for target in TARGETS:
        minutes = spec.minutes(target) if spec else None
        timer = timers.get(target)
        if minutes is None:
            if timer is not None and timer.met is None:
                if timer.pk:
                    SlaTimer.objects.filter(pk=timer.pk).delete()
                del timers[target]
                touched.add(target)
            continue
        assert spec is not None
        assert policy is not None
        if timer is None:
            timer = _new_timer(context, target, minutes, spec.business)
            if timer is None:
                continue
            timers[target] = timer
        elif timer.met is None:
            same_policy = timer.policy_id == policy.id
            timer.minutes, timer.business = minutes, spec.business
            timer.policy_id = policy.id
            if not same_policy:
                timer.next_level = 0
        touched.add(target)


def _new_timer(context: _Context, target: str, minutes: float, business: bool) -> SlaTimer | None:
    """A timer the policy now asks for: first response and resolution count from the ticket's creation
    (time already spent counts), a next response only starts with a customer message."""
    ticket = context.ticket
    if target == Target.NEXT_RESPONSE:
        return None
    if target == Target.FIRST_RESPONSE and ticket.first_responded_at is not None:
        return None
    assert context.policy is not None
    timer = SlaTimer(
        ticket_id=ticket.pk,
        target=target,
        policy_id=context.policy.id,
        minutes=minutes,
        business=business,
        started_at=ticket.created_at,
    )
    status_type = ticket.status.status_type
    if status_type == StatusType.ON_HOLD:
        timer.paused_at = context.at
    elif status_type == StatusType.CLOSED:
        timer.stopped_at = ticket.closed_at or context.at
    return timer


def _move_status(
    context: _Context,
    timers: dict[str, SlaTimer],
    old: str | None,
    new: str,
    touched: set[str],
    metrics: _Metrics,
) -> None:
    at = context.at
    if old == new:
        return
    if old == StatusType.ON_HOLD:
        metrics.hold_ended(context, at)
    if new == StatusType.ON_HOLD:
        metrics.hold_started(at)
    for target, timer in timers.items():
        if old == StatusType.CLOSED and target == Target.RESOLUTION and timer.met_at == timer.stopped_at:
            # Reopened: the resolution met by the closing runs again from where it stood.
            timer.met = timer.met_at = None
        if timer.met is not None:
            continue
        clock = context.clock(timer.business)
        # Leaving on hold or closed: the pause ends, its working time moves the due date.
        if old in (StatusType.ON_HOLD, StatusType.CLOSED) and (timer.paused_at or timer.stopped_at):
            since = timer.stopped_at or timer.paused_at
            assert since is not None
            timer.paused_minutes += clock.elapsed(since, at)
            timer.paused_at = timer.stopped_at = None
        if new == StatusType.ON_HOLD:
            timer.paused_at = at
        elif new == StatusType.CLOSED:
            timer.stopped_at = at
            if target == Target.RESOLUTION:
                _meet(timer, clock, at)
                metrics.resolved(context, timer, clock, at)
        touched.add(target)


def _meet(timer: SlaTimer, clock: WorkingTime, at: dt.datetime) -> None:
    used = spent(timer, clock, at)
    timer.met = used <= timer.minutes + 1e-9
    timer.met_at = at
    if not timer.met and timer.breached_at is None:
        timer.breached_at = _due(clock, timer.started_at, timer.minutes + timer.paused_minutes)


def _agent_replied(
    context: _Context, timers: dict[str, SlaTimer], touched: set[str], metrics: _Metrics, *, first: bool
) -> None:
    at = context.at
    first_timer = timers.get(Target.FIRST_RESPONSE)
    if first and first_timer is not None and first_timer.met is None:
        clock = context.clock(first_timer.business)
        _meet(first_timer, clock, at)
        metrics.responded(context, first_timer, clock, at)
        touched.add(Target.FIRST_RESPONSE)
    elif first:
        metrics.responded(context, None, None, at)
    next_timer = timers.get(Target.NEXT_RESPONSE)
    if next_timer is not None and next_timer.met is None:
        _meet(next_timer, context.clock(next_timer.business), at)
        metrics.next_response(next_timer)
        touched.add(Target.NEXT_RESPONSE)


def _customer_wrote(context: _Context, timers: dict[str, SlaTimer], touched: set[str]) -> None:
    """A customer message starts the next response, unless one is already running (the clock counts from
    the first unanswered message) or the first response is still awaited."""
    ticket, policy = context.ticket, context.policy
    spec = policy.target_for(ticket.priority_id) if policy else None
    minutes = spec.next_response if spec else None
    if minutes is None or ticket.first_responded_at is None:
        return
    assert policy is not None
    assert spec is not None
    timer = timers.get(Target.NEXT_RESPONSE)
    if timer is not None and timer.met is None:
        return
    if timer is None:
        timer = SlaTimer(ticket_id=ticket.pk, target=Target.NEXT_RESPONSE, episode=0)
        timers[Target.NEXT_RESPONSE] = timer
    timer.episode += 1
    timer.policy_id = policy.id
    timer.minutes, timer.business = minutes, spec.business
    timer.started_at, timer.paused_minutes = context.at, 0.0
    timer.paused_at = context.at if ticket.status.status_type == StatusType.ON_HOLD else None
    timer.stopped_at = timer.met = timer.met_at = timer.breached_at = None
    timer.next_level = 0
    touched.add(Target.NEXT_RESPONSE)


# --- writing ----------------------------------------------------------------------------------------------


def schedule(timer: SlaTimer, clock: WorkingTime, policy: PolicySpec | None) -> None:
    """Set ``due_at`` and ``check_at`` (the sweep's next look: the breach, or the next level)."""
    if not running(timer):
        timer.due_at = None if timer.met is None else timer.due_at
        timer.check_at = None
        return
    timer.due_at = _due(clock, timer.started_at, timer.minutes + timer.paused_minutes)
    moments = []
    if timer.breached_at is None:
        moments.append(timer.due_at)
    levels = policy.levels.get(timer.target, ()) if policy else ()
    if timer.next_level < len(levels):
        moments.append(timer.due_at + dt.timedelta(minutes=levels[timer.next_level].offset_minutes))
    timer.check_at = min(moments) if moments else None


def ticket_state(ticket: Ticket, timers: dict[str, SlaTimer], policy: PolicySpec | None) -> dict[str, Any]:
    """The ticket's SLA columns for ``timers``: due dates, paused flag and the per-target state."""
    values: dict[str, Any] = {f"{target}_due_at": None for target in TARGETS}
    state: dict[str, Any] = {}
    paused = ticket.status.status_type == StatusType.ON_HOLD and any(
        timer.met is None for timer in timers.values()
    )
    for target in TARGETS:
        timer = timers.get(target)
        if timer is None:
            continue
        # The columns hold what is running (the Overdue view reads them); the state keeps a met target's
        # due date too.
        due = timer.due_at if running(timer) else None
        values[f"{target}_due_at"] = due
        shown = timer.due_at if timer.met is not None else due
        state[target] = {
            "due_at": shown.isoformat() if shown else None,
            "met": timer.met,
            "breached": timer.breached_at is not None,
            "business": timer.business,
            "minutes": timer.minutes,
        }
    if state and policy is not None:
        state["calendar_id"] = policy.business_hours_id
    if not state:
        policy = None
    values.update(sla_policy_id=policy.id if policy else None, sla_paused=paused, sla=state)
    return values


def _save(context: _Context, timers: dict[str, SlaTimer], touched: set[str], metrics: _Metrics) -> None:
    policy = context.policy
    new: list[SlaTimer] = []
    for target in touched:
        timer = timers.get(target)
        if timer is None:
            continue
        schedule(timer, context.clock(timer.business), policy)
        if timer.pk is None:
            new.append(timer)
        else:
            timer.save()
    if new:
        SlaTimer.objects.bulk_create(new)  # a new ticket's timers: one statement
    values = ticket_state(context.ticket, timers, policy)
    ticket_sla_write(actor=SYSTEM, ticket=context.ticket, values=values)
    metrics.save(policy)


# --- metrics ----------------------------------------------------------------------------------------------


class _Metrics:
    """The ticket's ``SlaMetrics`` row, read only when a change touches it."""

    def __init__(self, ticket: Ticket, *, fresh: bool) -> None:
        self.ticket = ticket
        self._row: SlaMetrics | None = SlaMetrics(ticket_id=ticket.pk) if fresh else None
        self._insert = fresh
        self.dirty = False

    @property
    def row(self) -> SlaMetrics:
        if self._row is None:
            self._row = SlaMetrics.objects.filter(ticket_id=self.ticket.pk).first()
            if self._row is None:
                self._row, self._insert = SlaMetrics(ticket_id=self.ticket.pk), True
        self.dirty = True
        return self._row

    def hold_started(self, at: dt.datetime) -> None:
        self.row.on_hold_since = at

    def hold_ended(self, context: _Context, at: dt.datetime) -> None:
        row = self.row
        if row.on_hold_since is None:
            return
        row.on_hold_minutes += (at - row.on_hold_since).total_seconds() / 60
        row.on_hold_business_minutes += context.clock(True).elapsed(row.on_hold_since, at)
        row.on_hold_since = None

    def responded(
        self, context: _Context, timer: SlaTimer | None, clock: WorkingTime | None, at: dt.datetime
    ) -> None:
        row = self.row
        row.first_response_calendar_minutes = (at - self.ticket.created_at).total_seconds() / 60
        if timer is not None and clock is not None:
            row.first_response_business_minutes = spent(timer, clock, at)
            row.first_response_met = timer.met
        else:
            row.first_response_business_minutes = _business_since_creation(context, at, row)

    def resolved(self, context: _Context, timer: SlaTimer, clock: WorkingTime, at: dt.datetime) -> None:
        row = self.row
        row.resolution_calendar_minutes = (at - self.ticket.created_at).total_seconds() / 60
        row.resolution_business_minutes = spent(timer, clock, at)
        row.resolution_met = timer.met

    def next_response(self, timer: SlaTimer) -> None:
        row = self.row
        if timer.met:
            row.next_responses_met += 1
        else:
            row.next_responses_breached += 1

    def save(self, policy: PolicySpec | None) -> None:
        """Written only when something was measured (a new ticket costs no metrics row yet)."""
        if self.dirty and self._row is not None:
            if policy is not None:
                self._row.policy_id = policy.id
            self._row.save(force_insert=self._insert)
            self._insert = False


def _business_since_creation(context: _Context, at: dt.datetime, row: SlaMetrics) -> float:
    clock = context.clock(True)
    return max(clock.elapsed(context.ticket.created_at, at) - row.on_hold_business_minutes, 0.0)
