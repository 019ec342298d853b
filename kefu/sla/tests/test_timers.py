"""SLA timers on the ticket write path, clock-controlled: due dates in business time, the first and next
responses, on-hold pause and resume, closing and reopening, a priority change mid-way, metrics."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from kefu.core.actors import Actor, Source
from kefu.sla.models import SlaMetrics, SlaTimer
from kefu.sla.tests.policy_factories import SlaTargetFactory, office_calendar, policy_with
from kefu.tickets.inputs import MessageInput, ReplyInput
from kefu.tickets.models import Priority, Ticket
from kefu.tickets.services import ticket_receive, ticket_reply, ticket_set_status, ticket_update
from kefu.tickets.sla import sla_targets

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")


def local(day: int, hour: int, minute: int = 0) -> dt.datetime:
    """A moment of the week of Monday 2026-12-07, Beijing time."""
    return dt.datetime(2026, 12, day, hour, minute, tzinfo=SHANGHAI)


@pytest.fixture
def office(department):
    return office_calendar(department)


@pytest.fixture
def policy(department, office):
    return policy_with(department, first_response=60, next_response=30, resolution=240)


@pytest.fixture
def new_ticket(create_ticket, policy):
    def make(at: dt.datetime, priority: str = "高") -> Ticket:
        with time_machine.travel(at, tick=False):
            return create_ticket(priority=priority)

    return make


def reload(ticket: Ticket) -> Ticket:
    return Ticket.objects.select_related("status", "priority").get(pk=ticket.pk)


def at(moment: dt.datetime):
    return time_machine.travel(moment, tick=False)


def set_status(agent, ticket: Ticket, name: str, moment: dt.datetime) -> Ticket:
    with at(moment):
        return ticket_set_status(actor=Actor.agent(agent.user), source=Source.WEB, ticket=ticket, status=name)


def reply(agent, ticket: Ticket, moment: dt.datetime) -> None:
    with at(moment):
        ticket_reply(
            actor=Actor.agent(agent.user), source=Source.WEB, ticket=ticket, data=ReplyInput(body="您好")
        )


def customer_writes(ticket: Ticket, moment: dt.datetime) -> None:
    with at(moment):
        ticket_receive(
            actor=Actor.contact(ticket.contact),
            source=Source.PORTAL,
            ticket=reload(ticket),
            data=MessageInput(body="还是不行"),
        )


def test_a_new_ticket_gets_its_due_dates_in_business_hours(new_ticket, policy):
    ticket = reload(new_ticket(local(7, 17, 30)))  # Monday 17:30, the office closes at 18:00
    assert ticket.sla_policy_id == policy.pk
    assert ticket.first_response_due_at == local(8, 9, 30)
    assert ticket.resolution_due_at == local(8, 12, 30)
    assert ticket.next_response_due_at is None
    assert ticket.sla_paused is False
    with at(local(7, 17, 40)):
        assert sla_targets(ticket) == {
            "first_response": {"due_at": local(8, 9, 30), "met": None, "breached": False},
            "resolution": {"due_at": local(8, 12, 30), "met": None, "breached": False},
        }


def test_no_policy_for_the_priority_leaves_the_ticket_alone(new_ticket):
    ticket = reload(new_ticket(local(7, 10), priority="低"))
    assert (ticket.sla_policy_id, ticket.first_response_due_at, ticket.sla) == (None, None, {})
    assert not SlaTimer.objects.filter(ticket=ticket).exists()


def test_calendar_time_counts_around_the_clock(department, create_ticket):
    office_calendar(department)
    policy_with(department, first_response=60, resolution=240, business_time=False)
    with at(local(7, 17, 30)):
        ticket = reload(create_ticket(priority="高"))
    assert ticket.first_response_due_at == local(7, 18, 30)
    assert ticket.resolution_due_at == local(7, 21, 30)


def test_the_first_agent_reply_meets_the_first_response(new_ticket, agent):
    ticket = new_ticket(local(7, 10))
    reply(agent, ticket, local(7, 10, 45))
    ticket = reload(ticket)
    assert ticket.first_response_due_at is None  # no first response is awaited any more
    with at(local(7, 12)):
        assert sla_targets(ticket)["first_response"] == {
            "due_at": local(7, 11),
            "met": True,
            "breached": False,
        }
    metrics = SlaMetrics.objects.get(ticket=ticket)
    assert (metrics.first_response_business_minutes, metrics.first_response_calendar_minutes) == (45, 45)
    assert metrics.first_response_met is True


def test_a_late_first_reply_is_breached(new_ticket, agent):
    ticket = new_ticket(local(7, 17))  # due Monday 18:00, when the hour is used up (not at the next opening)
    reply(agent, ticket, local(8, 9, 30))
    targets = sla_targets(reload(ticket), now=local(8, 10))
    assert targets["first_response"] == {"due_at": local(7, 18), "met": False, "breached": True}
    metrics = SlaMetrics.objects.get(ticket=ticket)
    assert metrics.first_response_business_minutes == 90
    assert metrics.first_response_calendar_minutes == 16 * 60 + 30
    assert metrics.first_response_met is False


def test_each_customer_message_starts_the_next_response(new_ticket, agent):
    ticket = new_ticket(local(7, 10))
    customer_writes(ticket, local(7, 10, 10))  # before the first response: the first response covers it
    assert reload(ticket).next_response_due_at is None
    reply(agent, ticket, local(7, 10, 20))
    customer_writes(ticket, local(7, 11))
    assert reload(ticket).next_response_due_at == local(7, 11, 30)
    customer_writes(ticket, local(7, 11, 10))  # still unanswered: the clock runs from the first message
    assert reload(ticket).next_response_due_at == local(7, 11, 30)
    reply(agent, ticket, local(7, 11, 20))
    ticket = reload(ticket)
    assert ticket.next_response_due_at is None
    assert sla_targets(ticket, now=local(7, 12))["next_response"]["met"] is True
    customer_writes(ticket, local(7, 17, 50))
    assert reload(ticket).next_response_due_at == local(8, 9, 20)
    timer = SlaTimer.objects.get(ticket=ticket, target="next_response")
    assert (timer.episode, timer.met) == (2, None)
    assert SlaMetrics.objects.get(ticket=ticket).next_responses_met == 1


def test_on_hold_pauses_every_timer_and_resuming_moves_them_by_the_paused_business_time(new_ticket, agent):
    ticket = new_ticket(local(7, 10))  # first response due 11:00, resolution 14:00
    ticket = set_status(agent, ticket, "搁置", local(7, 10, 30))
    ticket = reload(ticket)
    assert ticket.sla_paused is True
    assert (ticket.first_response_due_at, ticket.resolution_due_at) == (None, None)
    assert sla_targets(ticket, now=local(8, 12)) == {
        "first_response": {"due_at": None, "met": None, "breached": False},
        "resolution": {"due_at": None, "met": None, "breached": False},
    }
    # Paused from Monday 10:30 to Tuesday 10:00: 7.5 + 1 = 8.5 business hours.
    ticket = reload(set_status(agent, ticket, "处理中", local(8, 10)))
    assert ticket.sla_paused is False
    assert ticket.first_response_due_at == local(8, 10, 30)  # 30 minutes were left
    assert ticket.resolution_due_at == local(8, 13, 30)  # 210 minutes were left
    metrics = SlaMetrics.objects.get(ticket=ticket)
    assert (metrics.on_hold_minutes, metrics.on_hold_business_minutes) == (23.5 * 60, 8.5 * 60)


def test_closing_stops_the_timers_and_reopening_resumes_the_resolution_where_it_stood(new_ticket, agent):
    ticket = new_ticket(local(7, 10))
    reply(agent, ticket, local(7, 10, 30))
    ticket = reload(set_status(agent, ticket, "已关闭", local(7, 12)))
    assert ticket.resolution_due_at is None
    assert sla_targets(ticket, now=local(9, 9))["resolution"] == {
        "due_at": local(7, 14),
        "met": True,
        "breached": False,
    }
    metrics = SlaMetrics.objects.get(ticket=ticket)
    assert (metrics.resolution_business_minutes, metrics.resolution_met) == (120, True)
    # Reopened on Tuesday at 09:00: the 120 minutes left count from there.
    ticket = reload(set_status(agent, ticket, "处理中", local(8, 9)))
    assert ticket.resolution_due_at == local(8, 11)
    assert sla_targets(ticket, now=local(8, 9))["resolution"]["met"] is None
    ticket = reload(set_status(agent, ticket, "已关闭", local(8, 12)))
    metrics.refresh_from_db()
    assert (metrics.resolution_business_minutes, metrics.resolution_met) == (300, False)
    assert sla_targets(ticket, now=local(8, 13))["resolution"]["breached"] is True


def test_a_priority_change_re_applies_the_policy_and_counts_the_time_already_spent(new_ticket, policy, agent):
    SlaTargetFactory(
        policy=policy,
        priority=Priority.objects.get(name="紧急"),
        first_response_minutes=15,
        resolution_minutes=60,
    )
    ticket = new_ticket(local(7, 10))
    assert reload(ticket).resolution_due_at == local(7, 14)
    with at(local(7, 10, 40)):
        ticket_update(
            actor=Actor.agent(agent.user), source=Source.WEB, ticket=ticket, changes={"priority": "紧急"}
        )
    ticket = reload(ticket)
    # 40 minutes are spent: of the urgent 60 minutes 20 are left, the 15-minute first response is late.
    assert ticket.resolution_due_at == local(7, 11)
    assert ticket.first_response_due_at == local(7, 10, 15)
    # Down to a priority the policy sets no target for: the running timers go.
    with at(local(7, 10, 50)):
        ticket_update(
            actor=Actor.agent(agent.user), source=Source.WEB, ticket=ticket, changes={"priority": "低"}
        )
    ticket = reload(ticket)
    assert (ticket.sla_policy_id, ticket.resolution_due_at, ticket.sla) == (None, None, {})


def test_the_first_matching_policy_applies(department, office, create_ticket):
    vip = policy_with(
        department,
        resolution=60,
        order=0,
        criteria={"all": [{"field": "subject", "op": "contains", "value": "VIP"}]},
    )
    general = policy_with(department, resolution=480, order=1)
    with at(local(7, 10)):
        plain = reload(create_ticket(priority="高"))
        urgent = reload(create_ticket(priority="高", subject="VIP 客户无法登录"))
    assert (plain.sla_policy_id, plain.resolution_due_at) == (general.pk, local(7, 18))
    assert (urgent.sla_policy_id, urgent.resolution_due_at) == (vip.pk, local(7, 11))


def test_a_department_change_re_applies_the_other_departments_policy(
    new_ticket, other_department, agent, admin_agent
):
    other = policy_with(other_department, first_response=None, resolution=30, business_time=False)
    ticket = new_ticket(local(7, 10))
    with at(local(7, 10, 20)):
        ticket_update(
            actor=Actor.agent(admin_agent.user),
            source=Source.WEB,
            ticket=ticket,
            changes={"department_id": other_department.pk},
        )
    ticket = reload(ticket)
    assert ticket.sla_policy_id == other.pk
    assert ticket.resolution_due_at == local(7, 10, 30)
    assert ticket.first_response_due_at is None


def test_the_overdue_and_due_today_views_follow_the_timers(new_ticket, agent):
    from kefu.tickets.listing import SYSTEM_VIEWS, moment

    def listed(view: str, now: dt.datetime) -> set[int]:
        when = moment(SHANGHAI, now)
        condition = SYSTEM_VIEWS[view].condition(agent.user, when)
        return set(Ticket.objects.filter(condition).values_list("pk", flat=True))

    late = new_ticket(local(7, 9))  # first response due 10:00, resolution 13:00
    paused = new_ticket(local(7, 9))
    set_status(agent, paused, "搁置", local(7, 9, 30))
    evening = new_ticket(local(7, 17, 30))  # first response due 09:30 tomorrow
    assert listed("overdue", local(7, 10, 30)) == {late.pk}
    assert listed("due_today", local(7, 9, 45)) == {late.pk}
    # Within the hour counts as due today even after midnight; a paused ticket is in neither view.
    assert listed("due_today", local(8, 8, 45)) == {evening.pk}
    customer_writes(late, local(7, 11))  # the first response is still awaited: no next response yet
    reply(agent, late, local(7, 11, 5))
    customer_writes(late, local(7, 11, 10))  # next response due 11:40
    assert listed("overdue", local(7, 11, 50)) == {late.pk}
