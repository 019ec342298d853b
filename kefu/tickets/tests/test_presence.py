"""The collision notice: heartbeats from open ticket pages, and who else is viewing or replying."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from kefu.core.actors import Actor, Source
from kefu.core.errors import NotFound
from kefu.org.tests.factories import AgentFactory
from kefu.tickets.models import TicketEvent, TicketPresence
from kefu.tickets.presence import STALE_AFTER, others_present
from kefu.tickets.services import ticket_presence_beat, ticket_presence_leave

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def ticket(create_ticket):
    return create_ticket()


@pytest.fixture
def colleague(department):
    return AgentFactory(user__name="王芳", departments=[department])


def beat(client, ticket, replying=False):
    return client.post(
        reverse("tickets:presence", args=[ticket.pk]), {"replying": "true" if replying else "false"}, **HTMX
    )


@pytest.mark.django_db
def test_a_heartbeat_records_presence_without_touching_the_ticket(ticket, agent):
    updated_at = ticket.updated_at
    ticket_presence_beat(actor=Actor.agent(agent.user), source=Source.WEB, ticket=ticket, replying=False)
    ticket_presence_beat(actor=Actor.agent(agent.user), source=Source.WEB, ticket=ticket, replying=True)
    presence = TicketPresence.objects.get()
    assert (presence.user, presence.is_replying) == (agent.user, True)
    ticket.refresh_from_db()
    assert ticket.updated_at == updated_at
    assert TicketEvent.objects.filter(ticket=ticket).count() == 1


@pytest.mark.django_db
def test_an_agent_of_another_department_cannot_announce_presence(ticket, other_agent):
    with pytest.raises(NotFound):
        ticket_presence_beat(
            actor=Actor.agent(other_agent.user), source=Source.WEB, ticket=ticket, replying=False
        )
    assert not TicketPresence.objects.exists()


@pytest.mark.django_db
def test_others_see_who_is_viewing_and_who_is_replying(client, ticket, agent, colleague, department):
    third = AgentFactory(user__name="李娜", departments=[department])
    ticket_presence_beat(actor=Actor.agent(colleague.user), source=Source.WEB, ticket=ticket, replying=True)
    ticket_presence_beat(actor=Actor.agent(third.user), source=Source.WEB, ticket=ticket, replying=False)
    client.force_login(agent.user)
    html = beat(client, ticket).content.decode()
    assert "王芳 is replying" in html
    assert "李娜 is viewing" in html
    assert "张伟" not in html
    assert [(p.name, p.is_replying) for p in others_present(ticket, user_id=agent.user.pk)] == [
        ("王芳", True),
        ("李娜", False),
    ]


@pytest.mark.django_db
def test_a_stale_heartbeat_is_no_longer_shown(client, ticket, agent, colleague):
    ticket_presence_beat(actor=Actor.agent(colleague.user), source=Source.WEB, ticket=ticket, replying=True)
    TicketPresence.objects.update(last_seen_at=timezone.now() - STALE_AFTER - dt.timedelta(seconds=1))
    client.force_login(agent.user)
    response = beat(client, ticket)
    assert response.status_code == 200
    assert response.content.decode().strip() == ""


@pytest.mark.django_db
def test_leaving_the_page_removes_the_presence_at_once(client, ticket, agent, colleague):
    client.force_login(colleague.user)
    beat(client, ticket, replying=True)
    response = client.post(reverse("tickets:presence-leave", args=[ticket.pk]))
    assert response.status_code == 204
    assert not TicketPresence.objects.exists()
    ticket_presence_leave(actor=Actor.agent(agent.user), source=Source.WEB, ticket=ticket)


@pytest.mark.django_db
def test_heartbeats_on_another_departments_ticket_are_404_without_effect(client, ticket, other_agent):
    client.force_login(other_agent.user)
    assert beat(client, ticket).status_code == 404
    assert client.post(reverse("tickets:presence-leave", args=[ticket.pk])).status_code == 404
    assert not TicketPresence.objects.exists()


@pytest.mark.django_db
def test_a_heartbeat_must_be_a_post(client, ticket, agent):
    client.force_login(agent.user)
    assert client.get(reverse("tickets:presence", args=[ticket.pk])).status_code == 405
