"""The time-tracking services: the actor allow-list, the timer's claim, and totals scoped to what the
reader may see."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from kefu.core.actors import Actor, ActorKind, Source
from kefu.core.errors import NotFound, PermissionDenied, ValidationFailed
from kefu.timetracking import services
from kefu.timetracking.inputs import TimeEntryInput
from kefu.timetracking.models import RunningTimer, TimeEntry
from kefu.timetracking.selectors import agent_totals, contact_totals, ticket_totals
from kefu.timetracking.tests.factories import time_entry

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "actor", [Actor(kind=ActorKind.CONTACT, id=1, name="王芳"), Actor.rule(1), Actor.sla(1)]
)
def test_only_agents_and_the_system_log_time(actor, create_ticket):
    ticket = create_ticket()
    with pytest.raises(PermissionDenied):
        services.time_entry_create(
            actor=actor, source=Source.API, ticket_id=ticket.pk, data=TimeEntryInput(minutes=5)
        )
    with pytest.raises(PermissionDenied):
        services.timer_stop(actor=actor, source=Source.API)
    assert not TimeEntry.objects.exists()


def test_the_system_must_say_whose_time_it_is(create_ticket):
    ticket = create_ticket()
    with pytest.raises(ValidationFailed) as raised:
        services.time_entry_create(
            actor=Actor.system(), source=Source.IMPORT, ticket_id=ticket.pk, data=TimeEntryInput(minutes=5)
        )
    assert raised.value.fields == {"agent_id": "This field is required."}


def test_a_second_stop_logs_nothing(agent, create_ticket):
    ticket = create_ticket()
    actor = Actor.agent(agent.user)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        services.timer_start(actor=actor, source=Source.WEB, ticket_id=ticket.pk)
        again = services.timer_start(actor=actor, source=Source.WEB, ticket_id=ticket.pk)
        assert RunningTimer.objects.count() == 1  # starting on the same ticket keeps it running
        clock.shift(dt.timedelta(seconds=20))
        entry = services.timer_stop(actor=actor, source=Source.WEB)
    assert entry is not None
    assert entry.minutes == 1  # rounded up, at least a minute
    assert again.ticket_id == ticket.pk
    assert services.timer_stop(actor=actor, source=Source.WEB) is None
    assert TimeEntry.objects.count() == 1


def test_a_forgotten_timer_logs_at_most_a_day(agent, create_ticket):
    ticket = create_ticket()
    actor = Actor.agent(agent.user)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        services.timer_start(actor=actor, source=Source.WEB, ticket_id=ticket.pk)
        clock.shift(dt.timedelta(hours=30))
        entry = services.timer_stop(actor=actor, source=Source.WEB)
    assert entry is not None
    assert entry.minutes == 1440


def test_another_departments_ticket_is_unknown(other_agent, create_ticket):
    ticket = create_ticket()
    with pytest.raises(NotFound):
        services.timer_start(actor=Actor.agent(other_agent.user), source=Source.WEB, ticket_id=ticket.pk)
    assert not RunningTimer.objects.exists()


def test_totals_count_only_what_the_reader_sees(agent, other_agent, create_ticket, other_department):
    mine = create_ticket()
    theirs = create_ticket(department_id=other_department.pk)  # the same contact, by email
    contact = mine.contact
    assert theirs.contact_id == contact.pk
    time_entry(mine, agent, minutes=30)
    time_entry(mine, agent, minutes=15, billable=False)
    time_entry(theirs, other_agent, minutes=60)
    assert ticket_totals(mine.pk).minutes == 45
    assert ticket_totals(mine.pk).billable_minutes == 30
    seen = contact_totals(agent.user, contact.pk)
    assert (seen.minutes, seen.billable_minutes) == (45, 30)
    assert [(row.agent_id, row.minutes) for row in seen.per_agent] == [(agent.user_id, 45)]
    assert contact_totals(other_agent.user, contact.pk).minutes == 60
    assert agent_totals(agent.user, other_agent.user_id).minutes == 0
    assert agent_totals(other_agent.user, other_agent.user_id).minutes == 60
