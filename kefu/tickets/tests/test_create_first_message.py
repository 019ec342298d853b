"""The one create path: every ticket starts with the customer's first message, on every channel.

Whatever the door (email, the API, the console, the help center, an agent logging a phone call), the
first message is the ticket's first inbound thread, written by the contact, with its files and CC; the
description holds its text; the log has exactly one ``ticket.created`` row with the full initial state
and the outbox one ``ticket.created`` event. Also: a thread's Message-ID, set once by the system.
"""

from __future__ import annotations

import io

import pytest
from django.urls import reverse

from kefu.contacts.models import Contact
from kefu.contacts.tests.factories import ContactFactory
from kefu.core.actors import Actor, Source
from kefu.core.errors import PermissionDenied, ValidationFailed
from kefu.core.event_types import EventType
from kefu.core.models import AuditEntry
from kefu.tickets.inputs import ContactRef, FileInput, MessageInput, ReplyInput, TicketCreateInput
from kefu.tickets.models import Attachment, Priority, Status, Thread, Ticket, TicketEvent
from kefu.tickets.services import thread_message_id_assign, ticket_create, ticket_reply

pytestmark = pytest.mark.django_db

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


@pytest.fixture
def contact(db):
    return ContactFactory(email="li.na@example.cn", name="李娜")


def _data(department, contact, **overrides) -> TicketCreateInput:
    values = {
        "subject": "打印机无法连接网络",
        "department_id": department.pk,
        "contact": ContactRef(contact_id=contact.pk),
    }
    values.update(overrides)
    return TicketCreateInput(**values)


def _channels(agent, contact):
    """(actor, source, channel) of every door a ticket comes through."""
    return {
        "email": (Actor.contact(contact), Source.EMAIL, "email"),
        "api": (Actor.agent(agent.user), Source.API, "api"),
        "console": (Actor.agent(agent.user), Source.WEB, "web"),
        "help center": (Actor.contact(contact), Source.PORTAL, "portal"),
        "phone": (Actor.agent(agent.user), Source.WEB, "phone"),  # an agent logging a call
    }


@pytest.mark.parametrize("door", ["email", "api", "console", "help center", "phone"])
def test_the_first_message_is_the_first_inbound_thread_by_the_contact_on_every_channel(
    department, agent, contact, published, door
):
    actor, source, channel = _channels(agent, contact)[door]
    ticket = ticket_create(
        actor=actor,
        source=source,
        data=_data(
            department,
            contact,
            channel=channel,
            message=MessageInput(body="<p>您好，打印机重启后仍然不行。</p>", channel=channel),
        ),
    )
    thread = Thread.objects.get()
    assert ticket.first_thread == thread
    assert (thread.ticket_id, thread.direction, thread.channel) == (ticket.pk, "in", channel)
    # Written by the customer, even when an agent typed it in (a phone call, the console).
    assert (thread.author_contact, thread.author_user, thread.from_address) == (
        contact,
        None,
        "li.na@example.cn",
    )
    assert (thread.subject, thread.body_html, thread.body_text) == (
        "打印机无法连接网络",
        "<p>您好，打印机重启后仍然不行。</p>",
        "您好，打印机重启后仍然不行。",
    )
    assert thread.created_at == ticket.created_at == ticket.updated_at
    assert Ticket.objects.get().description == "<p>您好，打印机重启后仍然不行。</p>"
    event = TicketEvent.objects.get()
    assert (event.action, event.field, event.actor_kind, event.actor_id, event.source) == (
        "ticket.created",
        "",
        actor.kind.value,
        actor.id,
        source.value,
    )
    assert (event.new_value["channel"], event.new_value["first_message"]) == (channel, thread.pk)
    [payload] = published(EventType.TICKET_CREATED)
    assert (payload["ticket_id"], payload["thread_id"], payload["change_set"]) == (
        ticket.pk,
        thread.pk,
        event.change_set,
    )
    assert published(EventType.TICKET_MESSAGE_RECEIVED) == []


def test_without_a_message_the_description_is_the_first_message(department, agent, contact):
    ticket = ticket_create(
        actor=Actor.agent(agent.user),
        source=Source.API,
        data=_data(department, contact, description="重启后仍然不行。"),
    )
    thread = ticket.threads.get()
    assert (thread.direction, thread.author_contact, thread.body_text) == ("in", contact, "重启后仍然不行。")
    assert ticket.description == thread.body_html == "<p>重启后仍然不行。</p>"


