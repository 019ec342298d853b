"""Time rules: the beat sweep fires each rule once per episode of its condition, claimed once."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from kefu.automation.criteria import clean
from kefu.automation.engine import time_rule_spec
from kefu.automation.models import RuleRun, TimeRuleEpisode
from kefu.automation.tasks import sweep_time_rules
from kefu.automation.tests.conftest import NOW
from kefu.automation.tests.factories import TimeRuleFactory
from kefu.automation.workflow.sweep import episode_claim, episode_fire, time_rules_sweep
from kefu.core.actors import Actor, Source
from kefu.tickets.models import Ticket, TicketEvent
from kefu.tickets.services import ticket_update

pytestmark = pytest.mark.django_db


@pytest.fixture
def quiet_rule():
    criteria, errors = clean(
        {
            "all": [
                {"field": "priority", "op": "is", "value": "低"},
                {"field": "hours_since_created", "op": "gt", "value": 72},
            ]
        },
        allow_changes=False,
    )
    assert errors == {}
    return TimeRuleFactory(
        name="Quiet for 3 days", criteria=criteria, actions=[{"type": "comment", "body": "三天无人处理"}]
    )


@pytest.fixture
def old_ticket(create_ticket):
    return create_ticket(priority="低", created_at=NOW - dt.timedelta(hours=80))


def _set_priority(ticket: Ticket, name: str) -> None:
    ticket_update(actor=Actor.system(), source=Source.API, ticket=ticket, changes={"priority": name})


@time_machine.travel(NOW, tick=False)
def test_fires_once_per_episode(quiet_rule, old_ticket, create_ticket):
    create_ticket(priority="低", created_at=NOW - dt.timedelta(hours=10))  # too young: never selected
    first = time_rules_sweep(now=NOW)
    assert (first.started, first.fired, first.ended) == (1, 1, 0)
    again = time_rules_sweep(now=NOW + dt.timedelta(minutes=5))
    assert (again.started, again.fired, again.ended) == (0, 0, 0)
    assert old_ticket.comments.count() == 1
    event = TicketEvent.objects.get(ticket=old_ticket, action="ticket.commented")
    assert (event.actor_kind, event.actor_id, event.actor_name, event.source) == (
        "rule", quiet_rule.pk, "Quiet for 3 days", "automation"
    )  # fmt: skip

    _set_priority(old_ticket, "中")  # the condition becomes false: the episode ends
    assert time_rules_sweep(now=NOW + dt.timedelta(minutes=10)).ended == 1
    _set_priority(old_ticket, "低")  # true again: a new episode, and the rule acts again
    assert time_rules_sweep(now=NOW + dt.timedelta(minutes=15)).fired == 1
    assert old_ticket.comments.count() == 2
    episodes = TimeRuleEpisode.objects.filter(rule=quiet_rule).order_by("id")
    assert [(e.fired_at is not None, e.ended_at is not None) for e in episodes] == [
        (True, True),
        (True, False),
    ]
    assert (
        list(RuleRun.objects.filter(time_rule=quiet_rule).values_list("outcome", flat=True))
        == ["applied"] * 2
    )


@time_machine.travel(NOW, tick=False)
def test_a_claimed_episode_is_fired_by_one_worker_only(quiet_rule, old_ticket):
    episode = TimeRuleEpisode.objects.create(rule=quiet_rule, ticket=old_ticket, started_at=NOW)
    spec = time_rule_spec(quiet_rule)
    # Two workers that both listed the episode as pending: the conditional UPDATE lets one through.
    assert episode_fire(spec, episode.pk, old_ticket.pk, now=NOW) is True
    assert episode_fire(spec, episode.pk, old_ticket.pk, now=NOW) is False
    assert episode_claim(episode.pk, now=NOW) is False
    assert old_ticket.comments.count() == 1
    assert RuleRun.objects.count() == 1


@time_machine.travel(NOW, tick=False)
def test_a_ticket_that_changed_since_the_query_is_not_acted_on(quiet_rule, old_ticket):
    episode = TimeRuleEpisode.objects.create(rule=quiet_rule, ticket=old_ticket, started_at=NOW)
    _set_priority(old_ticket, "高")
    assert episode_fire(time_rule_spec(quiet_rule), episode.pk, old_ticket.pk, now=NOW) is False
    episode.refresh_from_db()
    assert episode.ended_at == NOW
    assert old_ticket.comments.count() == 0


@time_machine.travel(NOW, tick=False)
def test_disabled_rules_and_other_departments_are_not_swept(quiet_rule, old_ticket, other_department):
    quiet_rule.department = other_department
    quiet_rule.save()
    TimeRuleFactory(enabled=False, criteria=quiet_rule.criteria, actions=quiet_rule.actions)
    assert sweep_time_rules() == {"started": 0, "ended": 0, "fired": 0}
    assert not TimeRuleEpisode.objects.exists()
