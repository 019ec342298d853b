"""Replies leave through a real SMTP server (aiosmtpd) with the headers that make them thread back."""

from __future__ import annotations

import io

import pytest

from kefu.channels.email import intake
from kefu.channels.email.models import InboundMessage, Mailbox, OutboundEmail, Security
from kefu.channels.email.outbound import Outcome, mailbox_for_ticket, outbound_deliver, outbound_retry
from kefu.channels.email.tasks.transport import outbound_send_task, retry_delay
from kefu.channels.email.tests.factories import BrandFactory, MailboxFactory
from kefu.contacts.tests.factories import ContactFactory
from kefu.core.actors import Actor, Source
from kefu.core.errors import Conflict, NotFound
from kefu.core.models import AuditEntry
from kefu.org.models import HelpdeskSettings
from kefu.tickets.inputs import ContactRef, MessageInput, ReplyInput, TicketCreateInput
from kefu.tickets.models import Thread, Ticket, TicketEvent
from kefu.tickets.services import attachment_add, ticket_create, ticket_reply

FIRST = (
    "From: =?utf-8?b?546L6Iqz?= <wang.fang@example.cn>\r\n"
    "To: support@kefu.test\r\n"
    "Cc: li.lei@example.cn\r\n"
    "Subject: =?utf-8?b?5omT5Y2w5py65peg5rOV6L+e5o6l?=\r\n"
    "Message-ID: <first@example.cn>\r\n"
    "Date: Fri, 20 Nov 2026 09:30:00 +0800\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Type: text/plain; charset=utf-8\r\n"
    "Content-Transfer-Encoding: 8bit\r\n"
    "\r\n"
    "你好，打印机连不上网络。\r\n"
).encode()


@pytest.fixture
def mailbox(department, smtp_sink):
    return MailboxFactory(
        department=department,
        address="support@kefu.test",
        display_name="售后客服",
        smtp_host=smtp_sink.host,
        smtp_port=smtp_sink.port,
        smtp_security=Security.NONE,
    )


def receive(raw: bytes, mailbox, capture) -> InboundMessage:
    inbound = intake.message_store(raw, source=InboundMessage.Source.SMTP, mailbox=mailbox)
    with capture(execute=True):
        return intake.message_process(inbound.pk)


def reply(agent, ticket, capture, **fields) -> Thread:
    with capture(execute=True):
        return ticket_reply(
            actor=Actor.agent(agent.user), source=Source.WEB, ticket=ticket, data=ReplyInput(**fields)
        )


@pytest.fixture
def opened(mailbox, django_capture_on_commit_callbacks) -> Ticket:
    inbound = receive(FIRST, mailbox, django_capture_on_commit_callbacks)
    assert inbound.state == InboundMessage.State.IMPORTED, inbound.reason
    return inbound.ticket


def test_reply_goes_out_with_threading_headers_and_threads_back(
    agent, mailbox, opened, smtp_sink, django_capture_on_commit_callbacks
):
    agent.signature = "张伟\n售后服务部"
    agent.save()
    attachment = attachment_add(
        actor=Actor.agent(agent.user),
        source=Source.WEB,
        ticket=opened,
        filename="说明书.pdf",
        content=io.BytesIO(b"%PDF-1.4 manual"),
    )
    thread = reply(
        agent,
        opened,
        django_capture_on_commit_callbacks,
        body="<p>请<b>重启</b>路由器。</p>",
        bcc=["boss@kefu.test"],
        attachment_ids=[attachment.pk],
    )

    assert len(smtp_sink.messages) == 1
    received = smtp_sink.messages[0]
    message = received.message
    thread.refresh_from_db()
    assert thread.delivery_status == Thread.Delivery.SENT
    assert thread.message_id.endswith("@kefu.test")
    assert message["Message-ID"] == f"<{thread.message_id}>"
    assert message["In-Reply-To"] == "<first@example.cn>"
    assert message["References"] == "<first@example.cn>"
    assert message["From"].addresses[0].addr_spec == "support@kefu.test"
    assert message["From"].addresses[0].display_name == "张伟 via 售后客服"
    assert message["Subject"] == f"Re: 打印机无法连接 [#{opened.number}]"
    assert message["To"].addresses[0].addr_spec == "wang.fang@example.cn"
    assert [a.addr_spec for a in message["Cc"].addresses] == ["li.lei@example.cn"]
    assert message["Bcc"] is None
    assert sorted(received.rcpt_tos) == ["boss@kefu.test", "li.lei@example.cn", "wang.fang@example.cn"]
    assert message.get_content_type() == "multipart/mixed"
    alternative = message.get_payload()[0]
    assert alternative.get_content_type() == "multipart/alternative"
    text, html = (part.get_content().replace("\r\n", "\n") for part in alternative.get_payload())
    assert text.startswith("请重启路由器。")
    assert text.rstrip().endswith("-- \n张伟\n售后服务部")
    assert "<b>重启</b>" in html
    assert "张伟<br>售后服务部" in html
    attached = message.get_payload()[1]
    assert attached.get_filename() == "说明书.pdf"
    assert attached.get_content() == b"%PDF-1.4 manual"

    customer_reply = (
        "From: wang.fang@example.cn\r\n"
        "To: support@kefu.test\r\n"
        "Subject: Re: whatever the client made of it\r\n"
        "Message-ID: <second@example.cn>\r\n"
        f"In-Reply-To: <{thread.message_id}>\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n"
        "\r\n"
        "重启以后好了，谢谢！\r\n"
    ).encode()
    inbound = receive(customer_reply, mailbox, django_capture_on_commit_callbacks)
    assert inbound.state == InboundMessage.State.IMPORTED
    assert inbound.ticket_id == opened.pk
    assert Ticket.objects.count() == 1


