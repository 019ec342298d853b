"""Customers get exactly the configured email, in their language, through a real SMTP server."""

from __future__ import annotations

import pytest

from kefu.contacts.tests.factories import ContactFactory
from kefu.core.actors import Actor, Source
from kefu.notifications.models import NotificationDelivery, NotificationTemplate
from kefu.notifications.services import rule_set, template_update
from kefu.tickets.inputs import CommentInput, ContactRef, ReplyInput, TicketCreateInput
from kefu.tickets.services import ticket_comment, ticket_create, ticket_reply, ticket_set_status

pytestmark = pytest.mark.django_db


def _web_ticket(department, capture, *, email="wang.fang@example.cn", name="王芳", language=""):
    contact = ContactFactory(email=email, name=name, language=language)
    with capture(execute=True):
        return ticket_create(
            actor=Actor.contact(contact),
            source=Source.PORTAL,
            data=TicketCreateInput(
                subject="打印机无法连接网络",
                description="按照说明书操作后仍然连不上。",
                department_id=department.pk,
                contact=ContactRef(contact_id=contact.pk),
            ),
        )


def test_a_new_web_ticket_sends_one_acknowledgement_in_chinese(
    department, smtp, django_capture_on_commit_callbacks
):
    ticket = _web_ticket(department, django_capture_on_commit_callbacks, language="zh-hans")

    assert len(smtp.messages) == 1
    message = smtp.messages[0]
    assert message.rcpt_tos == ["wang.fang@example.cn"]
    assert (
        message.message["Subject"].strip()
        == f"我们已收到您的请求：打印机无法连接网络 [#{ticket.shown_number}]"
    )
    assert message.message["Auto-Submitted"] == "auto-generated"
    assert message.message["References"] == f"<kefu.ticket.{ticket.pk}@kefu.test>"
    assert "王芳，您好：" in message.text
    assert f"您的请求已登记为工单 #{ticket.shown_number}" in message.text


def test_english_customer_gets_english(department, smtp, django_capture_on_commit_callbacks):
    ticket = _web_ticket(
        department, django_capture_on_commit_callbacks, email="amy@example.com", name="Amy", language="en"
    )

    assert [m.message["Subject"].strip() for m in smtp.messages] == [
        f"We received your request: 打印机无法连接网络 [#{ticket.shown_number}]"
    ]
    assert "Hello Amy," in smtp.messages[0].text


def test_a_rule_turned_off_sends_nothing(department, smtp, django_capture_on_commit_callbacks):
    rule_set(
        actor=Actor.system(),
        source=Source.API,
        department_id=department.pk,
        event="customer.ticket_received",
        enabled=False,
    )

    _web_ticket(department, django_capture_on_commit_callbacks)

    assert smtp.messages == []
    assert not NotificationDelivery.objects.exists()


def test_agent_reply_carries_the_edited_template(agent, department, smtp, django_capture_on_commit_callbacks):
    ticket = _web_ticket(department, django_capture_on_commit_callbacks, name="Amy", language="en")
    smtp.messages.clear()
    template = NotificationTemplate.objects.get(event="customer.agent_reply", language="en")
    template_update(
        actor=Actor.system(),
        source=Source.API,
        template_id=template.pk,
        body_text="Dear {{ contact.name }},\n\n{{ latest_reply }}\n\nYour ticket: {{ ticket.number }}",
        body_html="<p>Dear {{ contact.name }},</p>{{ latest_reply }}",
    )

    with django_capture_on_commit_callbacks(execute=True):
        ticket_reply(
            actor=Actor.agent(agent.user),
            source=Source.WEB,
            ticket=ticket,
            data=ReplyInput(body="<p>Please restart the printer.</p>"),
        )

    assert len(smtp.messages) == 1
    text = smtp.messages[0].text.replace("\r\n", "\n")
    assert text.startswith("Dear Amy,\n\nPlease restart the printer.")
    assert f"Your ticket: #{ticket.shown_number}" in text
    html = smtp.messages[0].message.get_body(preferencelist=("html",)).get_content()
    assert "<p>Dear Amy,</p><p>Please restart the printer.</p>" in html


def test_public_comment_and_closing_each_send_one_email(
    agent, department, smtp, django_capture_on_commit_callbacks
):
    ticket = _web_ticket(department, django_capture_on_commit_callbacks, language="zh-hans")
    smtp.messages.clear()

    with django_capture_on_commit_callbacks(execute=True):
        ticket_comment(
            actor=Actor.agent(agent.user),
            source=Source.WEB,
            ticket=ticket,
            data=CommentInput(body="已为您安排工程师上门。", is_public=True),
        )
    with django_capture_on_commit_callbacks(execute=True):
        ticket_comment(
            actor=Actor.agent(agent.user),
            source=Source.WEB,
            ticket=ticket,
            data=CommentInput(body="内部备注：客户很着急", is_public=False),
        )
    with django_capture_on_commit_callbacks(execute=True):
        ticket_set_status(actor=Actor.agent(agent.user), source=Source.WEB, ticket=ticket, status="closed")

    subjects = [m.message["Subject"].strip() for m in smtp.messages]
    number = f"#{ticket.shown_number}"
    assert subjects == [f"工单 {number} 有新的评论 [{number}]", f"您的工单 {number} 已关闭 [{number}]"]
    assert "已为您安排工程师上门。" in smtp.messages[0].text
    assert "内部备注" not in "".join(m.text for m in smtp.messages)
