"""The intake pipeline: store, parse, de-duplicate, loops and noise, contacts, tickets, CC, bounces."""

from __future__ import annotations

import hashlib

import pytest

from kefu.channels.email.intake import message_process, message_reprocess, message_store
from kefu.channels.email.intake import process as intake_process
from kefu.channels.email.models import InboundMessage
from kefu.channels.email.tests.factories import BrandFactory, MailboxFactory, OutboundThreadFactory
from kefu.channels.email.tests.mails import PNG, raw_mail
from kefu.contacts.models import Contact
from kefu.core.event_types import EventType
from kefu.org.tests.factories import DepartmentFactory
from kefu.tickets.models import Attachment, Thread, Ticket, TicketEvent

pytestmark = pytest.mark.django_db

State = InboundMessage.State


def test_store_keeps_the_raw_bytes_committed_and_pending(mailbox):
    raw = raw_mail()
    inbound = message_store(raw, source=InboundMessage.Source.SMTP, mailbox=mailbox)
    inbound.refresh_from_db()
    assert bytes(inbound.raw) == raw
    assert inbound.size == len(raw)
    assert inbound.sha256 == hashlib.sha256(raw).hexdigest()
    assert inbound.state == State.PENDING
    assert inbound.source == "smtp"
    assert inbound.mailbox == mailbox
    assert inbound.received_at is not None
    assert Ticket.objects.count() == 0


def test_store_refuses_a_message_over_the_limit(mailbox, settings):
    settings.KEFU_MAIL_MAX_MESSAGE_BYTES = 100
    from kefu.core.errors import PayloadTooLarge

    with pytest.raises(PayloadTooLarge):
        message_store(b"x" * 101, source=InboundMessage.Source.PIPE, mailbox=mailbox)
    assert InboundMessage.objects.count() == 0


def test_a_new_message_opens_a_ticket_from_the_contact(ingest, mailbox, published):
    inbound = ingest(raw_mail())
    ticket = inbound.ticket
    thread = inbound.thread
    assert inbound.state == State.IMPORTED
    assert inbound.reason == ""
    assert inbound.message_id == "m1@example.cn"
    assert inbound.sender == "li.na@example.cn"
    assert inbound.subject == "打印机无法连接网络"
    assert inbound.processed_at is not None
    assert inbound.attempts == 1
    assert ticket.subject == "打印机无法连接网络"
    assert ticket.channel == "email"
    assert ticket.department == mailbox.department
    # The first message is the ticket's first inbound thread, and the description is its (sanitised) HTML.
    assert ticket.description == "<p>您好，打印机重启后仍然无法连接网络。</p>"
    assert ticket.is_spam is False
    assert ticket.contact.email == "li.na@example.cn"
    assert ticket.contact.name == "李娜"
    assert thread.ticket == ticket
    assert thread.direction == Thread.Direction.INBOUND
    assert thread.channel == "email"
    assert thread.message_id == "m1@example.cn"
    assert thread.from_address == "li.na@example.cn"
    assert thread.body_html == "<p>您好，打印机重启后仍然无法连接网络。</p>"
    assert thread.full_html == ""
    assert thread.author_contact == ticket.contact
    events = list(
        TicketEvent.objects.filter(ticket=ticket).order_by("id").values_list("action", "field", "source")
    )
    assert events == [("ticket.created", "", "email")]
    created = TicketEvent.objects.get(ticket=ticket, action="ticket.created")
    assert created.actor_kind == "contact"
    assert created.new_value["first_message"] == thread.pk
    assert created.new_value["channel"] == "email"
    assert created.new_value["contact"] == {
        "id": ticket.contact_id,
        "name": "李娜",
        "email": "li.na@example.cn",
    }
    [announced] = published(EventType.TICKET_CREATED)
    assert announced["ticket_id"] == ticket.pk
    assert announced["actor"] == {"kind": "contact", "id": ticket.contact_id}
    assert announced["source"] == "email"
    assert announced["thread_id"] == thread.pk
    assert published(EventType.MAIL_TICKET_OPENED) == [
        {
            "inbound_message_id": inbound.pk,
            "mailbox_id": inbound.mailbox_id,
            "ticket_id": ticket.pk,
            "may_auto_reply": True,
        }
    ]


def test_the_ticket_takes_the_brand_of_the_mailbox(ingest, department):
    brand = BrandFactory(name="小米")
    branded = MailboxFactory(address="mi@kefu.test", department=department, brand=brand)
    inbound = ingest(raw_mail(to="mi@kefu.test"), into=branded)
    assert inbound.ticket.brand == brand


