"""The rule engine: the one place where rules meet tickets.

:func:`run_rules` is the only entry point for event rules. The tickets app calls it (through the hook
registered in ``AppConfig.ready``) inside the transaction of every recorded change-set; it picks the
enabled workflow rules whose trigger fits the change, evaluates their criteria against the ticket as
it is now (``changed*`` conditions read the change itself), and applies the actions of each matching
rule in order, through the ticket services, with ``Actor.rule(id, name)``. Whatever a rule changes is a
change-set of its own, caused by this one, which runs the rules again — up to the hook's depth limit.

Time rules (``kefu.automation.time_rules``) apply their actions through :func:`apply_rule` too.

The enabled rules are loaded once per process and kept until a rule changes (the catalogue cache), and
grouped by trigger: a change no rule listens to costs one dictionary lookup.
"""

from __future__ import annotations

import enum
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from kefu.automation.actions import ActionContext, get_action
from kefu.automation.criteria import Facts, matches
from kefu.automation.models import RuleRun, TimeRule, Trigger, WorkflowRule
from kefu.core.actors import Actor
from kefu.core.catalog_cache import cached
from kefu.core.event_types import EventType
from kefu.tickets.models import Ticket
from kefu.tickets.rules import MAX_DEPTH, current_depth
from kefu.tickets.services.changes import RecordedChange

logger = logging.getLogger(__name__)


class Phase(enum.StrEnum):
    CHANGE = "change"
    """Workflow rules, synchronously inside the change's transaction."""
    TIME = "time"
    """Time rules, from the beat sweep."""


@dataclass(frozen=True)
class RuleSpec:
    """An enabled rule as the engine keeps it in memory (criteria and actions already cleaned)."""

    id: int
    name: str
    kind: str
    department_id: int | None
    criteria: dict[str, Any]
    actions: tuple[dict[str, Any], ...]
    order: int = 0
    trigger: str = ""
    trigger_fields: frozenset[str] = field(default_factory=frozenset)


def _change_key(api_name: str) -> str:
    """``assignee_id`` → ``assignee``: the API's field names as a change-set names them."""
    return api_name.removesuffix("_id") if api_name.endswith("_id") else api_name


def _load_workflow_rules() -> dict[str, tuple[RuleSpec, ...]]:
    by_trigger: dict[str, list[RuleSpec]] = defaultdict(list)
    for rule in WorkflowRule.objects.filter(enabled=True).order_by("order", "id"):
        by_trigger[rule.trigger].append(
            RuleSpec(
                id=rule.pk,
                name=rule.name,
                kind="workflow",
                department_id=rule.department_id,
                criteria=rule.criteria or {"all": []},
                actions=tuple(rule.actions or ()),
                order=rule.order,
                trigger=rule.trigger,
                trigger_fields=frozenset(_change_key(name) for name in rule.trigger_fields or ()),
            )
        )
    return {trigger: tuple(rules) for trigger, rules in by_trigger.items()}


def enabled_workflow_rules() -> dict[str, tuple[RuleSpec, ...]]:
    return cached(("automation.workflow_rules",), _load_workflow_rules)


def triggers_of(change: RecordedChange) -> set[str]:
    """The workflow triggers a change-set fires."""
    fired: set[str] = set()
    event = change.event_type
    changed = {entry.field for entry in change.changes}
    if event is EventType.TICKET_CREATED:
        return {Trigger.CREATED.value}
    if event is EventType.TICKET_UPDATED:
        fired.add(Trigger.UPDATED.value)
    elif event is EventType.TICKET_MESSAGE_RECEIVED:
        fired.add(Trigger.CUSTOMER_MESSAGE.value)
    elif event is EventType.TICKET_REPLIED:
        fired.add(Trigger.AGENT_REPLY.value)
    elif event is EventType.TICKET_COMMENTED:
        fired.add(Trigger.COMMENT.value)
    if "status" in changed:
        fired.add(Trigger.STATUS_CHANGED.value)
    if any(entry.field in ("assignee", "team") and entry.new is not None for entry in change.changes):
        fired.add(Trigger.ASSIGNED.value)
    return fired


def _candidates(change: RecordedChange) -> list[RuleSpec]:
    rules = enabled_workflow_rules()
    if not rules:
        return []
    fired = triggers_of(change)
    changed = {entry.field for entry in change.changes}
    found = [
        rule
        for trigger in fired
        for rule in rules.get(trigger, ())
        if not (rule.trigger == Trigger.UPDATED and rule.trigger_fields and not rule.trigger_fields & changed)
    ]
    if len(fired) > 1:
        # A rule listens to one trigger, so none is found twice; keep the administrators' order.
        found.sort(key=lambda rule: (rule.order, rule.id))
    return found


def wants_change(change: RecordedChange) -> bool:
    """Whether a workflow rule listens to what ``change`` did (from the cached rules: no query)."""
    return bool(_candidates(change))


