"""Handing out tickets by the department's assignment rules: the runner of the rule hook.

A new ticket (or one moved to another department) that nobody owns yet goes through its department's
enabled rules in order; the first rule whose criteria match decides:

- ``direct``: its team, or its one chosen agent;
- ``round_robin`` and ``skills``: the next candidate after whoever had the rule's last turn;
- ``load_balanced``: the candidate with the fewest open tickets, ties broken by that same turn order.

Candidates that are away or offline (when the rule says so) or already hold ``cap`` open tickets are
passed over; when nobody is left, the rule's fallback applies (a team, an agent, or no one and the
ticket is flagged with the tag :data:`UNASSIGNED_TAG`).

Concurrency: the decision reads and moves the rule's :class:`AssignmentPointer` under its row lock
(``SELECT … FOR UPDATE`` on PostgreSQL; SQLite serialises every writing transaction), and counts open
tickets only once it holds that lock, so two tickets created at once never get the same turn and a cap
is never exceeded. The lock is held until the creating transaction commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import connection, transaction

from kefu.automation.assignment.matching import first_matching
from kefu.automation.assignment.pool import Candidate, open_ticket_counts, rotated, rule_pool
from kefu.automation.models import AssignmentPointer, AssignmentRule
from kefu.core.actors import Actor, Source
from kefu.core.catalog_cache import cached
from kefu.core.event_types import EventType
from kefu.tickets.models import Ticket
from kefu.tickets.rules import rules_wrote
from kefu.tickets.services import ticket_tag, ticket_update

if TYPE_CHECKING:
    from kefu.tickets.services.changes import RecordedChange

UNASSIGNED_TAG = "待分配"
"""The tag of a ticket a rule matched but could not give to anyone (fallback "leave unassigned")."""


@dataclass(frozen=True)
class Decision:
    """What a rule decided for one ticket."""

    rule_id: int
    assignee_id: int | None = None
    team_id: int | None = None
    fallback: bool = False
    flagged: bool = False


def rule_actor(rule: AssignmentRule) -> Actor:
    return Actor.rule(rule.pk, rule.name)


def _pointer(rule: AssignmentRule) -> AssignmentPointer:
    """The rule's pointer row, locked until the transaction ends."""
    rows = AssignmentPointer.objects.filter(rule_id=rule.pk)
    if connection.features.has_select_for_update:
        rows = rows.select_for_update()
    pointer = rows.first()
    if pointer is None:
        AssignmentPointer.objects.get_or_create(rule_id=rule.pk)
        pointer = rows.get()
    return pointer


def _eligible(
    rule: AssignmentRule, pool: list[Candidate], exclude_user_id: int | None
) -> tuple[list[Candidate], dict[int, int]]:
    pool = [c for c in pool if c.user_id != exclude_user_id and (c.available or not rule.skip_unavailable)]
    counts = open_ticket_counts(c.user_id for c in pool)
    if rule.cap is not None:
        pool = [c for c in pool if counts[c.user_id] < rule.cap]
    return pool, counts


def _fallback(rule: AssignmentRule) -> Decision:
    if rule.fallback == AssignmentRule.Fallback.TEAM and rule.fallback_team_id:
        return Decision(rule.pk, team_id=rule.fallback_team_id, fallback=True)
    if rule.fallback == AssignmentRule.Fallback.AGENT and rule.fallback_agent_id:
        return Decision(rule.pk, assignee_id=rule.fallback_agent_id, fallback=True)
    return Decision(rule.pk, fallback=True, flagged=True)


def _choose(rule: AssignmentRule, last_user_id: int | None, exclude_user_id: int | None) -> Decision:
    """The decision for the next ticket when ``last_user_id`` had the last turn (no writes)."""
    eligible, counts = _eligible(rule, rule_pool(rule), exclude_user_id)
    if not eligible:
        return _fallback(rule)
    if rule.type == AssignmentRule.Type.DIRECT:
        return Decision(rule.pk, assignee_id=eligible[0].user_id)
    order = rotated(eligible, last_user_id)
    chosen = order[0]
    if rule.type == AssignmentRule.Type.LOAD_BALANCED:
        fewest = min(counts[c.user_id] for c in order)
        chosen = next(c for c in order if counts[c.user_id] == fewest)
    return Decision(rule.pk, assignee_id=chosen.user_id, team_id=rule.team_id)


def _direct_to_team(rule: AssignmentRule) -> Decision | None:
    if rule.type == AssignmentRule.Type.DIRECT and not rule.members.exists():
        return Decision(rule.pk, team_id=rule.team_id) if rule.team_id else _fallback(rule)
    return None


def decide(rule: AssignmentRule, *, exclude_user_id: int | None = None) -> Decision:
    """Who gets the next ticket of ``rule``; takes the turn. Call inside a transaction."""
    to_team = _direct_to_team(rule)
    if to_team is not None:
        return to_team
    pointer = _pointer(rule)
    decision = _choose(rule, pointer.last_user_id, exclude_user_id)
    if decision.assignee_id is not None and not decision.fallback:
        pointer.last_user_id = decision.assignee_id
        pointer.turns += 1
        pointer.save(update_fields=["last_user", "turns"])
    return decision


