"""Bulk actions: the service (one ticket service call per ticket, failures reported) and the endpoint."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kefu.core.actors import Actor, Source
from kefu.core.errors import ValidationFailed
from kefu.tickets.models import Priority, Status, TicketEvent
from kefu.tickets.services import ticket_bulk_update
from kefu.tickets.tests.factories import TicketFactory

BULK = reverse("tickets:bulk")
PARTIAL = {"HX-Request": "true", "HX-Target": "bulk-result"}
pytestmark = pytest.mark.django_db


def _bulk(agent, tickets, action, value=None):
    return ticket_bulk_update(
        actor=Actor.agent(agent.user),
        source=Source.WEB,
        ticket_ids=[ticket.pk for ticket in tickets],
        action=action,
        value=value,
    )


def test_assign_three_tickets_records_one_event_each(agent, other_agent, department, create_ticket):
    tickets = [create_ticket(subject=f"工单 {n}") for n in range(3)]
    result = _bulk(agent, tickets, "assign", "me")
    assert result.changed == [ticket.pk for ticket in tickets]
    assert result.failures == []
    for ticket in tickets:
        ticket.refresh_from_db()
        assert ticket.assignee_id == agent.user.pk
    assigned = TicketEvent.objects.filter(action="ticket.updated", field="assignee", source="web")
    assert sorted(assigned.values_list("ticket_id", flat=True)) == sorted(t.pk for t in tickets)


def test_status_priority_tag_and_close(agent, create_ticket):
    ticket = create_ticket()
    on_hold = Status.objects.get(name="搁置")
    high = Priority.objects.get(name="高")
    assert _bulk(agent, [ticket], "status", str(on_hold.pk)).changed == [ticket.pk]
    assert _bulk(agent, [ticket], "priority", str(high.pk)).changed == [ticket.pk]
    assert _bulk(agent, [ticket], "tag", "VIP").changed == [ticket.pk]
    ticket.refresh_from_db()
    assert (ticket.status_id, ticket.priority_id) == (on_hold.pk, high.pk)
    assert [tag.name for tag in ticket.tags.all()] == ["VIP"]
    assert _bulk(agent, [ticket], "close").changed == [ticket.pk]
    ticket.refresh_from_db()
    assert ticket.status.name == "已关闭"
    assert ticket.closed_at is not None


def test_a_ticket_the_agent_cannot_see_is_reported_and_not_changed(agent, other_department, create_ticket):
    own = create_ticket()
    foreign = create_ticket(department_id=other_department.pk)
    result = _bulk(agent, [own, foreign], "priority", "高")
    assert result.changed == [own.pk]
    assert [(f.ticket_id, f.number, f.message) for f in result.failures] == [
        (foreign.pk, None, "No such ticket.")
    ]
    foreign.refresh_from_db()
    assert foreign.priority.name == "中"
    assert not TicketEvent.objects.filter(ticket=foreign, action="updated").exists()


def test_light_agent_cannot_assign(light_agent, create_ticket):
    ticket = create_ticket()
    result = _bulk(light_agent, [ticket], "assign", "me")
    assert result.changed == []
    assert [(f.ticket_id, f.message) for f in result.failures] == [
        (ticket.pk, "You do not have permission to do this.")
    ]
    ticket.refresh_from_db()
    assert ticket.assignee_id is None


def test_a_failing_ticket_does_not_stop_the_others(agent, other_agent, create_ticket):
    tickets = [create_ticket(), create_ticket()]
    result = _bulk(agent, tickets, "assign", str(other_agent.user.pk))
    assert result.changed == []
    assert [f.message for f in result.failures] == [
        "The ticket is not valid. The agent does not work in the ticket's department.",
    ] * 2


@pytest.mark.parametrize(
    ("action", "ids", "value", "fields"),
    [
        ("explode", [1], None, {"action": "Choose an action."}),
        ("close", [], None, {"ticket_ids": "Select tickets."}),
        ("close", list(range(1, 102)), None, {"ticket_ids": "Too many tickets."}),
        ("status", [1], "", {"status": "Choose a value."}),
        ("assign", [1], "someone", {"assignee": "Choose an agent."}),
    ],
)
def test_bad_requests_are_refused_whole(agent, action, ids, value, fields):
    with pytest.raises(ValidationFailed) as raised:
        ticket_bulk_update(
            actor=Actor.agent(agent.user), source=Source.WEB, ticket_ids=ids, action=action, value=value
        )
    assert raised.value.fields == fields


# The endpoint


def test_htmx_bulk_answers_with_the_result_and_asks_the_list_to_refresh(client, agent, create_ticket):
    client.force_login(agent.user)
    tickets = [create_ticket() for _ in range(3)]
    response = client.post(
        BULK, {"action": "assign", "assignee": "me", "ticket_ids": [t.pk for t in tickets]}, headers=PARTIAL
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert response["HX-Trigger"] == "kefu-list-refresh"
    assert "Assign: 3 tickets changed." in body
    assert {
        t.assignee_id for t in TicketFactory._meta.model.objects.filter(pk__in=[t.pk for t in tickets])
    } == {agent.user.pk}


def test_htmx_bulk_lists_the_failures(client, agent, other_department, create_ticket):
    client.force_login(agent.user)
    own = create_ticket()
    foreign = create_ticket(department_id=other_department.pk)
    response = client.post(
        BULK, {"action": "close", "ticket_ids": [own.pk, foreign.pk, "x"]}, headers=PARTIAL
    )
    body = response.content.decode()
    assert "Close: 1 ticket changed." in body
    assert f"Ticket {foreign.pk}: No such ticket." in body
    foreign.refresh_from_db()
    assert foreign.closed_at is None


def test_plain_post_redirects_back_with_messages(client, agent, create_ticket):
    client.force_login(agent.user)
    ticket = create_ticket()
    response = client.post(
        BULK,
        {"action": "tag", "tag": "退款", "ticket_ids": [ticket.pk], "next": "/tickets/?view=open"},
        follow=True,
    )
    assert response.redirect_chain == [("/tickets/?view=open", 302)]
    assert "1 ticket changed." in response.content.decode()


def test_plain_post_ignores_an_outside_next_and_shows_a_bad_request(client, agent):
    client.force_login(agent.user)
    response = client.post(BULK, {"action": "nope", "next": "https://evil.example/"})
    assert (response.status_code, response["Location"]) == (302, reverse("tickets:list"))
    followed = client.get(response["Location"])
    assert "Choose an action." in followed.content.decode()


def test_bulk_needs_post_and_an_agent(client, agent):
    assert client.post(BULK, {"action": "close"}).status_code == 302  # to sign-in
    client.force_login(agent.user)
    assert client.get(BULK).status_code == 405
