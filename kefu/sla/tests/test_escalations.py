"""The escalation sweep, clock-controlled: each level fires at its time, once per ticket and timer
episode, through the automation actions; breaches and escalations are ticket events; a claimed timer is
not handled twice."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from kefu.automation.actions import clean_actions
from kefu.core.actors import Actor, Source
from kefu.core.event_types import EventType
from kefu.sla.models import SlaEscalationFire, SlaTimer
from kefu.sla.services.escalations import escalations_sweep
from kefu.sla.tasks import sweep_escalations
from kefu.sla.tests.policy_factories import (
    SlaEscalationFactory,
    SlaTargetFactory,
    office_calendar,
    policy_with,
)
from kefu.tickets.inputs import ReplyInput
from kefu.tickets.models import Comment, Priority, Ticket, TicketEvent
from kefu.tickets.services import ticket_reply, ticket_set_status

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")


def local(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 12, day, hour, minute, tzinfo=SHANGHAI)


def at(moment: dt.datetime):
    return time_machine.travel(moment, tick=False)


def actions(*raw):
    cleaned, errors = clean_actions(list(raw))
    assert errors == {}
    return cleaned


@pytest.fixture
def policy(department):
    office_calendar(department)
    policy = policy_with(department, first_response=60, resolution=240, name="高优先级")
    SlaTargetFactory(policy=policy, priority=Priority.objects.get(name="紧急"), resolution_minutes=240)
    return policy


@pytest.fixture
def levels(policy, agent):
    return [
        SlaEscalationFactory(
            policy=policy,
            target="resolution",
            offset_minutes=-30,
            actions=actions({"type": "comment", "body": "还有 30 分钟到期"}),
        ),
        SlaEscalationFactory(
            policy=policy,
            target="resolution",
            offset_minutes=0,
            actions=actions({"type": "set_field", "field": "priority", "value": "紧急"}),
        ),
        SlaEscalationFactory(
            policy=policy,
            target="resolution",
            offset_minutes=120,
            actions=actions({"type": "assign", "agent_id": agent.user.pk}),
        ),
    ]


@pytest.fixture
def ticket(create_ticket, policy, levels, agent):
    with at(local(7, 10)):  # resolution due Monday 14:00
        ticket = create_ticket(priority="高")
    with at(local(7, 10, 5)):  # the first response is met: only the resolution runs
        ticket_reply(
            actor=Actor.agent(agent.user), source=Source.WEB, ticket=ticket, data=ReplyInput(body="您好")
        )
    return ticket


def sweep(moment: dt.datetime):
    with at(moment):
        return escalations_sweep()


def events(ticket: Ticket, action: EventType) -> list[dict]:
    rows = TicketEvent.objects.filter(ticket=ticket, action=action.value).order_by("id")
    return [row.new_value for row in rows]


def current(ticket: Ticket) -> Ticket:
    return Ticket.objects.select_related("priority", "assignee").get(pk=ticket.pk)


def test_nothing_fires_before_its_time(ticket):
    result = sweep(local(7, 13, 29))
    assert (result.checked, result.breached, result.escalated) == (0, 0, 0)
    assert not Comment.objects.filter(ticket=ticket).exists()


def test_the_level_before_the_due_date_fires_once(ticket, levels):
    result = sweep(local(7, 13, 30))
    assert (result.checked, result.breached, result.escalated) == (1, 0, 1)
    assert list(Comment.objects.filter(ticket=ticket).values_list("body_text", flat=True)) == [
        "还有 30 分钟到期"
    ]
    assert events(ticket, EventType.TICKET_SLA_ESCALATED) == [
        {
            "target": "resolution",
            "level": 1,
            "offset_minutes": -30,
            "episode": 1,
            "actions": [{"type": "comment", "field": "comment", "old": None, "new": "还有 30 分钟到期"}],
        }
    ]
    assert sweep(local(7, 13, 45)).escalated == 0
    assert Comment.objects.filter(ticket=ticket).count() == 1
    event = TicketEvent.objects.filter(ticket=ticket, action=EventType.TICKET_SLA_ESCALATED.value).get()
    assert (event.actor_kind, event.actor_name) == ("sla", "高优先级")


def test_at_the_due_date_the_breach_is_recorded_and_the_priority_raised(ticket):
    sweep(local(7, 13, 30))
    result = sweep(local(7, 14))
    assert (result.breached, result.escalated) == (1, 1)
    assert current(ticket).priority.name == "紧急"
    assert events(ticket, EventType.TICKET_SLA_BREACHED) == [
        {"target": "resolution", "due_at": local(7, 14).astimezone(dt.UTC).isoformat(), "episode": 1}
    ]
    with at(local(7, 14, 5)):
        from kefu.tickets.sla import sla_targets

        assert sla_targets(current(ticket))["resolution"]["breached"] is True
    # Raising the priority re-applied the policy (same 240 minutes): the due date stays, nothing re-fires.
    assert current(ticket).resolution_due_at == local(7, 14)
    assert sweep(local(7, 15)).escalated == 0


def test_two_hours_overdue_the_ticket_is_reassigned(ticket, agent):
    assert current(ticket).assignee is None
    result = sweep(local(7, 16))  # every level's time has come: all three fire, in order, once each
    assert (result.breached, result.escalated) == (1, 3)
    assert current(ticket).assignee == agent.user
    assert [event["level"] for event in events(ticket, EventType.TICKET_SLA_ESCALATED)] == [1, 2, 3]
    assert SlaEscalationFire.objects.filter(timer__ticket=ticket).count() == 3
    assert SlaTimer.objects.get(ticket=ticket, target="resolution").check_at is None
    assert sweep(local(7, 18)).checked == 0


def test_on_hold_nothing_fires_and_after_resuming_the_levels_wait_for_the_moved_due_date(ticket, agent):
    user = Actor.agent(agent.user)
    with at(local(7, 13)):
        ticket_set_status(actor=user, source=Source.WEB, ticket=ticket, status="搁置")
    assert sweep(local(7, 17)).checked == 0
    with at(local(8, 9)):  # paused 13:00–18:00 Monday: 5 business hours
        ticket_set_status(actor=user, source=Source.WEB, ticket=ticket, status="处理中")
    assert current(ticket).resolution_due_at == local(8, 10)
    assert sweep(local(8, 9, 29)).escalated == 0
    assert sweep(local(8, 9, 30)).escalated == 1


def test_a_met_target_does_not_escalate(create_ticket, policy, agent):
    SlaEscalationFactory(
        policy=policy,
        target="first_response",
        offset_minutes=0,
        actions=actions({"type": "comment", "body": "首次响应超时"}),
    )
    with at(local(7, 10)):
        ticket = create_ticket(priority="高")
    with at(local(7, 10, 30)):
        ticket_reply(
            actor=Actor.agent(agent.user), source=Source.WEB, ticket=ticket, data=ReplyInput(body="您好")
        )
    assert sweep(local(7, 11, 30)).escalated == 0
    assert not Comment.objects.filter(ticket=ticket).exists()


def test_a_timer_claimed_by_another_sweep_is_left_alone(ticket):
    timer = SlaTimer.objects.get(ticket=ticket, target="resolution")
    # Another sweep claimed it between our read and our update: the conditional UPDATE finds nothing.
    SlaTimer.objects.filter(pk=timer.pk).update(check_at=local(7, 13, 31))
    result = sweep(local(7, 13, 30))
    assert result.checked == 0
    assert not Comment.objects.filter(ticket=ticket).exists()


def test_the_beat_task_sweeps(ticket):
    with at(local(7, 13, 30)):
        assert sweep_escalations() == {"checked": 1, "breached": 0, "escalated": 1}