def preview(rule: AssignmentRule) -> Decision:
    """Who ``rule`` would choose now, without taking the turn (a dry run's plan)."""
    to_team = _direct_to_team(rule)
    if to_team is not None:
        return to_team
    pointer = AssignmentPointer.objects.filter(rule_id=rule.pk).first()
    return _choose(rule, pointer.last_user_id if pointer else None, None)


def apply_decision(
    rule: AssignmentRule,
    decision: Decision,
    ticket: Ticket,
    *,
    replace: bool = False,
    actor: Actor | None = None,
    source: Source = Source.AUTOMATION,
) -> Ticket:
    """Write ``decision`` through the ticket services, as the assignment rule (or ``actor``, a workflow rule
    whose action asked for it).

    ``replace`` also clears the current assignee when the decision names none (sharing tickets out).
    """
    actor = actor or rule_actor(rule)
    changes: dict[str, Any] = {}
    if decision.team_id is not None:
        changes["team_id"] = decision.team_id
    if decision.assignee_id is not None or decision.flagged or replace:
        changes["assignee_id"] = decision.assignee_id
    if changes:
        ticket = ticket_update(actor=actor, source=source, ticket=ticket, changes=changes)
    if decision.flagged:
        ticket = ticket_tag(actor=actor, source=source, ticket=ticket, add=[UNASSIGNED_TAG])
    return ticket


def assign_by_rule(
    rule: AssignmentRule,
    ticket: Ticket,
    *,
    exclude_user_id: int | None = None,
    actor: Actor | None = None,
    source: Source = Source.AUTOMATION,
) -> Decision:
    """Hand ``ticket`` out by one rule, whatever its criteria (the workflow action, the share-out)."""
    with transaction.atomic():
        decision = decide(rule, exclude_user_id=exclude_user_id)
        apply_decision(
            rule, decision, ticket, replace=exclude_user_id is not None, actor=actor, source=source
        )
    return decision


@dataclass(frozen=True)
class RuleSpec:
    """An enabled rule as the hook keeps it in memory: enough to match, loaded in full only when it does."""

    id: int
    criteria: dict[str, Any]


def _load_enabled() -> dict[int, tuple[RuleSpec, ...]]:
    by_department: dict[int, list[RuleSpec]] = {}
    rows = AssignmentRule.objects.filter(enabled=True).order_by("department_id", "order", "id")
    for pk, department_id, criteria in rows.values_list("pk", "department_id", "criteria"):
        by_department.setdefault(department_id, []).append(RuleSpec(pk, criteria or {}))
    return {department_id: tuple(specs) for department_id, specs in by_department.items()}


def enabled_rules() -> dict[int, tuple[RuleSpec, ...]]:
    """The enabled rules by department, from the per-process catalogue cache (a rule's save bumps it)."""
    return cached("automation.assignment_rules", _load_enabled)


def department_rules(department_id: int) -> tuple[RuleSpec, ...]:
    return enabled_rules().get(department_id, ())


def matching_rule(ticket: Ticket, rules: tuple[RuleSpec, ...] | list[RuleSpec]) -> AssignmentRule | None:
    """The first of ``rules`` that ``ticket`` matches, loaded with what deciding needs."""
    spec = first_matching(ticket, list(rules)) if rules else None
    if spec is None:
        return None
    return (
        AssignmentRule.objects.select_related("team", "fallback_team", "fallback_agent")
        .filter(pk=spec.id)
        .first()
    )


def assign_ticket(ticket: Ticket, *, exclude_user_id: int | None = None) -> Decision | None:
    """Hand ``ticket`` out by the first of its department's rules that matches; ``None`` when none does."""
    rule = matching_rule(ticket, department_rules(ticket.department_id))
    if rule is None:
        return None
    return assign_by_rule(rule, ticket, exclude_user_id=exclude_user_id)


def wants_change(change: RecordedChange) -> bool:
    """A new ticket, or one moved to another department, in a department with assignment rules (read from
    the catalogue cache: the usual case costs no query)."""
    if change.event_type != EventType.TICKET_CREATED and not (
        change.event_type == EventType.TICKET_UPDATED and "department" in change.fields
    ):
        return False
    return bool(department_rules(change.ticket.department_id))


def run_assignment_rules(change: RecordedChange) -> None:
    """The rule runner (for the changes ``wants_change`` accepts): hand the ticket to an agent unless
    somebody owns it already."""
    # A workflow rule that ran before may have assigned (or moved) the ticket: then re-read it.
    ticket = Ticket.objects.get(pk=change.ticket.pk) if rules_wrote() else change.ticket
    if ticket.assignee_id is not None or ticket.deleted_at is not None:
        return
    assign_ticket(ticket)