def test_inline_images_become_attachments_shown_in_the_body(ingest):
    html = '<p>截图如下：<img src="cid:shot1@example.cn" alt="截图"></p>'
    inbound = ingest(
        raw_mail(
            html=html,
            inline_images=[("shot1@example.cn", PNG)],
            attachments=[("日志.txt", "text/plain", "错误 42".encode())],
        )
    )
    inline = Attachment.objects.get(ticket=inbound.ticket, is_inline=True)
    other = Attachment.objects.get(ticket=inbound.ticket, is_inline=False)
    assert (inline.content_id, inline.thread, inline.content_type) == (
        "shot1@example.cn",
        inbound.thread,
        "image/png",
    )
    assert (other.filename, other.thread, other.size) == ("日志.txt", inbound.thread, len("错误 42".encode()))
    url = f"/api/v1/tickets/{inbound.ticket.pk}/attachments/{inline.pk}/download"
    assert inbound.thread.body_html == f'<p>截图如下：<img src="{url}" alt="截图"></p>'


def test_cc_addresses_become_contacts_on_the_ticket(ingest, published):
    inbound = ingest(
        raw_mail(to="support@kefu.test, 王芳 <wang.fang@example.cn>", cc="zhao@example.cn, support@kefu.test")
    )
    ticket = inbound.ticket
    assert sorted(ticket.cc_contacts.values_list("email", flat=True)) == [
        "wang.fang@example.cn",
        "zhao@example.cn",
    ]
    assert Contact.objects.get(email="wang.fang@example.cn").name == ""
    assert inbound.thread.cc == ["zhao@example.cn", "support@kefu.test"]
    # The people in CC are part of the ticket's initial state: one created change-set, no separate CC one.
    cc = [{"id": c.pk, "email": c.email} for c in ticket.cc_contacts.order_by("id")]
    assert [(e.action, e.field) for e in TicketEvent.objects.filter(ticket=ticket)] == [
        ("ticket.created", "")
    ]
    assert TicketEvent.objects.get(ticket=ticket).new_value["cc_contacts"] == cc
    [announced] = published(EventType.TICKET_CREATED)
    assert {"field": "cc_contacts", "old": None, "new": cc} in announced["changes"]
    assert published(EventType.TICKET_UPDATED) == []


def test_the_same_message_id_twice_is_a_duplicate(ingest, department):
    first = ingest(raw_mail())
    other_mailbox = MailboxFactory(address="sales@kefu.test", department=department)
    second = ingest(raw_mail(to="sales@kefu.test"), into=other_mailbox)
    assert second.state == State.DUPLICATE
    assert second.reason == f"Duplicate of message {first.pk}."
    assert second.ticket == first.ticket
    assert second.thread is None
    assert Ticket.objects.count() == 1
    assert Thread.objects.count() == 1


def test_a_copy_of_our_own_reply_is_a_duplicate(ingest):
    reply = OutboundThreadFactory(message_id="reply.7@kefu.test")
    inbound = ingest(raw_mail(sender="support@kefu.test", message_id="<reply.7@kefu.test>"))
    assert inbound.state == State.DUPLICATE
    assert inbound.reason == f"Duplicate of thread {reply.pk}."
    assert Thread.objects.count() == 1


def test_without_message_id_identical_bytes_are_a_duplicate(ingest):
    raw = raw_mail(message_id=None)
    first = ingest(raw)
    second = ingest(raw)
    third = ingest(raw_mail(message_id=None, body="另一个问题"))
    assert (first.state, second.state, third.state) == (State.IMPORTED, State.DUPLICATE, State.IMPORTED)
    assert first.message_id == ""
    assert Ticket.objects.count() == 2


def test_processing_again_never_makes_a_second_ticket(ingest):
    inbound = ingest(raw_mail())
    again = message_process(inbound.pk)
    assert (again.state, again.ticket, again.attempts) == (State.IMPORTED, inbound.ticket, 1)
    assert Ticket.objects.count() == 1


def test_spam_opens_a_ticket_in_the_spam_view_and_is_never_answered(ingest, published):
    inbound = ingest(raw_mail(headers={"X-Spam-Flag": "YES"}))
    assert inbound.is_spam is True
    assert inbound.ticket.is_spam is True
    [opened] = published(EventType.MAIL_TICKET_OPENED)
    assert opened["may_auto_reply"] is False


