"""A customer's message, whatever the channel: it joins an open ticket, reopens a recently closed one, and
opens a follow-up of one closed longer ago than the reopen window. And an agent's first response is
recorded once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from kefu.core.actors import Actor, Source
from kefu.core.event_types import EventType
from kefu.tickets.inputs import MessageInput, ReplyInput
from kefu.tickets.models import Status, Thread, Ticket, TicketEvent
from kefu.tickets.services import ticket_receive, ticket_reply, ticket_update

pytestmark = pytest.mark.django_db


@pytest.fixture
def ticket(create_ticket):
    return create_ticket()


def _close(ticket, agent, *, days_ago: float) -> Ticket:
    ticket_update(
        actor=Actor.agent(agent.user), source=Source.WEB, ticket=ticket, changes={"status": "已关闭"}
    )
    Ticket.objects.filter(pk=ticket.pk).update(closed_at=timezone.now() - dt.timedelta(days=days_ago))
    return Ticket.objects.get(pk=ticket.pk)


def _receive(ticket, **kwargs) -> Thread:
    return ticket_receive(
        actor=Actor.contact(ticket.contact),
        source=Source.EMAIL,
        ticket=ticket,
        data=MessageInput(body="还是连不上", channel="email"),
        **kwargs,
    )


def _snapshot(name: str) -> dict:
    status = Status.objects.get(name=name)
    return {"id": status.pk, "name": status.name, "type": status.status_type}


def test_a_message_on_an_open_ticket_joins_it(ticket, published):
    thread = _receive(ticket)
    assert (thread.ticket_id, thread.direction, thread.author_contact_id) == (
        ticket.pk,
        "in",
        ticket.contact_id,
    )
    ticket.refresh_from_db()
    assert ticket.status.name == "新建"
    rows = TicketEvent.objects.filter(ticket=ticket, action="ticket.message_received")
    assert list(rows.values_list("field", "old_value", "new_value")) == [("threads", None, {"id": thread.pk})]
    [payload] = published(EventType.TICKET_MESSAGE_RECEIVED)
    assert (payload["ticket_id"], payload["thread_id"]) == (ticket.pk, thread.pk)
    assert Ticket.objects.count() == 1


def test_a_message_within_the_departments_window_reopens_the_ticket_in_the_same_change_set(
    ticket, agent, department, published
):
    department.reopen_within_days = 3
    department.save()
    closed = _close(ticket, agent, days_ago=2)
    thread = _receive(closed)
    assert thread.ticket_id == ticket.pk
    ticket.refresh_from_db()
    reopened_to = Status.objects.filter(status_type="open", is_active=True).order_by("order", "id").first()
    assert (ticket.status, ticket.closed_at) == (reopened_to, None)
    rows = list(TicketEvent.objects.filter(ticket=ticket, action="ticket.message_received").order_by("id"))
    assert [(row.field, row.old_value, row.new_value) for row in rows] == [
        ("status", _snapshot("已关闭"), _snapshot(reopened_to.name)),
        ("threads", None, {"id": thread.pk}),
    ]
    assert rows[0].change_set == rows[1].change_set
    [payload] = published(EventType.TICKET_MESSAGE_RECEIVED)
    assert payload["changes"] == [
        {"field": "status", "old": _snapshot("已关闭"), "new": _snapshot(reopened_to.name)},
        {"field": "threads", "old": None, "new": {"id": thread.pk}},
    ]
    assert Ticket.objects.count() == 1


def test_a_message_after_the_window_opens_a_follow_up_ticket(ticket, agent, department, published):
    department.reopen_within_days = 3
    department.save()
    closed = _close(ticket, agent, days_ago=4)
    events_before = TicketEvent.objects.filter(ticket=ticket).count()
    thread = _receive(closed)
    follow_up = Ticket.objects.exclude(pk=ticket.pk).get()
    # The thread returned belongs to the new ticket, which links back to the closed one.
    assert (thread.ticket_id, thread.direction, thread.author_contact_id) == (
        follow_up.pk,
        "in",
        ticket.contact_id,
    )
    assert (follow_up.follow_up_of_id, follow_up.contact_id, follow_up.department_id) == (
        ticket.pk,
        ticket.contact_id,
        ticket.department_id,
    )
    assert (follow_up.subject, follow_up.channel) == (ticket.subject, "email")
    ticket.refresh_from_db()
    assert ticket.status.name == "已关闭"
    assert TicketEvent.objects.filter(ticket=ticket).count() == events_before
    created = TicketEvent.objects.get(ticket=follow_up)
    assert (created.action, created.actor_kind) == ("ticket.created", "contact")
    assert created.new_value["follow_up_of"] == {"id": ticket.pk, "number": ticket.number}
    assert created.new_value["first_message"] == thread.pk
    assert [p["ticket_id"] for p in published(EventType.TICKET_CREATED)] == [ticket.pk, follow_up.pk]
    assert published(EventType.TICKET_MESSAGE_RECEIVED) == []


def test_the_departments_window_defaults_to_fourteen_days(ticket, agent):
    assert ticket.department.reopen_within_days == 14
    assert _receive(_close(ticket, agent, days_ago=13)).ticket_id == ticket.pk
    assert _receive(_close(ticket, agent, days_ago=15)).ticket_id != ticket.pk


def test_the_channels_window_overrides_the_departments(ticket, agent):
    closed = _close(ticket, agent, days_ago=2)
    thread = _receive(closed, reopen_within=dt.timedelta(days=1))
    assert thread.ticket.follow_up_of_id == ticket.pk
    closed = _close(Ticket.objects.get(pk=ticket.pk), agent, days_ago=20)
    assert _receive(closed, reopen_within=dt.timedelta(days=30)).ticket_id == ticket.pk


def test_a_stale_copy_of_the_ticket_is_judged_by_its_current_row(ticket, agent):
    """The caller read the ticket open; it was closed long ago since: the locked row decides."""
    stale = Ticket.objects.get(pk=ticket.pk)
    _close(ticket, agent, days_ago=30)
    assert _receive(stale).ticket.follow_up_of_id == ticket.pk


# --- the first response ---------------------------------------------------------------------------


def test_the_first_response_is_set_once_and_never_overwritten(ticket, agent):
    actor = Actor.agent(agent.user)
    stale = Ticket.objects.get(pk=ticket.pk)
    first = ticket_reply(actor=actor, source=Source.WEB, ticket=ticket, data=ReplyInput(body="一"))
    # A second reply, even through a copy read before the first one, leaves the first response alone.
    second = ticket_reply(actor=actor, source=Source.WEB, ticket=stale, data=ReplyInput(body="二"))
    ticket.refresh_from_db()
    assert ticket.first_responded_at == first.created_at != second.created_at
    rows = TicketEvent.objects.filter(ticket=ticket, field="first_responded_at")
    assert list(rows.values_list("action", "old_value", "new_value")) == [
        ("ticket.replied", None, first.created_at.isoformat())
    ]
    assert (
        rows.get().change_set == TicketEvent.objects.get(ticket=ticket, new_value={"id": first.pk}).change_set
    )


def test_a_customer_message_is_no_response(ticket):
    _receive(ticket)
    ticket.refresh_from_db()
    assert ticket.first_responded_at is None
    assert not TicketEvent.objects.filter(ticket=ticket, field="first_responded_at").exists()