def test_the_created_state_is_complete_and_published_field_by_field(
    department, agent, contact, published, django_capture_on_commit_callbacks
):
    high = Priority.objects.get(name="高")
    new = Status.objects.get(name="新建")
    with django_capture_on_commit_callbacks(execute=True):
        ticket = ticket_create(
            actor=Actor.agent(agent.user),
            source=Source.API,
            data=_data(
                department,
                contact,
                priority="High",
                assignee_id=agent.user.pk,
                category="硬件",
                language="zh-hans",
                tags=["打印机", "VIP"],
                message=MessageInput(body="打印机离线", cc=["wang@example.cn"]),
            ),
        )
    thread = ticket.threads.get()
    wang = Contact.objects.get(email="wang@example.cn")
    state = {
        "number": ticket.number,
        "subject": "打印机无法连接网络",
        "status": {"id": new.pk, "name": "新建", "type": "open"},
        "priority": {"id": high.pk, "name": "高"},
        "type": None,
        "department": {"id": department.pk, "name": "售后服务"},
        "team": None,
        "assignee": {"id": agent.user.pk, "name": "张伟"},
        "channel": "web",
        "contact": {"id": contact.pk, "name": "李娜", "email": "li.na@example.cn"},
        "account": None,
        "brand": None,
        "parent": None,
        "follow_up_of": None,
        "category": "硬件",
        "sub_category": "",
        "product": "",
        "language": "zh-hans",
        "tags": ["VIP", "打印机"],
        "custom_fields": {},
        "first_message": thread.pk,
        "cc_contacts": [{"id": wang.pk, "email": "wang@example.cn"}],
        "attachments": [],
    }
    event = TicketEvent.objects.get(ticket=ticket)
    assert (event.action, event.field, event.old_value, event.new_value) == (
        "ticket.created",
        "",
        None,
        state,
    )
    assert event.caused_by == ""
    [payload] = published(EventType.TICKET_CREATED)
    assert payload == {
        "change_set": event.change_set,
        "caused_by": None,
        "ticket_id": ticket.pk,
        "actor": {"kind": "agent", "id": agent.user.pk},
        "source": "api",
        "at": event.created_at.isoformat(),
        "changes": [{"field": name, "old": None, "new": value} for name, value in state.items()],
        "thread_id": thread.pk,
    }
    audit = AuditEntry.objects.get(object_type="tickets.ticket", object_id=ticket.pk)
    assert audit.action == "ticket.created"


def test_files_are_stored_with_the_first_message_and_cid_images_point_at_them(department, contact, published):
    ticket = ticket_create(
        actor=Actor.contact(contact),
        source=Source.EMAIL,
        data=_data(
            department,
            contact,
            channel="email",
            message=MessageInput(
                body='<p>见截图：<img src="cid:shot1@example.cn"></p>',
                channel="email",
                files=[
                    FileInput(
                        filename="截图.png",
                        content=io.BytesIO(PNG),
                        content_id="shot1@example.cn",
                        is_inline=True,
                    ),
                    FileInput(filename="日志.txt", content=io.BytesIO("日志内容".encode())),
                ],
            ),
        ),
    )
    thread = ticket.threads.get()
    shot, log = Attachment.objects.order_by("id")
    assert [(a.filename, a.content_type, a.thread_id, a.ticket_id) for a in (shot, log)] == [
        ("截图.png", "image/png", thread.pk, ticket.pk),
        ("日志.txt", "text/plain", thread.pk, ticket.pk),
    ]
    assert shot.file.read() == PNG
    url = reverse("api-v1:download_attachment", kwargs={"ticket_id": ticket.pk, "attachment_id": shot.pk})
    assert f'src="{url}"' in thread.body_html
    assert "cid:" not in thread.body_html
    event = TicketEvent.objects.get(ticket=ticket)
    assert event.new_value["attachments"] == [
        {"id": shot.pk, "name": "截图.png"},
        {"id": log.pk, "name": "日志.txt"},
    ]
    assert published(EventType.TICKET_ATTACHMENT_ADDED) == []


