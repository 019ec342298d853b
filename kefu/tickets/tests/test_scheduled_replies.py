"""Scheduled replies (issue 14, item 3): stored now, sent by the beat task when due, exactly like a reply.

The clock is moved with time-machine; the beat task's function is called directly.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy

import pytest
import time_machine
from django.core import mail
from django.utils import timezone, translation

from kefu.core.actors import Actor, Source
from kefu.core.errors import Conflict, NotFound, ValidationFailed
from kefu.core.event_types import EventType
from kefu.core.models import AuditEntry, OutboxEvent
from kefu.org.tests.factories import AgentFactory
from kefu.tickets.inputs import ReplyInput
from kefu.tickets.models import Status, StatusType, Thread
from kefu.tickets.selectors import conversation_threads, scheduled_replies
from kefu.tickets.services import (
    scheduled_replies_send_due,
    scheduled_reply_cancel,
    scheduled_reply_update,
    ticket_delete,
    ticket_reply,
    ticket_set_status,
)
from kefu.tickets.tasks import send_scheduled_replies

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def ticket(clock, create_ticket):
    return create_ticket()


def schedule(agent, ticket, minutes: int = 120, **values) -> Thread:
    data = ReplyInput(
        body="您好，工程师明早九点上门。", send_at=START + dt.timedelta(minutes=minutes), **values
    )
    return ticket_reply(actor=Actor.agent(agent.user), source=Source.WEB, ticket=ticket, data=data)


def test_a_scheduled_reply_is_stored_but_not_sent_nor_shown_to_the_customer(agent, ticket, published):
    shown = list(conversation_threads(ticket))
    thread = schedule(agent, ticket)
    thread.refresh_from_db()
    assert (thread.scheduled, thread.send_at, thread.delivery_status) == (
        True,
        START + dt.timedelta(hours=2),
        "",
    )
    assert published(EventType.TICKET_REPLIED) == []
    assert not ticket.events.filter(action="ticket.replied").exists()
    assert list(conversation_threads(ticket)) == shown
    assert list(scheduled_replies(ticket)) == [thread]
    ticket.refresh_from_db()
    assert ticket.first_responded_at is None
    entry = AuditEntry.objects.get(action="ticket.reply_scheduled")
    assert entry.changes == {
        "thread_id": thread.pk,
        "send_at": {"from": None, "to": "2026-12-07T11:00:00+00:00"},
    }


def test_the_beat_task_sends_it_when_due_exactly_as_a_reply(
    agent, ticket, clock, published, django_capture_on_commit_callbacks
):
    thread = schedule(agent, ticket, minutes=2)
    clock.move_to(START + dt.timedelta(minutes=1))
    assert send_scheduled_replies() == 0
    clock.move_to(START + dt.timedelta(minutes=2))
    with django_capture_on_commit_callbacks(execute=True):
        assert send_scheduled_replies() == 1
    thread.refresh_from_db()
    ticket.refresh_from_db()
    assert (thread.scheduled, thread.created_at) == (False, START + dt.timedelta(minutes=2))
    assert ticket.first_responded_at == thread.created_at
    events = list(ticket.events.filter(action="ticket.replied").order_by("id"))
    assert [(e.field, e.new_value, e.actor_id, e.source) for e in events] == [
        ("threads", {"id": thread.pk}, agent.user.pk, "scheduler"),
        ("first_responded_at", thread.created_at.isoformat(), agent.user.pk, "scheduler"),
    ]
    [payload] = published(EventType.TICKET_REPLIED)
    assert payload["thread_id"] == thread.pk
    # The existing outbound flow emailed it, threaded like any reply.
    [sent] = mail.outbox
    message = email.message_from_bytes(sent.message().as_bytes(), policy=email.policy.default)
    assert message["To"] == "wang.fang@example.cn"
    assert "您好，工程师明早九点上门。" in message.get_body(("plain",)).get_content()
    assert message["In-Reply-To"]
    thread.refresh_from_db()
    assert thread.delivery_status == "sent"
    # Due again? It went: nothing more.
    clock.move_to(START + dt.timedelta(minutes=5))
    assert send_scheduled_replies() == 0
    assert len(mail.outbox) == 1
    assert OutboxEvent.objects.filter(event_type=EventType.TICKET_REPLIED.value).count() == 1


def test_a_ticket_closed_meanwhile_still_gets_the_reply_and_stays_closed(agent, ticket, clock):
    thread = schedule(agent, ticket, minutes=10)
    closed = Status.objects.filter(status_type=StatusType.CLOSED).first()
    ticket_set_status(actor=Actor.agent(agent.user), source=Source.WEB, ticket=ticket, status=closed.pk)
    clock.move_to(START + dt.timedelta(minutes=10))
    assert scheduled_replies_send_due() == 1
    thread.refresh_from_db()
    ticket.refresh_from_db()
    assert thread.scheduled is False
    assert ticket.status_id == closed.pk


def test_a_trashed_ticket_makes_the_reply_fail_visibly(agent, admin_agent, ticket, clock):
    thread = schedule(agent, ticket, minutes=10)
    ticket_delete(actor=Actor.agent(admin_agent.user), source=Source.WEB, ticket=ticket)
    clock.move_to(START + dt.timedelta(minutes=10))
    assert scheduled_replies_send_due() == 0
    thread.refresh_from_db()
    # It stays scheduled (never shown to the customer) with the reason, and is not tried again.
    assert (thread.scheduled, thread.delivery_status, thread.delivery_error) == (
        True,
        "failed",
        "The ticket is in the trash.",
    )
    assert not ticket.events.filter(action="ticket.replied").exists()
    clock.move_to(START + dt.timedelta(minutes=20))
    assert scheduled_replies_send_due() == 0
    assert not ticket.events.filter(action="ticket.replied").exists()


def test_an_agent_deactivated_meanwhile_cannot_send_it(agent, department, ticket, clock):
    colleague = AgentFactory(user__email="li.na@kefu.test", departments=[department])
    thread = schedule(agent, ticket, minutes=10)
    agent.user.is_active = False
    agent.user.save(update_fields=["is_active"])
    clock.move_to(START + dt.timedelta(minutes=10))
    assert scheduled_replies_send_due() == 0
    thread.refresh_from_db()
    assert (thread.scheduled, thread.delivery_status) == (True, "failed")
    assert thread.delivery_error == "The agent who scheduled this reply can no longer send it."
    # A colleague takes it over: changing it makes them its author, and it goes at the new time.
    scheduled_reply_update(
        actor=Actor.agent(colleague.user),
        source=Source.WEB,
        thread=thread,
        send_at=START + dt.timedelta(minutes=30),
    )
    thread.refresh_from_db()
    assert (thread.author_user_id, thread.delivery_status, thread.delivery_error) == (
        colleague.user_id,
        "",
        "",
    )
    clock.move_to(START + dt.timedelta(minutes=30))
    assert scheduled_replies_send_due() == 1
    assert ticket.events.get(action="ticket.replied", field="threads").actor_id == colleague.user_id


def test_an_agent_moved_out_of_the_department_cannot_send_it(agent, other_department, ticket, clock):
    thread = schedule(agent, ticket, minutes=10)
    agent.departments.set([other_department])
    clock.move_to(START + dt.timedelta(minutes=10))
    assert scheduled_replies_send_due() == 0
    thread.refresh_from_db()
    assert thread.delivery_error == "The agent who scheduled this reply can no longer see this ticket."


def test_change_the_text_and_time_then_cancel(agent, ticket, clock):
    thread = schedule(agent, ticket)
    actor = Actor.agent(agent.user)
    new_time = START + dt.timedelta(days=1)
    scheduled_reply_update(actor=actor, source=Source.API, thread=thread, body="改到明天。", send_at=new_time)
    thread.refresh_from_db()
    assert (thread.body_text, thread.send_at, thread.scheduled) == ("改到明天。", new_time, True)
    clock.move_to(START + dt.timedelta(hours=3))
    assert scheduled_replies_send_due() == 0
    scheduled_reply_cancel(actor=actor, source=Source.API, thread=thread)
    assert not Thread.objects.filter(pk=thread.pk).exists()
    assert AuditEntry.objects.filter(action="ticket.reply_schedule_cancelled").count() == 1


def test_after_it_went_it_can_be_neither_changed_nor_cancelled(agent, ticket, clock):
    thread = schedule(agent, ticket, minutes=1)
    clock.move_to(START + dt.timedelta(minutes=1))
    scheduled_replies_send_due()
    actor = Actor.agent(agent.user)
    stale = Thread.objects.get(pk=thread.pk)
    stale.scheduled = True  # a copy read before it went: the conditional UPDATE still refuses
    with pytest.raises(Conflict):
        scheduled_reply_update(actor=actor, source=Source.API, thread=stale, body="晚了")
    with pytest.raises(Conflict):
        scheduled_reply_cancel(actor=actor, source=Source.API, thread=stale)
    thread.refresh_from_db()
    assert thread.body_text == "您好，工程师明早九点上门。"


@pytest.mark.parametrize(
    ("send_at", "message"),
    [
        (START - dt.timedelta(minutes=1), "Choose a time in the future."),
        (START + dt.timedelta(days=366), "Choose a time within 365 days from now."),
        (
            dt.datetime(2026, 12, 8, 9, 30),
            "Enter a date and time with its time zone offset, such as 2026-12-08T09:30:00+08:00.",
        ),
    ],
)
def test_bad_send_at_is_refused_and_nothing_is_stored(agent, ticket, send_at, message):
    before = Thread.objects.count()
    with pytest.raises(ValidationFailed) as caught:
        ticket_reply(
            actor=Actor.agent(agent.user),
            source=Source.WEB,
            ticket=ticket,
            data=ReplyInput(body="", send_at=send_at),
        )
    assert caught.value.fields == {"body": "This field is required.", "send_at": message}
    assert Thread.objects.count() == before


def test_bad_send_at_in_chinese(agent, ticket):
    with translation.override("zh-hans"), pytest.raises(ValidationFailed) as caught:
        schedule(agent, ticket, minutes=-5)
    assert caught.value.fields == {"send_at": "请选择一个将来的时间。"}


def test_only_agents_schedule_replies(ticket):
    with pytest.raises(ValidationFailed) as caught:
        ticket_reply(
            actor=Actor.system(),
            source=Source.AUTOMATION,
            ticket=ticket,
            data=ReplyInput(body="自动", send_at=START + dt.timedelta(hours=1)),
        )
    assert caught.value.fields == {"send_at": "Only agents can schedule replies."}


def test_an_agent_of_another_department_cannot_touch_it(agent, other_agent, ticket):
    thread = schedule(agent, ticket)
    with pytest.raises(NotFound):
        scheduled_reply_cancel(actor=Actor.agent(other_agent.user), source=Source.API, thread=thread)
    assert Thread.objects.filter(pk=thread.pk, scheduled=True).exists()


def test_the_send_is_claimed_once_even_when_called_twice(agent, ticket, clock):
    from kefu.tickets.services import scheduled_reply_send

    thread = schedule(agent, ticket, minutes=1)
    clock.move_to(START + dt.timedelta(minutes=1))
    assert scheduled_reply_send(thread_id=thread.pk) is not None
    assert scheduled_reply_send(thread_id=thread.pk) is None
    assert ticket.events.filter(action="ticket.replied", field="threads").count() == 1
    assert timezone.now() == START + dt.timedelta(minutes=1)


def test_its_files_reach_the_customer_only_once_it_went(agent, ticket, clock):
    import io

    from kefu.portal.selectors import customer_attachment
    from kefu.tickets.services import attachment_add

    actor = Actor.agent(agent.user)
    content = io.BytesIO(b"%PDF-1.4 quote")
    attachment = attachment_add(
        actor=actor, source=Source.WEB, ticket=ticket, filename="报价单.pdf", content=content, size=14
    )
    thread = schedule(agent, ticket, minutes=1, attachment_ids=[attachment.pk])
    assert list(thread.attachments.all()) == [attachment]
    assert customer_attachment(ticket.contact, ticket.pk, attachment.pk) is None
    clock.move_to(START + dt.timedelta(minutes=1))
    assert scheduled_replies_send_due() == 1
    assert customer_attachment(ticket.contact, ticket.pk, attachment.pk) == attachment


def test_a_scheduled_reply_cannot_be_split_off(agent, admin_agent, ticket):
    from kefu.tickets.services import ticket_split

    thread = schedule(agent, ticket)
    with pytest.raises(NotFound):
        ticket_split(
            actor=Actor.agent(admin_agent.user), source=Source.WEB, ticket=ticket, thread_id=thread.pk
        )
    assert Thread.objects.get(pk=thread.pk).ticket_id == ticket.pk


def test_an_export_leaves_out_a_reply_not_sent_yet(api, agent, ticket, django_capture_on_commit_callbacks):
    import io

    from openpyxl import load_workbook

    schedule(agent, ticket)
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post_json("/api/v1/exports", {"kind": "tickets", "format": "xlsx"})
    body = api.get(f"/api/v1/exports/{response.json()['id']}").json()
    download = api.get(body["download_url"])
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content)), read_only=True).worksheets[0]
    text = "\n".join(str(cell) for row in sheet.iter_rows(values_only=True) for cell in row if cell)
    assert "按照说明书操作后仍然连不上。" in text
    assert "工程师明早九点上门" not in text