def test_second_reply_references_the_whole_conversation(
    agent, mailbox, opened, smtp_sink, django_capture_on_commit_callbacks
):
    first = reply(agent, opened, django_capture_on_commit_callbacks, body="第一次回复")
    second = reply(agent, opened, django_capture_on_commit_callbacks, body="第二次回复")
    first.refresh_from_db()
    message = smtp_sink.messages[1].message
    assert message["Message-ID"] == f"<{Thread.objects.get(pk=second.pk).message_id}>"
    assert message["In-Reply-To"] == "<first@example.cn>"
    assert message["References"] == f"<first@example.cn> <{first.message_id}>"


def test_subject_tag_uses_the_configured_prefix(agent, opened, smtp_sink, django_capture_on_commit_callbacks):
    settings_row = HelpdeskSettings.load()
    settings_row.ticket_number_prefix = "KF-"
    settings_row.save()
    reply(agent, opened, django_capture_on_commit_callbacks, body="好的")
    assert smtp_sink.messages[0].message["Subject"] == f"Re: 打印机无法连接 [KF-{opened.number}]"


def test_running_the_task_twice_sends_once(agent, opened, smtp_sink, django_capture_on_commit_callbacks):
    thread = reply(agent, opened, django_capture_on_commit_callbacks, body="只发一次")
    assert len(smtp_sink.messages) == 1

    assert outbound_send_task.apply(args=[thread.pk]).get() == "skipped"
    assert outbound_send_task.apply(args=[thread.pk]).get() == "skipped"

    assert len(smtp_sink.messages) == 1
    outbound = OutboundEmail.objects.get(thread=thread)
    assert outbound.attempts == 1
    assert outbound.sent_at is not None


def test_a_claimed_delivery_is_not_sent_by_a_second_run(
    agent, opened, smtp_sink, mailbox, django_capture_on_commit_callbacks
):
    mailbox.smtp_port = 1  # nothing listens: the first attempt fails temporarily
    mailbox.save()
    thread = reply(agent, opened, django_capture_on_commit_callbacks, body="并发")
    outbound = OutboundEmail.objects.get(thread=thread)
    assert outbound.sent_at is None
    mailbox.smtp_port = smtp_sink.port
    mailbox.save()
    from django.utils import timezone

    OutboundEmail.objects.filter(pk=outbound.pk).update(claimed_at=timezone.now())  # another run holds it

    assert outbound_deliver(thread_id=thread.pk) is Outcome.SKIPPED
    assert smtp_sink.messages == []


