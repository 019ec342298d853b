"""A new ticket and its first customer message in one pass (email intake), and a thread's Message-ID."""

from __future__ import annotations

import pytest

from kefu.contacts.tests.factories import ContactFactory
from kefu.core import events
from kefu.core.actors import Actor, Source
from kefu.core.errors import PermissionDenied, ValidationFailed
from kefu.core.models import AuditEntry
from kefu.tickets.inputs import ContactRef, MessageInput, ReplyInput, TicketCreateInput
from kefu.tickets.models import Thread, Ticket, TicketEvent
from kefu.tickets.services import thread_message_id_assign, ticket_create_with_message, ticket_reply

pytestmark = pytest.mark.django_db


def _data(department, contact) -> TicketCreateInput:
    return TicketCreateInput(
        subject="打印机无法连接网络",
        department_id=department.pk,
        contact=ContactRef(contact_id=contact.pk),
        channel="email",
    )


def test_the_ticket_and_its_first_thread_are_written_and_logged_together(
    department, django_capture_on_commit_callbacks, monkeypatch
):
    seen: list[tuple[str, dict]] = []
    for name in ("ticket.created", "ticket.message_received"):
        recorder = lambda event, payload: seen.append((event, payload))  # noqa: E731
        monkeypatch.setitem(events._subscribers, name, [recorder])
    contact = ContactFactory(email="li.na@example.cn", name="李娜")
    with django_capture_on_commit_callbacks(execute=True):
        thread = ticket_create_with_message(
            actor=Actor.contact(contact),
            source=Source.EMAIL,
            data=_data(department, contact),
            message=MessageInput(
                body="<p>您好，打印机重启后仍然不行。</p>",
                from_address="li.na@example.cn",
                channel="email",
                cc=["Wang@Example.cn"],
                message_id="m1@example.cn",
            ),
        )
    ticket = Ticket.objects.get()
    assert thread.ticket == ticket
    assert (thread.direction, thread.channel, thread.message_id) == (
        Thread.Direction.INBOUND,
        "email",
        "m1@example.cn",
    )
    assert (thread.author_contact, thread.from_address, thread.cc) == (
        contact,
        "li.na@example.cn",
        ["wang@example.cn"],
    )
    assert thread.subject == "打印机无法连接网络"
    assert thread.body_html == "<p>您好，打印机重启后仍然不行。</p>"
    assert thread.created_at == ticket.created_at == ticket.updated_at
    events_logged = TicketEvent.objects.filter(ticket=ticket).order_by("id")
    assert [(event.action, event.actor_kind, event.source) for event in events_logged] == [
        ("created", "contact", "email"),
        ("received", "contact", "email"),
    ]
    assert events_logged[1].new_value == {"id": thread.pk}
    audit = AuditEntry.objects.get(object_type="tickets.ticket", object_id=ticket.pk)
    assert audit.action == "ticket.created+received"
    assert seen == [
        ("ticket.created", {"ticket_id": ticket.pk, "actor_kind": "contact", "source": "email"}),
        ("ticket.message_received", {"ticket_id": ticket.pk, "thread_id": thread.pk, "source": "email"}),
    ]


def test_an_empty_body_is_refused_before_anything_is_written(department):
    contact = ContactFactory()
    with pytest.raises(ValidationFailed) as error:
        ticket_create_with_message(
            actor=Actor.contact(contact),
            source=Source.EMAIL,
            data=_data(department, contact),
            message=MessageInput(body="  ", cc=["not an address"]),
        )
    assert error.value.fields == {"body": "This field is required.", "cc": "Enter valid email addresses."}
    assert Ticket.objects.count() == 0
    assert Thread.objects.count() == 0


def test_attachment_ids_cannot_belong_to_a_ticket_not_yet_made(department):
    contact = ContactFactory()
    with pytest.raises(ValidationFailed) as error:
        ticket_create_with_message(
            actor=Actor.contact(contact),
            source=Source.EMAIL,
            data=_data(department, contact),
            message=MessageInput(body="见附件", attachment_ids=[12345]),
        )
    assert error.value.fields == {"attachment_ids": "Unknown or already used: 12345."}
    assert Ticket.objects.count() == 0


def test_an_agent_outside_the_department_cannot_open_one(department, other_agent):
    contact = ContactFactory()
    with pytest.raises(ValidationFailed) as error:
        ticket_create_with_message(
            actor=Actor.agent(other_agent.user),
            source=Source.WEB,
            data=_data(department, contact),
            message=MessageInput(body="你好"),
        )
    assert error.value.fields == {"department_id": "You do not work in this department."}
    assert Ticket.objects.count() == 0


def _outbound(create_ticket, agent) -> Thread:
    ticket = create_ticket(channel="email")
    return ticket_reply(
        actor=Actor.agent(agent.user), source=Source.WEB, ticket=ticket, data=ReplyInput(body="好的")
    )


def test_message_id_is_set_once_and_the_first_value_is_kept(create_ticket, agent):
    thread = _outbound(create_ticket, agent)
    first = thread_message_id_assign(
        actor=Actor.system(), source=Source.EMAIL, thread=thread, message_id="kefu.1.a@kefu.test"
    )
    stale = Thread.objects.get(pk=thread.pk)
    stale.message_id = ""
    second = thread_message_id_assign(
        actor=Actor.system(), source=Source.EMAIL, thread=stale, message_id="kefu.1.b@kefu.test"
    )
    assert (first, second, stale.message_id) == ("kefu.1.a@kefu.test",) * 3
    assert Thread.objects.get(pk=thread.pk).message_id == "kefu.1.a@kefu.test"
    assert not TicketEvent.objects.filter(ticket=thread.ticket, field="message_id").exists()


def test_only_the_system_sets_a_message_id(create_ticket, agent):
    thread = _outbound(create_ticket, agent)
    with pytest.raises(PermissionDenied):
        thread_message_id_assign(
            actor=Actor.agent(agent.user), source=Source.WEB, thread=thread, message_id="x@kefu.test"
        )
    assert Thread.objects.get(pk=thread.pk).message_id == ""


@pytest.mark.parametrize("message_id", ["", "<x@kefu.test>", "x @kefu.test", "x" * 999, None])
def test_a_bad_message_id_is_refused(create_ticket, agent, message_id):
    thread = _outbound(create_ticket, agent)
    with pytest.raises(ValidationFailed) as error:
        thread_message_id_assign(
            actor=Actor.system(), source=Source.EMAIL, thread=thread, message_id=message_id
        )
    assert error.value.fields == {"message_id": "Give a Message-ID without spaces or angle brackets."}
    assert Thread.objects.get(pk=thread.pk).message_id == ""
