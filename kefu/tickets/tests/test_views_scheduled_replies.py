"""Scheduled replies on the ticket page: "send later" in the customer's time zone, change and cancel."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from kefu.contacts.tests.factories import ContactFactory
from kefu.org.models import HelpdeskSettings
from kefu.tickets.inputs import ContactRef
from kefu.tickets.models import Thread

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
START = dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def ticket(clock, create_ticket):
    contact = ContactFactory(name="佐藤", email="sato@example.jp", time_zone="Asia/Tokyo")
    return create_ticket(contact=ContactRef(contact_id=contact.pk))


@pytest.fixture
def signed_in(client, agent):
    client.force_login(agent.user)
    return client


def reply(client, ticket, language="en", **values):
    data = {"body": "明天上午十点给您回电。", "send_later": "on", "send_at": "2026-12-08T10:00", **values}
    return client.post(
        reverse("tickets:reply", args=[ticket.pk]), data, HTTP_ACCEPT_LANGUAGE=language, **HTMX
    )


@pytest.mark.parametrize(
    ("language", "label", "goes"),
    [
        ("en", "Send at, in the customer's time zone: Asia/Tokyo (UTC+09:00)", "Goes at 2026-12-08 10:00"),
        ("zh-hans", "发送时间（客户所在时区）：Asia/Tokyo (UTC+09:00)", "将于 2026-12-08 10:00 发送"),
    ],
)
def test_send_later_in_the_contacts_zone(signed_in, ticket, language, label, goes):
    page = signed_in.get(reverse("tickets:detail", args=[ticket.pk]), HTTP_ACCEPT_LANGUAGE=language)
    assert label in page.content.decode()
    response = reply(signed_in, ticket, language)
    assert response.status_code == 200, response.content.decode()
    thread = Thread.objects.get(ticket=ticket, scheduled=True)
    assert thread.send_at == dt.datetime(2026, 12, 8, 1, 0, tzinfo=dt.UTC)
    assert goes in response.content.decode()
    conversation = signed_in.get(
        reverse("tickets:detail", args=[ticket.pk]) + "?part=conversation", **HTMX
    ).content.decode()
    assert "明天上午十点给您回电。" not in conversation


def test_the_help_desks_zone_when_the_contact_has_none(signed_in, create_ticket, clock):
    settings = HelpdeskSettings.load()
    settings.time_zone = "Europe/Berlin"
    settings.save()
    ticket = create_ticket()
    reply(signed_in, ticket, send_at="2026-12-08T10:00")
    assert Thread.objects.get(scheduled=True).send_at == dt.datetime(2026, 12, 8, 9, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("send_at", "message"),
    [("2026-12-07T08:00", "Choose a time in the future."), ("", "Choose the date and time to send it.")],
)
def test_a_bad_time_is_said_beside_the_field(signed_in, ticket, send_at, message):
    response = reply(signed_in, ticket, send_at=send_at)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Thread.objects.filter(scheduled=True).exists()


def test_change_then_cancel(signed_in, ticket):
    reply(signed_in, ticket)
    thread = Thread.objects.get(scheduled=True)
    url = reverse("tickets:scheduled-reply", args=[ticket.pk, thread.pk])
    response = signed_in.post(
        url, {"action": "update", "send_at": "2026-12-09T08:30", "body": "<div>改到后天。</div>"}, **HTMX
    )
    assert response.status_code == 200
    thread.refresh_from_db()
    assert (thread.send_at, thread.body_text) == (
        dt.datetime(2026, 12, 8, 23, 30, tzinfo=dt.UTC),
        "改到后天。",
    )
    response = signed_in.post(url, {"action": "cancel"}, **HTMX)
    assert response.status_code == 200
    assert not Thread.objects.filter(pk=thread.pk).exists()
    again = signed_in.post(url, {"action": "cancel"}, **HTMX)
    assert again.status_code == 422
    assert "This reply has already been sent" in again.content.decode()


def test_another_departments_agent_gets_404(client, agent, other_agent, ticket):
    client.force_login(agent.user)
    reply(client, ticket)
    thread = Thread.objects.get(scheduled=True)
    client.force_login(other_agent.user)
    url = reverse("tickets:scheduled-reply", args=[ticket.pk, thread.pk])
    assert client.post(url, {"action": "cancel"}, **HTMX).status_code == 404
    assert Thread.objects.filter(pk=thread.pk, scheduled=True).exists()


@pytest.mark.parametrize(
    ("language", "shown"),
    [
        ("en", "This reply could not be sent: The agent who scheduled this reply can no longer send it."),
        ("zh-hans", "此回复未能发送：安排此回复的客服已无法发送它。"),
    ],
)
def test_a_reply_that_could_not_go_says_why(client, agent, department, ticket, clock, language, shown):
    from kefu.org.tests.factories import AgentFactory
    from kefu.tickets.services import scheduled_replies_send_due

    colleague = AgentFactory(user__email="li.na@kefu.test", departments=[department])
    client.force_login(colleague.user)
    reply(client, ticket, send_at="2026-12-07T18:05")  # Tokyo: 09:05 UTC
    colleague.user.is_active = False
    colleague.user.save(update_fields=["is_active"])
    clock.move_to(START + dt.timedelta(minutes=5))
    assert scheduled_replies_send_due() == 0
    client.force_login(agent.user)
    page = client.get(reverse("tickets:detail", args=[ticket.pk]), HTTP_ACCEPT_LANGUAGE=language)
    assert shown in page.content.decode()