def test_temporary_failure_is_retried_then_marked_failed(
    agent, opened, mailbox, smtp_sink, django_capture_on_commit_callbacks
):
    smtp_sink.refuse_with = "451 4.3.0 Try again later"
    thread = reply(agent, opened, django_capture_on_commit_callbacks, body="稍后再试")
    thread.refresh_from_db()
    outbound = OutboundEmail.objects.get(thread=thread)
    assert (outbound.attempts, outbound.claimed_at, outbound.last_error) == (
        1,
        None,
        "451 4.3.0 Try again later",
    )
    assert thread.delivery_status == Thread.Delivery.QUEUED

    assert outbound_deliver(thread_id=thread.pk) is Outcome.RETRY  # the task's retries, one by one
    assert outbound_send_task.apply(args=[thread.pk], retries=5).get() == "failed"  # the last attempt

    thread.refresh_from_db()
    outbound.refresh_from_db()
    assert outbound.attempts == 3
    assert outbound.sent_at is None
    assert thread.delivery_status == Thread.Delivery.FAILED
    assert thread.delivery_error == "451 4.3.0 Try again later"
    assert smtp_sink.messages == []
    assert [retry_delay(n) for n in range(5)] == [60, 120, 240, 480, 960]


def test_permanent_failure_fails_at_once_and_the_agent_can_retry(
    agent, opened, smtp_sink, django_capture_on_commit_callbacks
):
    smtp_sink.refuse_with = "550 5.7.1 Relaying denied"
    thread = reply(agent, opened, django_capture_on_commit_callbacks, body="被拒绝")
    thread.refresh_from_db()
    assert thread.delivery_status == Thread.Delivery.FAILED
    assert thread.delivery_error == "550 5.7.1 Relaying denied"
    assert OutboundEmail.objects.get(thread=thread).attempts == 1
    failed_event = TicketEvent.objects.filter(ticket=opened, action="ticket.delivery_updated").get()
    assert failed_event.new_value["error"] == "550 5.7.1 Relaying denied"

    smtp_sink.refuse_with = ""
    with django_capture_on_commit_callbacks(execute=True):
        outbound_retry(actor=Actor.agent(agent.user), source=Source.WEB, thread=thread)

    thread.refresh_from_db()
    assert thread.delivery_status == Thread.Delivery.SENT
    assert thread.delivery_error == ""
    assert len(smtp_sink.messages) == 1
    assert AuditEntry.objects.filter(action="outbound_email.retried", actor_id=agent.user.pk).count() == 1


def test_retry_is_refused_for_a_sent_reply_and_for_an_agent_who_cannot_see_the_ticket(
    agent, other_agent, opened, smtp_sink, django_capture_on_commit_callbacks
):
    thread = reply(agent, opened, django_capture_on_commit_callbacks, body="已发送")
    thread.refresh_from_db()
    with pytest.raises(Conflict):
        outbound_retry(actor=Actor.agent(agent.user), source=Source.WEB, thread=thread)
    Thread.objects.filter(pk=thread.pk).update(delivery_status=Thread.Delivery.FAILED)
    thread.refresh_from_db()
    with pytest.raises(NotFound), django_capture_on_commit_callbacks(execute=True):
        outbound_retry(actor=Actor.agent(other_agent.user), source=Source.WEB, thread=thread)
    thread.refresh_from_db()
    assert thread.delivery_status == Thread.Delivery.FAILED
    assert len(smtp_sink.messages) == 1


def test_global_smtp_settings_are_used_when_the_mailbox_has_none(
    agent, opened, mailbox, smtp_sink, settings, django_capture_on_commit_callbacks
):
    mailbox.smtp_host = ""
    mailbox.save()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = smtp_sink.host
    settings.EMAIL_PORT = smtp_sink.port
    reply(agent, opened, django_capture_on_commit_callbacks, body="全局设置")
    assert len(smtp_sink.messages) == 1
    assert smtp_sink.messages[0].message["From"].addresses[0].addr_spec == "support@kefu.test"


def open_by_agent(agent, *, channel: str, contact: ContactRef | None = None, **fields) -> Ticket:
    """A ticket an agent opens in the console (web) or logs from a call (phone), with the customer's words."""
    source = {"web": Source.WEB, "phone": Source.WEB, "api": Source.API}[channel]
    return ticket_create(
        actor=Actor.agent(agent.user),
        source=source,
        data=TicketCreateInput(
            subject="打印机无法连接网络",
            department_id=agent.departments.get().pk,
            contact=contact or ContactRef(email="wang.fang@example.cn", name="王芳"),
            channel=channel,
            message=MessageInput(body="打印机连不上网络。", channel=channel, **fields),
        ),
    )


