"""Automatic acknowledgements, received by a real SMTP server."""

from __future__ import annotations

import pytest

from kefu.channels.email import intake
from kefu.channels.email.autoack import auto_acknowledge
from kefu.channels.email.models import InboundMessage, Security
from kefu.channels.email.tasks.transport import auto_acknowledge_task
from kefu.channels.email.tests.factories import MailboxFactory
from kefu.contacts.tests.factories import ContactFactory
from kefu.tickets.models import Thread

pytestmark = pytest.mark.django_db


def raw_mail(sender: str, message_id: str, *, subject: str = "打印机坏了", extra: str = "") -> bytes:
    return (
        f"From: {sender}\r\nTo: support@kefu.test\r\nSubject: {subject}\r\nMessage-ID: <{message_id}>\r\n"
        f"{extra}Content-Type: text/plain; charset=utf-8\r\n\r\n打印机无法开机。\r\n"
    ).encode()


@pytest.fixture
def mailbox(department, smtp_sink):
    return MailboxFactory(
        department=department,
        address="support@kefu.test",
        name="售后邮箱",
        display_name="售后客服",
        smtp_host=smtp_sink.host,
        smtp_port=smtp_sink.port,
        smtp_security=Security.NONE,
        auto_ack_enabled=True,
        auto_ack_subject_zh="已收到：{{ subject }}",
        auto_ack_body_zh="{{ contact_name }}，您好！\n您的工单号是 {{ ticket_number }}。\n{{ mailbox_name }}",
        auto_ack_subject_en="Received: {{ subject }} ({{ ticket_number }})",
        auto_ack_body_en="Dear {{ contact_name }}, your ticket is {{ ticket_number }}.",
    )


def receive(raw: bytes, mailbox, capture) -> InboundMessage:
    inbound = intake.message_store(raw, source=InboundMessage.Source.SMTP, mailbox=mailbox)
    with capture(execute=True):
        return intake.message_process(inbound.pk)


def test_new_ticket_gets_the_chinese_acknowledgement(mailbox, smtp_sink, django_capture_on_commit_callbacks):
    inbound = receive(
        raw_mail("王芳 <wang.fang@example.cn>", "a1@example.cn"), mailbox, django_capture_on_commit_callbacks
    )
    ticket = inbound.ticket

    [received] = smtp_sink.messages
    message = received.message
    assert received.rcpt_tos == ["wang.fang@example.cn"]
    assert message["Subject"] == f"已收到：打印机坏了 [#{ticket.number}]"
    assert message["Auto-Submitted"] == "auto-replied"
    assert message["In-Reply-To"] == "<a1@example.cn>"
    assert message["From"].addresses[0].display_name == "售后客服"
    text = message.get_body(("plain",)).get_content().replace("\r\n", "\n")
    assert text.strip() == f"王芳，您好！\n您的工单号是 #{ticket.number}。\n售后客服"
    thread = Thread.objects.get(ticket=ticket, direction=Thread.Direction.OUTBOUND)
    assert thread.author_user is None
    assert thread.delivery_status == Thread.Delivery.SENT
    assert message["Message-ID"] == f"<{thread.message_id}>"

    assert auto_acknowledge(inbound_id=inbound.pk, ticket_id=ticket.pk) is None  # never twice
    assert len(smtp_sink.messages) == 1


def test_english_contacts_get_the_english_template(mailbox, smtp_sink, django_capture_on_commit_callbacks):
    ContactFactory(email="john@example.com", name="John", language="en")
    inbound = receive(
        raw_mail("john@example.com", "a2@example.com", subject="Printer"),
        mailbox,
        django_capture_on_commit_callbacks,
    )

    [received] = smtp_sink.messages
    number = inbound.ticket.number
    assert received.message["Subject"] == f"Received: Printer (#{number}) [#{number}]"
    assert (
        received.message.get_body(("plain",)).get_content().strip() == f"Dear John, your ticket is #{number}."
    )


def test_empty_or_broken_templates_fall_back_to_the_built_in_text(
    mailbox, smtp_sink, django_capture_on_commit_callbacks
):
    mailbox.auto_ack_subject_en = ""
    mailbox.auto_ack_body_en = "{% include 'secrets.txt' %}"
    mailbox.save()
    ContactFactory(email="john@example.com", name="John", language="en")
    inbound = receive(
        raw_mail("john@example.com", "a3@example.com", subject="Printer"),
        mailbox,
        django_capture_on_commit_callbacks,
    )

    [received] = smtp_sink.messages
    number = inbound.ticket.number
    assert received.message["Subject"] == f"We received your message: Printer [#{number}]"
    body = received.message.get_body(("plain",)).get_content()
    assert body.startswith("Hello John,")
    assert f"Your request is ticket #{number}" in body


@pytest.mark.parametrize(
    "extra",
    ["Auto-Submitted: auto-replied\r\n", "Precedence: bulk\r\n", "X-Autoreply: yes\r\n"],
)
def test_automated_mail_is_never_acknowledged(mailbox, smtp_sink, django_capture_on_commit_callbacks, extra):
    inbound = receive(
        raw_mail("robot@example.cn", "a4@example.cn", extra=extra),
        mailbox,
        django_capture_on_commit_callbacks,
    )
    assert inbound.state == InboundMessage.State.IMPORTED
    assert smtp_sink.messages == []
    assert not Thread.objects.filter(direction=Thread.Direction.OUTBOUND).exists()


def test_mailer_daemons_are_never_acknowledged(mailbox, smtp_sink, django_capture_on_commit_callbacks):
    receive(
        raw_mail("MAILER-DAEMON@example.cn", "a5@example.cn"), mailbox, django_capture_on_commit_callbacks
    )
    assert smtp_sink.messages == []


def test_no_acknowledgement_when_disabled_or_for_replies(
    mailbox, smtp_sink, django_capture_on_commit_callbacks
):
    mailbox.auto_ack_enabled = False
    mailbox.save()
    receive(raw_mail("wang.fang@example.cn", "a6@example.cn"), mailbox, django_capture_on_commit_callbacks)
    assert smtp_sink.messages == []

    mailbox.auto_ack_enabled = True
    mailbox.save()
    reply = raw_mail(
        "wang.fang@example.cn",
        "a7@example.cn",
        subject="Re: 打印机坏了",
        extra="In-Reply-To: <a6@example.cn>\r\n",
    )
    inbound = receive(reply, mailbox, django_capture_on_commit_callbacks)
    assert inbound.thread is not None
    assert smtp_sink.messages == []


def test_only_a_mailbox_that_acknowledges_queues_the_job(
    mailbox, monkeypatch, django_capture_on_commit_callbacks
):
    queued = []
    monkeypatch.setattr(auto_acknowledge_task, "delay", lambda *args: queued.append(args))
    mailbox.auto_ack_enabled = False
    mailbox.save()
    receive(raw_mail("wang.fang@example.cn", "a8@example.cn"), mailbox, django_capture_on_commit_callbacks)
    assert queued == []

    mailbox.auto_ack_enabled = True
    mailbox.save()
    inbound = receive(
        raw_mail("li.na@example.cn", "a9@example.cn"), mailbox, django_capture_on_commit_callbacks
    )
    assert queued == [(inbound.pk, inbound.ticket_id)]
