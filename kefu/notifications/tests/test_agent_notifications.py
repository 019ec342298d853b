"""Agents: a mention and an assignment each make exactly one in-app notification, and one email where
the agent wants it; preferences and quiet hours decide; nobody is told about their own change."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from kefu.core.actors import Actor, Source
from kefu.core.models import OutboxEvent, OutboxReceipt
from kefu.core.outbox import outbox_deliver
from kefu.notifications.models import Notification, NotificationDelivery
from kefu.notifications.tests.factories import NotificationPreferenceFactory
from kefu.org.tests.factories import AgentFactory
from kefu.tickets.inputs import CommentInput
from kefu.tickets.services import ticket_assign, ticket_comment

pytestmark = pytest.mark.django_db


@pytest.fixture
def colleague(department):
    return AgentFactory(user__email="li.na@kefu.test", user__name="李娜", departments=[department])


@pytest.fixture
def ticket(create_ticket, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return create_ticket()


def _mention(agent, ticket, colleague, capture):
    with capture(execute=True):
        return ticket_comment(
            actor=Actor.agent(agent.user),
            source=Source.WEB,
            ticket=ticket,
            data=CommentInput(body="@李娜 请看一下", mention_ids=[colleague.user.pk]),
        )


def test_a_mention_makes_one_in_app_notification_and_one_email(
    agent, colleague, ticket, smtp, django_capture_on_commit_callbacks
):
    smtp.messages.clear()
    _mention(agent, ticket, colleague, django_capture_on_commit_callbacks)

    notes = list(Notification.objects.filter(user=colleague.user).values_list("event", "ticket_id", "text"))
    assert notes == [("agent.mentioned", ticket.pk, f"张伟 在工单 #{ticket.shown_number} 中提到了您")]
    assert not Notification.objects.filter(user=agent.user).exists()  # not told about their own comment
    assert [m.rcpt_tos for m in smtp.messages] == [["li.na@kefu.test"]]
    assert "请看一下" in smtp.messages[0].text


def test_an_agent_who_wants_no_email_gets_only_the_in_app_one(
    agent, colleague, ticket, smtp, django_capture_on_commit_callbacks
):
    NotificationPreferenceFactory(user=colleague.user, channels={"agent.mentioned": ["in_app"]})
    smtp.messages.clear()
    _mention(agent, ticket, colleague, django_capture_on_commit_callbacks)

    assert Notification.objects.filter(user=colleague.user).count() == 1
    assert smtp.messages == []


def test_quiet_hours_hold_back_email_but_not_the_bell(
    agent, colleague, ticket, smtp, django_capture_on_commit_callbacks
):
    NotificationPreferenceFactory(user=colleague.user, quiet_from=dt.time(22), quiet_until=dt.time(7))
    smtp.messages.clear()
    # 23:30 in Shanghai (the agent's zone).
    with time_machine.travel(dt.datetime(2026, 11, 20, 15, 30, tzinfo=dt.UTC), tick=False):
        _mention(agent, ticket, colleague, django_capture_on_commit_callbacks)

    assert Notification.objects.filter(user=colleague.user).count() == 1
    assert smtp.messages == []


def test_an_assignment_makes_one_in_app_notification_and_one_email(
    agent, colleague, ticket, smtp, django_capture_on_commit_callbacks
):
    smtp.messages.clear()
    with django_capture_on_commit_callbacks(execute=True):
        ticket_assign(
            actor=Actor.agent(agent.user), source=Source.WEB, ticket=ticket, assignee_id=colleague.user.pk
        )

    notes = list(Notification.objects.filter(user=colleague.user).values_list("event", "text"))
    assert notes == [("agent.assigned", f"工单 #{ticket.shown_number} 已分配给您")]
    assert [m.rcpt_tos for m in smtp.messages] == [["li.na@kefu.test"]]


def test_assigning_yourself_tells_nobody(agent, ticket, smtp, django_capture_on_commit_callbacks):
    smtp.messages.clear()
    with django_capture_on_commit_callbacks(execute=True):
        ticket_assign(
            actor=Actor.agent(agent.user), source=Source.WEB, ticket=ticket, assignee_id=agent.user.pk
        )

    assert not Notification.objects.exists()
    assert smtp.messages == []


def test_a_redelivered_event_notifies_nobody_twice(
    agent, colleague, ticket, smtp, django_capture_on_commit_callbacks
):
    smtp.messages.clear()
    _mention(agent, ticket, colleague, django_capture_on_commit_callbacks)
    event = OutboxEvent.objects.filter(event_type="ticket.commented").get()
    OutboxEvent.objects.filter(pk=event.pk).update(delivered_at=None, claimed_until=None)
    OutboxReceipt.objects.filter(event_id=event.pk).delete()  # as if the consumer's receipt was lost
    with django_capture_on_commit_callbacks(execute=True):
        outbox_deliver([event.pk])

    assert Notification.objects.filter(user=colleague.user).count() == 1
    assert NotificationDelivery.objects.filter(recipient="li.na@kefu.test").count() == 1
    assert len(smtp.messages) == 1