def test_a_reply_on_a_web_ticket_is_mailed_through_the_department_mailbox_and_threads(
    agent, mailbox, smtp_sink, django_capture_on_commit_callbacks
):
    ticket = open_by_agent(agent, channel="web", cc=["li.lei@example.cn"])
    root = f"kefu.ticket.{ticket.pk}@kefu.test"

    first = reply(agent, ticket, django_capture_on_commit_callbacks, body="请重启路由器。")

    first.refresh_from_db()
    assert (first.channel, first.delivery_status, first.to) == ("email", "sent", ["wang.fang@example.cn"])
    [received] = smtp_sink.messages
    message = received.message
    assert sorted(received.rcpt_tos) == ["li.lei@example.cn", "wang.fang@example.cn"]
    assert message["Subject"] == f"Re: 打印机无法连接网络 [#{ticket.number}]"
    assert message["X-Kefu-Ticket"] == str(ticket.number)
    assert message["From"].addresses[0].addr_spec == "support@kefu.test"
    assert message["From"].addresses[0].display_name == "张伟 via 售后客服"
    assert message["To"].addresses[0].addr_spec == "wang.fang@example.cn"
    assert [a.addr_spec for a in message["Cc"].addresses] == ["li.lei@example.cn"]
    assert first.message_id.startswith(f"kefu.{ticket.pk}.{first.pk}.")
    assert first.message_id.endswith("@kefu.test")
    assert message["Message-ID"] == f"<{first.message_id}>"
    # The ticket started on the web: its own root id stands for the customer's first message.
    assert message["In-Reply-To"] == f"<{root}>"
    assert message["References"] == f"<{root}>"
    sent = TicketEvent.objects.get(ticket=ticket, action="ticket.delivery_updated")
    assert sent.new_value == {"thread_id": first.pk, "status": "sent", "error": ""}

    second = reply(agent, ticket, django_capture_on_commit_callbacks, body="还有问题吗？")
    second.refresh_from_db()
    message = smtp_sink.messages[1].message
    assert message["In-Reply-To"] == f"<{first.message_id}>"
    assert message["References"] == f"<{root}> <{first.message_id}>"

    answer = (
        "From: wang.fang@example.cn\r\n"
        "To: support@kefu.test\r\n"
        f"Subject: Re: 打印机无法连接网络 [#{ticket.number}]\r\n"
        "Message-ID: <answer@example.cn>\r\n"
        f"In-Reply-To: <{second.message_id}>\r\n"
        f"References: <{root}> <{first.message_id}> <{second.message_id}>\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n"
        "\r\n"
        "好了，谢谢！\r\n"
    ).encode()
    inbound = receive(answer, mailbox, django_capture_on_commit_callbacks)
    assert (inbound.state, inbound.ticket_id) == (InboundMessage.State.IMPORTED, ticket.pk)

    reply(agent, ticket, django_capture_on_commit_callbacks, body="不客气。")
    message = smtp_sink.messages[2].message
    assert message["In-Reply-To"] == "<answer@example.cn>"
    assert message["References"] == (
        f"<{root}> <{first.message_id}> <{second.message_id}> <answer@example.cn>"
    )