def on_ticket_change(change: RecordedChange) -> None:
    """The hook the tickets app calls for the change-sets ``wants_change`` accepts."""
    run_rules(change, Phase.CHANGE)


def run_rules(change: RecordedChange, phase: Phase = Phase.CHANGE) -> None:
    """Apply the workflow rules that ``change`` triggers, in order, until one says ``stop``."""
    if phase is not Phase.CHANGE:
        raise ValueError(f"event rules run in the change phase, not {phase}")
    rules = _candidates(change)
    if not rules:
        return
    ticket = change.ticket
    facts = Facts(ticket, now=timezone.now())
    depth = current_depth()
    for rule in rules:
        if rule.department_id is not None and rule.department_id != ticket.department_id:
            continue
        if not matches(ticket, rule.criteria, change, facts=facts):
            continue
        result = apply_rule(rule, ticket, change_set=change.change_set, depth=depth)
        if result.ticket is not None:
            ticket = result.ticket
            facts = Facts(ticket, now=facts.now)
        if result.stop:
            break


def _reload(ticket: Ticket) -> Ticket:
    """The ticket as the last action left it. Only the status and priority come joined: an eleven-table
    join costs PostgreSQL several milliseconds to plan, more than the few related rows a rule reads."""
    return Ticket.objects.select_related("status", "priority").get(pk=ticket.pk)


@dataclass
class RuleResult:
    stop: bool = False
    outcome: str = RuleRun.Outcome.NO_CHANGE
    steps: list[dict[str, Any]] = field(default_factory=list)
    error: str = ""
    ticket: Ticket | None = None
    """The ticket as the rule's actions left it (re-read after each one), when they changed it."""

    @property
    def changed(self) -> bool:
        return self.ticket is not None


def rule_actor(rule: RuleSpec) -> Actor:
    return Actor.rule(rule.id, rule.name)


def apply_rule(rule: RuleSpec, ticket: Ticket, *, change_set: str = "", depth: int = 0) -> RuleResult:
    """Apply ``rule``'s actions to ``ticket`` (in a savepoint) and log the run.

    Each action is planned on the ticket as it is at that moment and applied only if it would change
    something; an error undoes this rule's actions alone and is logged with the run.
    """
    result = RuleResult()
    context = ActionContext(actor=rule_actor(rule))
    try:
        with transaction.atomic():
            for data in rule.actions:
                action = get_action(data.get("type", ""))
                if action is None:
                    raise ValueError(f"unknown action type {data.get('type')!r}")
                if action.stops:
                    result.stop = True
                    break
                steps = action.plan(ticket, data)
                if not steps:
                    continue
                action.apply(ticket, data, context)
                result.steps.extend({"type": action.type, **step} for step in steps)
                ticket = _reload(ticket)
                result.ticket = ticket
    except Exception as exc:  # a broken rule must not break the change that triggered it
        logger.exception("rule %s (%s) failed on ticket %s", rule.id, rule.kind, ticket.pk)
        result = RuleResult(stop=result.stop, outcome=RuleRun.Outcome.ERROR, error=_describe_error(exc))
    else:
        if result.changed:
            at_limit = rule.kind == "workflow" and depth >= MAX_DEPTH
            result.outcome = RuleRun.Outcome.DEPTH_LIMIT if at_limit else RuleRun.Outcome.APPLIED
    _log(rule, ticket, change_set=change_set, depth=depth, result=result)
    return result


def _describe_error(exc: Exception) -> str:
    fields = getattr(exc, "fields", None)
    message = str(getattr(exc, "message", "") or exc)
    if fields:
        message += " " + "; ".join(f"{key}: {value}" for key, value in fields.items())
    return message[:2000]


def _log(rule: RuleSpec, ticket: Ticket, *, change_set: str, depth: int, result: RuleResult) -> None:
    RuleRun.objects.create(
        workflow_rule_id=rule.id if rule.kind == "workflow" else None,
        time_rule_id=rule.id if rule.kind == "time" else None,
        ticket_id=ticket.pk,
        change_set=change_set,
        depth=depth,
        outcome=result.outcome,
        actions=_jsonable(result.steps),
        error=result.error,
        created_at=timezone.now(),
    )


def _jsonable(steps: list[dict[str, Any]]) -> list[dict[str, Any]]:
    def value(item: Any) -> Any:
        if hasattr(item, "isoformat"):
            return item.isoformat()
        if isinstance(item, list | tuple):
            return [value(part) for part in item]
        return item

    return [{key: value(item) for key, item in step.items()} for step in steps]


def time_rule_spec(rule: TimeRule) -> RuleSpec:
    return RuleSpec(
        id=rule.pk,
        name=rule.name,
        kind="time",
        department_id=rule.department_id,
        criteria=rule.criteria or {"all": []},
        actions=tuple(rule.actions or ()),
        order=rule.order,
    )
