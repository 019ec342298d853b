"""Threading: headers, the subject tag, reopening closed tickets and follow-ups."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from kefu.channels.email.models import InboundMessage
from kefu.channels.email.parse import parse_message
from kefu.channels.email.tests.factories import OutboundThreadFactory
from kefu.channels.email.tests.mails import raw_mail
from kefu.channels.email.threading import referenced_message_ids, subject_ticket_numbers
from kefu.core.actors import Actor, Source
from kefu.core.event_types import EventType
from kefu.org.models import HelpdeskSettings
from kefu.tickets.models import Status, Ticket, TicketEvent
from kefu.tickets.services import ticket_delete, ticket_set_status

pytestmark = pytest.mark.django_db

State = InboundMessage.State


@pytest.fixture
def first(ingest) -> InboundMessage:
    return ingest(raw_mail(message_id="<first@example.cn>"))


def _close(ticket: Ticket, *, days_ago: float) -> None:
    ticket_set_status(actor=Actor.system(), source=Source.WEB, ticket=ticket, status="已关闭")
    Ticket.objects.filter(pk=ticket.pk).update(closed_at=timezone.now() - dt.timedelta(days=days_ago))


def _reply(**overrides) -> bytes:
    fields = {
        "subject": "Re: 打印机无法连接网络",
        "body": "还是不行。\n\n在 2026年11月20日 09:30，客服 写道：\n> 请重启路由器后再试。",
        "message_id": "<second@example.cn>",
        "in_reply_to": "<first@example.cn>",
        "references": "<first@example.cn>",
    }
    return raw_mail(**(fields | overrides))


def test_in_reply_to_a_message_we_received_adds_a_thread(ingest, first, published):
    reply = ingest(_reply())
    assert reply.state == State.IMPORTED
    assert reply.ticket == first.ticket
    assert reply.thread.ticket == first.ticket
    assert reply.thread.message_id == "second@example.cn"
    assert first.ticket.threads.count() == 2
    assert Ticket.objects.count() == 1
    assert [opened["inbound_message_id"] for opened in published(EventType.MAIL_TICKET_OPENED)] == [first.pk]
    [received] = published(EventType.TICKET_MESSAGE_RECEIVED)
    assert received["thread_id"] == reply.thread.pk
    assert received["actor"] == {"kind": "contact", "id": first.ticket.contact_id}
    assert received["changes"] == [{"field": "threads", "old": None, "new": {"id": reply.thread.pk}}]


def test_quoted_history_is_kept_whole_beside_the_new_text(ingest, first):
    reply = ingest(_reply())
    assert reply.thread.body_html == "<p>还是不行。</p>"
    assert "请重启路由器后再试。" in reply.thread.full_html
    assert "还是不行。" in reply.thread.full_html


def test_references_to_our_outbound_reply_thread_the_answer(ingest, first):
    ours = OutboundThreadFactory(ticket=first.ticket, message_id="reply.1@kefu.test")
    reply = ingest(_reply(in_reply_to="", references="<unknown@example.cn> <reply.1@kefu.test>"))
    assert reply.ticket == ours.ticket


def test_the_most_recent_reference_wins(ingest, first):
    other = ingest(raw_mail(message_id="<other@example.cn>", subject="发票问题"))
    reply = ingest(
        _reply(in_reply_to="<other@example.cn>", references="<first@example.cn> <other@example.cn>")
    )
    assert reply.ticket == other.ticket


def test_the_subject_tag_threads_a_message_from_the_ticket_contact(ingest, first):
    number = first.ticket.number
    reply = ingest(_reply(in_reply_to="", references="", subject=f"回复：[#{number}] 打印机无法连接网络"))
    assert reply.ticket == first.ticket


def test_the_subject_tag_honours_the_configured_prefix(ingest, first):
    HelpdeskSettings.objects.update_or_create(pk=1, defaults={"ticket_number_prefix": "KF-"})
    number = first.ticket.number
    reply = ingest(_reply(in_reply_to="", references="", subject=f"Re: [KF-{number}] 打印机"))
    assert reply.ticket == first.ticket


def test_a_stranger_cannot_join_a_ticket_by_its_subject_tag(ingest, first):
    number = first.ticket.number
    stranger = ingest(
        _reply(sender="mallory@example.net", in_reply_to="", references="", subject=f"[#{number}] 打印机")
    )
    assert stranger.ticket != first.ticket
    assert Ticket.objects.count() == 2


def test_a_cc_contact_may_use_the_subject_tag_and_someone_answering_joins_the_cc(ingest, mailbox):
    first = ingest(raw_mail(message_id="<first@example.cn>", cc="wang@example.cn"))
    number = first.ticket.number
    by_cc = ingest(
        _reply(sender="wang@example.cn", in_reply_to="", references="", subject=f"[#{number}] 补充")
    )
    assert by_cc.ticket == first.ticket
    colleague = ingest(_reply(sender="zhou@example.cn", message_id="<third@example.cn>"))
    assert colleague.ticket == first.ticket
    assert sorted(first.ticket.cc_contacts.values_list("email", flat=True)) == [
        "wang@example.cn",
        "zhou@example.cn",
    ]
    assert colleague.thread.from_address == "zhou@example.cn"


def test_a_reply_to_a_recently_closed_ticket_reopens_it(ingest, first, mailbox):
    _close(first.ticket, days_ago=mailbox.reopen_within_days - 1)
    reply = ingest(_reply())
    ticket = Ticket.objects.get(pk=first.ticket.pk)
    assert reply.ticket == ticket
    assert ticket.status.name == "新建"
    assert ticket.closed_at is None
    # The reopening is part of the message's change-set, not a change of its own.
    received = TicketEvent.objects.filter(ticket=ticket, action="ticket.message_received")
    assert sorted(received.values_list("field", flat=True)) == ["status", "threads"]
    assert len({event.change_set for event in received}) == 1
    reopened = received.get(field="status")
    assert (reopened.actor_kind, reopened.source) == ("contact", "email")
    closed = Status.objects.get(name="已关闭")
    assert reopened.old_value == {"id": closed.pk, "name": "已关闭", "type": "closed"}
    assert reopened.new_value == {"id": ticket.status_id, "name": "新建", "type": "open"}


def test_the_reopen_status_is_the_first_open_status_in_order(ingest, first):
    Status.objects.filter(name="新建").update(is_active=False)
    _close(first.ticket, days_ago=1)
    ingest(_reply())
    assert Ticket.objects.get(pk=first.ticket.pk).status.name == "处理中"


def test_a_reply_long_after_closing_opens_a_follow_up(ingest, first, mailbox, published):
    _close(first.ticket, days_ago=mailbox.reopen_within_days + 1)
    reply = ingest(_reply())
    old = Ticket.objects.get(pk=first.ticket.pk)
    assert reply.ticket != old
    assert reply.ticket.follow_up_of == old
    assert old.status.name == "已关闭"
    assert reply.thread.ticket == reply.ticket
    assert reply.thread == reply.ticket.threads.get()
    event = TicketEvent.objects.get(ticket=reply.ticket)
    assert (event.action, event.actor_kind, event.source) == ("ticket.created", "contact", "email")
    assert event.new_value["follow_up_of"] == {"id": old.pk, "number": old.number}
    assert event.new_value["first_message"] == reply.thread.pk
    assert not TicketEvent.objects.filter(ticket=old, action="ticket.message_received").exists()
    assert published(EventType.MAIL_TICKET_OPENED)[1:] == [
        {
            "inbound_message_id": reply.pk,
            "mailbox_id": reply.mailbox_id,
            "ticket_id": reply.ticket.pk,
            "may_auto_reply": True,
        }
    ]


def test_a_reply_to_a_trashed_ticket_opens_a_new_one(ingest, first, admin_agent):
    ticket_delete(actor=Actor.agent(admin_agent.user), source=Source.WEB, ticket=first.ticket)
    reply = ingest(_reply())
    assert reply.ticket != first.ticket
    assert reply.ticket.follow_up_of is None


def test_referenced_ids_most_recent_first_without_brackets_or_repeats():
    parsed = parse_message(raw_mail(in_reply_to="<c@x>", references="<a@x> <b@x> <c@x>", message_id="<d@x>"))
    assert referenced_message_ids(parsed) == ["c@x", "b@x", "a@x"]


@pytest.mark.parametrize(
    ("subject", "prefix", "numbers"),
    [
        ("Re: [#1024] 打印机", "#", [1024]),
        ("[KF-7] 回复 [#8]", "KF-", [7, 8]),
        ("[KF-7] 回复", "#", []),
        ("订单 [2024] 问题", "#", []),
        ("订单 [2024] 问题", "", [2024]),
    ],
)
def test_subject_tags(subject, prefix, numbers):
    assert subject_ticket_numbers(subject, prefix) == numbers