def test_a_reply_on_a_phone_ticket_goes_through_the_global_server_when_no_mailbox_fits(
    agent, smtp_sink, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = smtp_sink.host
    settings.EMAIL_PORT = smtp_sink.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.DEFAULT_FROM_EMAIL = "售后中心 <help@service.example>"
    MailboxFactory(address="other@kefu.test")  # another department's: not ours to use
    ticket = open_by_agent(agent, channel="phone")
    assert mailbox_for_ticket(ticket) is None

    thread = reply(agent, ticket, django_capture_on_commit_callbacks, body="已为您登记上门维修。")

    thread.refresh_from_db()
    assert (thread.channel, thread.delivery_status) == ("email", "sent")
    outbound = OutboundEmail.objects.get(thread=thread)
    assert outbound.mailbox is None
    [received] = smtp_sink.messages
    message = received.message
    assert received.mail_from == "help@service.example"
    assert received.rcpt_tos == ["wang.fang@example.cn"]
    assert message["From"].addresses[0].addr_spec == "help@service.example"
    assert message["From"].addresses[0].display_name == "张伟 via 售后中心"
    assert message["Subject"] == f"Re: 打印机无法连接网络 [#{ticket.number}]"
    assert thread.message_id.endswith("@service.example")
    assert message["Message-ID"] == f"<{thread.message_id}>"
    assert message["In-Reply-To"] == f"<kefu.ticket.{ticket.pk}@service.example>"
    assert message["References"] == f"<kefu.ticket.{ticket.pk}@service.example>"


def test_without_a_name_in_the_default_sender_the_agent_name_alone_is_shown(
    agent, smtp_sink, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = smtp_sink.host
    settings.EMAIL_PORT = smtp_sink.port
    settings.DEFAULT_FROM_EMAIL = "help@service.example"
    ticket = open_by_agent(agent, channel="api")
    reply(agent, ticket, django_capture_on_commit_callbacks, body="收到。")
    sender = smtp_sink.messages[0].message["From"].addresses[0]
    assert (sender.display_name, sender.addr_spec) == ("张伟", "help@service.example")


def test_the_mailbox_is_the_departments_then_the_brands(agent, department):
    brand = BrandFactory()
    ticket = open_by_agent(agent, channel="web")
    Ticket.objects.filter(pk=ticket.pk).update(brand=brand)
    ticket.refresh_from_db()
    assert mailbox_for_ticket(ticket) is None
    of_brand = MailboxFactory(address="brand@kefu.test", brand=brand)
    assert mailbox_for_ticket(ticket) == of_brand
    of_department = MailboxFactory(address="dept@kefu.test", department=department)
    assert mailbox_for_ticket(ticket) == of_department
    of_both = MailboxFactory(address="both@kefu.test", department=department, brand=brand)
    assert mailbox_for_ticket(ticket) == of_both
    Mailbox.objects.filter(pk=of_both.pk).update(is_active=False)
    assert mailbox_for_ticket(ticket) == of_department


def test_a_reply_to_a_contact_without_an_address_is_kept_and_shown_undelivered(
    agent, mailbox, smtp_sink, api_client_for, django_capture_on_commit_callbacks
):
    contact = ContactFactory(name="赵先生", email="", phone="13800000000")
    ticket = open_by_agent(agent, channel="phone", contact=ContactRef(contact_id=contact.pk))
    api = api_client_for(agent)

    with django_capture_on_commit_callbacks(execute=True):
        response = api.post_json(f"/api/v1/tickets/{ticket.pk}/threads", {"body": "已安排工程师回电。"})

    assert response.status_code == 201, response.content
    assert response.json()["delivery_status"] == "no_addr"
    listed = api.get(f"/api/v1/tickets/{ticket.pk}/threads").json()["items"]
    assert [(item["direction"], item["delivery_status"]) for item in listed] == [
        ("in", ""),
        ("out", "no_addr"),
    ]
    thread = Thread.objects.get(pk=response.json()["id"])
    assert thread.get_delivery_status_display() == "Not delivered: no address"
    assert thread.to == []
    assert not OutboundEmail.objects.exists()
    assert smtp_sink.messages == []


def test_a_reply_that_cannot_be_composed_fails_at_once(
    agent, opened, smtp_sink, django_capture_on_commit_callbacks
):
    attachment = attachment_add(
        actor=Actor.agent(agent.user),
        source=Source.WEB,
        ticket=opened,
        filename="gone.txt",
        content=io.BytesIO(b"soon gone"),
    )
    attachment.file.storage.delete(attachment.file.name)

    thread = reply(
        agent, opened, django_capture_on_commit_callbacks, body="附件丢了", attachment_ids=[attachment.pk]
    )

    thread.refresh_from_db()
    assert thread.delivery_status == Thread.Delivery.FAILED
    assert thread.delivery_error.startswith("FileNotFoundError")
    assert OutboundEmail.objects.get(thread=thread).attempts == 1
    assert smtp_sink.messages == []


def test_crlf_in_subject_and_agent_name_cannot_inject_headers(
    agent, opened, smtp_sink, django_capture_on_commit_callbacks
):
    Ticket.objects.filter(pk=opened.pk).update(subject="求助\r\nBcc: attacker@evil.example")
    type(agent.user).objects.filter(pk=agent.user.pk).update(name="王\r\nBcc: attacker@evil.example")
    opened.refresh_from_db()

    thread = reply(agent, opened, django_capture_on_commit_callbacks, body="注入")

    thread.refresh_from_db()
    assert thread.delivery_status == Thread.Delivery.SENT
    [sent] = smtp_sink.messages
    assert sent.rcpt_tos == ["wang.fang@example.cn", "li.lei@example.cn"]
    assert sent.message["Bcc"] is None
    assert sent.message["Subject"] == f"Re: 求助 Bcc: attacker@evil.example [#{opened.number}]"
    assert sent.message["From"].addresses[0].display_name == "王 Bcc: attacker@evil.example via 售后客服"
    assert b"\r\nBcc:" not in sent.raw