def test_cc_addresses_become_cc_contacts_but_never_the_requester(department, contact):
    boss = ContactFactory(email="boss@example.cn")
    ticket = ticket_create(
        actor=Actor.contact(contact),
        source=Source.EMAIL,
        data=_data(
            department,
            contact,
            channel="email",
            message=MessageInput(body="请看", cc=["Boss@Example.cn", "New@Example.cn", "li.na@example.cn"]),
        ),
    )
    newcomer = Contact.objects.get(email="new@example.cn")
    assert sorted(ticket.cc_contacts.values_list("pk", flat=True)) == sorted([boss.pk, newcomer.pk])
    thread = ticket.threads.get()
    assert thread.cc == ["boss@example.cn", "new@example.cn", "li.na@example.cn"]
    assert TicketEvent.objects.get(ticket=ticket).new_value["cc_contacts"] == sorted(
        [{"id": boss.pk, "email": "boss@example.cn"}, {"id": newcomer.pk, "email": "new@example.cn"}],
        key=lambda item: item["id"],
    )


def test_keep_in_cc_chooses_whom_the_ticket_keeps(department, contact):
    ticket = ticket_create(
        actor=Actor.contact(contact),
        source=Source.EMAIL,
        data=_data(
            department,
            contact,
            message=MessageInput(body="请看", cc=["list@example.cn"], keep_in_cc=["boss@example.cn"]),
        ),
    )
    assert list(ticket.cc_contacts.values_list("email", flat=True)) == ["boss@example.cn"]
    assert ticket.threads.get().cc == ["list@example.cn"]


def test_an_empty_body_is_refused_before_anything_is_written(department, contact):
    with pytest.raises(ValidationFailed) as error:
        ticket_create(
            actor=Actor.contact(contact),
            source=Source.EMAIL,
            data=_data(department, contact, message=MessageInput(body="  ", cc=["not an address"])),
        )
    assert error.value.fields == {
        "description": "Write the customer's message.",
        "cc": "Enter valid email addresses.",
    }
    assert (Ticket.objects.count(), Thread.objects.count(), TicketEvent.objects.count()) == (0, 0, 0)


@pytest.mark.parametrize("description", ["", "   ", "<p> </p>"])
def test_neither_a_message_nor_a_description_is_refused_naming_description(
    department, agent, contact, description
):
    with pytest.raises(ValidationFailed) as error:
        ticket_create(
            actor=Actor.agent(agent.user),
            source=Source.API,
            data=_data(department, contact, description=description),
        )
    assert error.value.fields == {"description": "Write the customer's message."}
    assert (Ticket.objects.count(), Thread.objects.count()) == (0, 0)


def test_an_html_description_is_stored_sanitised_and_escaped_text_stays_text(department, agent, contact):
    ticket = ticket_create(
        actor=Actor.agent(agent.user),
        source=Source.API,
        data=_data(department, contact, description="<p>&lt;img src=x onerror=alert(1)&gt;</p>"),
    )
    # The console shows the description as HTML: escaped text must stay escaped.
    assert ticket.description == "<p>&lt;img src=x onerror=alert(1)&gt;</p>"
    assert ticket.threads.get().body_text == "<img src=x onerror=alert(1)>"


def test_attachment_ids_cannot_belong_to_a_ticket_not_yet_made(department, contact):
    with pytest.raises(ValidationFailed) as error:
        ticket_create(
            actor=Actor.contact(contact),
            source=Source.EMAIL,
            data=_data(department, contact, message=MessageInput(body="见附件", attachment_ids=[12345])),
        )
    assert error.value.fields == {"attachment_ids": "A new ticket takes its files with the message."}
    assert Ticket.objects.count() == 0


def test_a_customer_opens_tickets_only_for_itself(department, contact):
    other = ContactFactory()
    with pytest.raises(ValidationFailed) as error:
        ticket_create(
            actor=Actor.contact(contact),
            source=Source.PORTAL,
            data=_data(department, other, message=MessageInput(body="你好")),
        )
    assert error.value.fields == {"contact_id": "You can open tickets only for yourself."}
    assert Ticket.objects.count() == 0


def test_an_agent_outside_the_department_cannot_open_one(department, other_agent, contact):
    with pytest.raises(ValidationFailed) as error:
        ticket_create(
            actor=Actor.agent(other_agent.user),
            source=Source.WEB,
            data=_data(department, contact, message=MessageInput(body="你好")),
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
