"""The time-rule sweep: each enabled time rule over the tickets its compiled query selects, once per episode.

An *episode* is the stretch of time during which a rule's conditions hold for a ticket. Each sweep:

1. ends the open episodes of tickets the query no longer selects (the condition became false);
2. opens an episode for each selected ticket that has none (at most one open episode per rule and
   ticket: a partial unique constraint, so two sweeps racing insert it once);
3. fires each open, unfired episode: a conditional ``UPDATE … SET fired_at WHERE fired_at IS NULL``
   claims it (``num_updated == 1``; this works on SQLite too, where ``select_for_update`` does nothing),
   and only the worker that claimed it applies the rule's actions, through the services, as the rule.

So "waiting for the customer for 72 hours → close" acts once per ticket, and acts again only after the
ticket stopped waiting and started again.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from kefu.automation.criteria import compile_q, matches
from kefu.automation.engine import apply_rule, time_rule_spec
from kefu.automation.models import TimeRule, TimeRuleEpisode
from kefu.tickets.models import Ticket
from kefu.tickets.services.fields import REFERENCE_FIELDS

logger = logging.getLogger(__name__)

BATCH = 1000


@dataclass
class SweepResult:
    started: int = 0
    ended: int = 0
    fired: int = 0


def time_rules_sweep(*, now: dt.datetime | None = None) -> SweepResult:
    """Run every enabled time rule once; a rule that fails is logged and the others still run."""
    now = now or timezone.now()
    total = SweepResult()
    for rule in TimeRule.objects.filter(enabled=True).order_by("order", "id"):
        try:
            result = time_rule_sweep(rule, now=now)
        except Exception:
            logger.exception("time rule %s failed to sweep", rule.pk)
            continue
        total.started += result.started
        total.ended += result.ended
        total.fired += result.fired
    return total


def _selected(rule: TimeRule, now: dt.datetime):  # type: ignore[no-untyped-def]
    tickets = Ticket.objects.filter(compile_q(rule.criteria or {"all": []}, now=now), deleted_at__isnull=True)
    if rule.department_id is not None:
        tickets = tickets.filter(department_id=rule.department_id)
    return tickets


def time_rule_sweep(rule: TimeRule, *, now: dt.datetime) -> SweepResult:
    result = SweepResult()
    selected = _selected(rule, now)
    with transaction.atomic():
        result.ended = (
            TimeRuleEpisode.objects.filter(rule=rule, ended_at__isnull=True)
            .exclude(ticket_id__in=selected.values("pk"))
            .update(ended_at=now)
        )
        open_episodes = TimeRuleEpisode.objects.filter(rule=rule, ended_at__isnull=True).values("ticket_id")
        new_ids = list(selected.exclude(pk__in=open_episodes).values_list("pk", flat=True))
        TimeRuleEpisode.objects.bulk_create(
            [TimeRuleEpisode(rule=rule, ticket_id=pk, started_at=now) for pk in new_ids],
            ignore_conflicts=True,
            batch_size=BATCH,
        )
        result.started = len(new_ids)
    pending = list(
        TimeRuleEpisode.objects.filter(rule=rule, ended_at__isnull=True, fired_at__isnull=True)
        .order_by("id")
        .values_list("pk", "ticket_id")
    )
    spec = time_rule_spec(rule)
    for episode_id, ticket_id in pending:
        if episode_fire(spec, episode_id, ticket_id, now=now):
            result.fired += 1
    return result


def episode_claim(episode_id: int, *, now: dt.datetime) -> bool:
    """Take the episode for this worker: true for exactly one caller, however many race for it."""
    return TimeRuleEpisode.objects.filter(pk=episode_id, fired_at__isnull=True).update(fired_at=now) == 1


def episode_fire(spec, episode_id: int, ticket_id: int, *, now: dt.datetime) -> bool:  # type: ignore[no-untyped-def]
    """Claim the episode and apply the rule to its ticket, in one transaction."""
    with transaction.atomic():
        if not episode_claim(episode_id, now=now):
            return False
        ticket = (
            Ticket.objects.select_related(*REFERENCE_FIELDS)
            .filter(pk=ticket_id, deleted_at__isnull=True)
            .first()
        )
        # The ticket may have changed since the query selected it: the conditions are checked again.
        if ticket is None or not matches(ticket, spec.criteria, now=now):
            TimeRuleEpisode.objects.filter(pk=episode_id).update(ended_at=now)
            return False
        apply_rule(spec, ticket, change_set="", depth=0)
    return True