@pytest.mark.parametrize(
    ("sender", "headers"),
    [
        ("li.na@example.cn", {"Auto-Submitted": "auto-replied"}),
        ("li.na@example.cn", {"X-Autoreply": "yes"}),
        ("li.na@example.cn", {"Precedence": "bulk"}),
        ("MAILER-DAEMON@mx.example.cn", {}),
        ("support@kefu.test", {}),
    ],
)
def test_machine_mail_is_imported_but_never_auto_answered(ingest, published, sender, headers):
    inbound = ingest(raw_mail(sender=sender, headers=headers))
    assert inbound.state == State.IMPORTED
    assert inbound.is_automated is True
    assert inbound.ticket is not None
    assert published(EventType.MAIL_TICKET_OPENED) == [
        {
            "inbound_message_id": inbound.pk,
            "mailbox_id": inbound.mailbox_id,
            "ticket_id": inbound.ticket.pk,
            "may_auto_reply": False,
        }
    ]


def test_auto_submitted_no_is_a_person(ingest, published):
    inbound = ingest(raw_mail(headers={"Auto-Submitted": "no"}))
    assert inbound.is_automated is False
    [opened] = published(EventType.MAIL_TICKET_OPENED)
    assert opened["may_auto_reply"] is True


def test_a_sender_flooding_us_is_quarantined_after_twenty_messages(ingest):
    results = [
        ingest(raw_mail(message_id=f"<loop{n}@example.cn>", subject=f"自动回复 {n}")) for n in range(22)
    ]
    assert [result.state for result in results] == [State.IMPORTED] * 20 + [State.QUARANTINED] * 2
    assert results[20].reason == "More than 20 messages from li.na@example.cn within 10 minutes."
    assert results[20].ticket is None
    assert Ticket.objects.count() == 20
    other = ingest(raw_mail(sender="wang@example.cn", message_id="<other@example.cn>"))
    assert other.state == State.IMPORTED


def test_a_bounce_marks_our_reply_failed_and_opens_no_ticket(ingest, published):
    reply = OutboundThreadFactory(message_id="reply.42@kefu.test")
    raw = _delivery_report("reply.42@kefu.test")
    inbound = ingest(raw)
    reply.refresh_from_db()
    assert inbound.state == State.BOUNCE
    assert inbound.ticket == reply.ticket
    assert inbound.thread == reply
    assert inbound.is_automated is True
    assert reply.delivery_status == Thread.Delivery.FAILED
    assert reply.delivery_error == "5.1.1 smtp; 550 5.1.1 <nobody@example.cn>: user unknown"
    event = TicketEvent.objects.get(ticket=reply.ticket, action="ticket.delivery_updated")
    assert (event.actor_kind, event.source, event.field) == ("system", "email", "delivery_status")
    assert event.old_value == "sent"
    assert event.new_value == {"thread_id": reply.pk, "status": "failed", "error": reply.delivery_error}
    [announced] = published(EventType.TICKET_DELIVERY_UPDATED)
    assert announced["thread_id"] == reply.pk
    assert announced["changes"] == [{"field": "delivery_status", "old": "sent", "new": event.new_value}]
    assert Ticket.objects.count() == 1
    assert published(EventType.MAIL_TICKET_OPENED) == []


def test_a_bounce_for_mail_we_never_sent_is_kept_as_a_report(ingest):
    inbound = ingest(_delivery_report("unknown@elsewhere.example"))
    assert inbound.state == State.BOUNCE
    assert inbound.reason == "Delivery report for a message we did not send (unknown@elsewhere.example)."
    assert Ticket.objects.count() == 0


def test_without_a_mailbox_the_recipient_decides(ingest, department):
    sales = MailboxFactory(address="sales@kefu.test", department=DepartmentFactory(code="sales"))
    inbound = ingest(raw_mail(to="sales@kefu.test"), into=None)
    assert inbound.state == State.IMPORTED
    assert inbound.ticket.department == sales.department
    assert InboundMessage.objects.get(pk=inbound.pk).mailbox == sales


def test_mail_for_none_of_our_mailboxes_is_quarantined(ingest):
    inbound = ingest(raw_mail(to="someone@elsewhere.example"), into=None)
    assert inbound.state == State.QUARANTINED
    assert inbound.reason == "None of the recipients is one of our mailboxes."
    assert inbound.mailbox is None
    assert Ticket.objects.count() == 0


def test_a_message_without_a_sender_is_quarantined(ingest):
    inbound = ingest(raw_mail(sender="undisclosed-recipients:;"))
    assert inbound.state == State.QUARANTINED
    assert inbound.reason == "The message has no usable sender address."


