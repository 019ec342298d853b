"""CC contacts, follow-ups and spam at creation, and the delivery status of replies sent by email."""

from __future__ import annotations

import pytest

from kefu.contacts.tests.factories import ContactFactory
from kefu.core.actors import Actor, Source
from kefu.core.errors import NotFound, ValidationFailed
from kefu.tickets.inputs import ContactRef, ReplyInput, TicketCreateInput
from kefu.tickets.models import Thread, TicketEvent
from kefu.tickets.services import thread_delivery_update, ticket_cc_add, ticket_create, ticket_reply
from kefu.tickets.services.cc import MAX_CC_CONTACTS

pytestmark = pytest.mark.django_db


def test_cc_add_adds_new_contacts_once_and_logs_each(create_ticket, agent):
    ticket = create_ticket()
    wang, zhao = ContactFactory(email="wang@example.cn"), ContactFactory(email="zhao@example.cn")
    added = ticket_cc_add(
        actor=Actor.agent(agent.user),
        source=Source.WEB,
        ticket=ticket,
        contacts=[wang, zhao, ticket.contact],
    )
    assert added == [wang, zhao]
    again = ticket_cc_add(actor=Actor.agent(agent.user), source=Source.WEB, ticket=ticket, contacts=[wang])
    assert again == []
    assert sorted(ticket.cc_contacts.values_list("email", flat=True)) == [
        "wang@example.cn",
        "zhao@example.cn",
    ]
    # One change-set, one row: the CC list before and after; adding nobody new records nothing.
    event = TicketEvent.objects.get(ticket=ticket, field="cc_contacts")
    assert (event.action, event.actor_kind, event.old_value, event.new_value) == (
        "ticket.updated",
        "agent",
        [],
        [{"id": wang.pk, "email": "wang@example.cn"}, {"id": zhao.pk, "email": "zhao@example.cn"}],
    )


def test_cc_add_on_another_departments_ticket_is_not_found(create_ticket, other_agent):
    ticket = create_ticket()
    with pytest.raises(NotFound):
        ticket_cc_add(
            actor=Actor.agent(other_agent.user), source=Source.WEB, ticket=ticket, contacts=[ContactFactory()]
        )
    assert ticket.cc_contacts.count() == 0


def test_cc_add_keeps_at_most_the_limit(create_ticket):
    ticket = create_ticket()
    contacts = ContactFactory.create_batch(MAX_CC_CONTACTS + 1)
    with pytest.raises(ValidationFailed) as error:
        ticket_cc_add(actor=Actor.system(), source=Source.EMAIL, ticket=ticket, contacts=contacts)
    assert error.value.fields == {"cc": "Too many contacts in CC."}
    assert ticket.cc_contacts.count() == 0
    assert not TicketEvent.objects.filter(ticket=ticket, field="cc_contacts").exists()


def test_a_follow_up_and_spam_flag_are_set_at_creation(create_ticket, department):
    earlier = create_ticket()
    ticket = ticket_create(
        actor=Actor.system(),
        source=Source.EMAIL,
        data=TicketCreateInput(
            subject="又坏了",
            department_id=department.pk,
            contact=ContactRef(email="li.na@example.cn"),
            description="还是连不上。",
            follow_up_of_id=earlier.pk,
            is_spam=True,
        ),
    )
    assert (ticket.follow_up_of, ticket.is_spam) == (earlier, True)
    # The link is part of the created state, not an event of its own.
    event = TicketEvent.objects.get(ticket=ticket)
    assert event.action == "ticket.created"
    assert event.new_value["follow_up_of"] == {"id": earlier.pk, "number": earlier.number}


def test_a_follow_up_of_a_ticket_the_agent_cannot_see_is_refused(
    create_ticket, other_agent, other_department
):
    hidden = create_ticket()
    with pytest.raises(ValidationFailed) as error:
        ticket_create(
            actor=Actor.agent(other_agent.user),
            source=Source.WEB,
            data=TicketCreateInput(
                subject="又坏了",
                department_id=other_department.pk,
                contact=ContactRef(email="li.na@example.cn"),
                description="还是连不上。",
                follow_up_of_id=hidden.pk,
            ),
        )
    assert error.value.fields == {"follow_up_of_id": f"Unknown id {hidden.pk}."}
    assert hidden.follow_ups.count() == 0


def _reply(ticket, agent) -> Thread:
    return ticket_reply(
        actor=Actor.agent(agent.user),
        source=Source.WEB,
        ticket=ticket,
        data=ReplyInput(body="请重启路由器。"),
    )


def test_delivery_failure_is_recorded_on_the_thread_and_the_timeline(create_ticket, agent):
    ticket = create_ticket(channel="email")
    thread = _reply(ticket, agent)
    thread_delivery_update(actor=Actor.system(), source=Source.EMAIL, thread=thread, status="queued")
    thread_delivery_update(
        actor=Actor.system(), source=Source.EMAIL, thread=thread, status="failed", error="550 user unknown"
    )
    thread_delivery_update(
        actor=Actor.system(), source=Source.EMAIL, thread=thread, status="failed", error="550 user unknown"
    )
    thread.refresh_from_db()
    assert (thread.delivery_status, thread.delivery_error) == ("failed", "550 user unknown")
    events = TicketEvent.objects.filter(ticket=ticket, field="delivery_status")
    assert [(event.action, event.old_value, event.new_value) for event in events] == [
        (
            "ticket.delivery_updated",
            "queued",
            {"thread_id": thread.pk, "status": "failed", "error": "550 user unknown"},
        )
    ]


def test_sent_clears_the_error(create_ticket, agent):
    thread = _reply(create_ticket(channel="email"), agent)
    thread_delivery_update(
        actor=Actor.system(), source=Source.EMAIL, thread=thread, status="failed", error="x"
    )
    thread_delivery_update(actor=Actor.system(), source=Source.EMAIL, thread=thread, status="sent", error="y")
    thread.refresh_from_db()
    assert (thread.delivery_status, thread.delivery_error) == ("sent", "")


def test_a_bad_status_or_an_inbound_thread_is_refused(create_ticket, agent):
    thread = _reply(create_ticket(channel="email"), agent)
    with pytest.raises(ValidationFailed):
        thread_delivery_update(actor=Actor.system(), source=Source.EMAIL, thread=thread, status="lost")
    Thread.objects.filter(pk=thread.pk).update(direction=Thread.Direction.INBOUND)
    thread.refresh_from_db()
    with pytest.raises(ValidationFailed):
        thread_delivery_update(actor=Actor.system(), source=Source.EMAIL, thread=thread, status="sent")
    assert Thread.objects.get(pk=thread.pk).delivery_status == ""