def test_an_error_quarantines_the_message_and_reprocessing_imports_it(ingest, monkeypatch):
    def broken(raw: bytes):
        raise RuntimeError("parser exploded")

    with monkeypatch.context() as patch:
        patch.setattr(intake_process, "parse_message", broken)
        inbound = ingest(raw_mail())
    assert inbound.state == State.QUARANTINED
    assert inbound.reason == "Processing failed: RuntimeError: parser exploded"
    assert Ticket.objects.count() == 0
    again = message_reprocess(inbound.pk)
    assert again.state == State.IMPORTED
    assert again.reason == ""
    assert Ticket.objects.count() == 1


def test_reprocessing_an_imported_message_changes_nothing(ingest):
    inbound = ingest(raw_mail())
    again = message_reprocess(inbound.pk)
    assert (again.state, again.ticket) == (State.IMPORTED, inbound.ticket)
    assert Ticket.objects.count() == 1


def test_a_message_that_keeps_failing_is_given_up(mailbox):
    inbound = message_store(raw_mail(), source=InboundMessage.Source.PIPE, mailbox=mailbox)
    InboundMessage.objects.filter(pk=inbound.pk).update(attempts=intake_process.MAX_ATTEMPTS)
    result = message_process(inbound.pk)
    assert result.state == State.QUARANTINED
    assert result.reason == "Gave up after 5 attempts."
    assert Ticket.objects.count() == 0


def _delivery_report(original_message_id: str) -> bytes:
    return (
        "From: Mail Delivery System <MAILER-DAEMON@mx.example.cn>\r\n"
        "To: support@kefu.test\r\n"
        "Subject: Undelivered Mail Returned to Sender\r\n"
        "Message-ID: <bounce.1@mx.example.cn>\r\n"
        "Auto-Submitted: auto-replied\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="B"\r\n'
        "\r\n--B\r\nContent-Type: text/plain\r\n\r\nThe mail system could not deliver your message.\r\n"
        "--B\r\nContent-Type: message/delivery-status\r\n\r\n"
        "Reporting-MTA: dns; mx.example.cn\r\n\r\n"
        "Final-Recipient: rfc822; nobody@example.cn\r\nAction: failed\r\nStatus: 5.1.1\r\n"
        "Diagnostic-Code: smtp; 550 5.1.1 <nobody@example.cn>: user unknown\r\n"
        "--B\r\nContent-Type: text/rfc822-headers\r\n\r\n"
        f"From: support@kefu.test\r\nTo: nobody@example.cn\r\nMessage-ID: <{original_message_id}>\r\n"
        "Subject: Re: [#1] 打印机\r\n"
        "--B--\r\n"
    ).encode()


@pytest.fixture
def cc_limit_of_two(monkeypatch):
    """The CC limit the service enforces, and the one the channel reads from it, both at 2."""
    monkeypatch.setattr("kefu.tickets.services.cc.MAX_CC_CONTACTS", 2)
    monkeypatch.setattr("kefu.tickets.services.MAX_CC_CONTACTS", 2)


def test_a_full_cc_list_does_not_stop_the_import(ingest, cc_limit_of_two):
    inbound = ingest(raw_mail(cc="wang@example.cn, zhao@example.cn, zhou@example.cn"))
    assert inbound.state == State.IMPORTED
    assert inbound.reason == "The ticket's CC list is full; nobody was added."
    assert inbound.ticket.cc_contacts.count() == 0
    assert inbound.thread.cc == ["wang@example.cn", "zhao@example.cn", "zhou@example.cn"]


def test_a_message_that_would_overfill_the_cc_of_its_ticket_is_still_added(ingest, cc_limit_of_two):
    first = ingest(raw_mail(message_id="<first@example.cn>", cc="wang@example.cn"))
    again = ingest(
        raw_mail(
            message_id="<second@example.cn>",
            in_reply_to="<first@example.cn>",
            cc="wang@example.cn, zhao@example.cn",
        )
    )
    assert (again.state, again.reason) == (State.IMPORTED, "")
    assert sorted(first.ticket.cc_contacts.values_list("email", flat=True)) == [
        "wang@example.cn",
        "zhao@example.cn",
    ]
    full = ingest(
        raw_mail(
            message_id="<third@example.cn>",
            in_reply_to="<second@example.cn>",
            cc="wang@example.cn, zhou@example.cn",
        )
    )
    assert full.state == State.IMPORTED
    assert full.reason == "The ticket's CC list is full; nobody was added."
    assert full.thread.ticket == first.ticket
    assert first.ticket.cc_contacts.count() == 2
