"""Notifications in the console (issue 10), in zh-Hans and English.

An administrator edits the "agent reply" template with a placeholder, previews it on a ticket, and the
next reply's email (at the test's SMTP server) carries the change. An agent sees the bell's count rise
when a colleague mentions them, and clears it with "mark all read".
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from kefu.core.actors import Actor, Source
from kefu.notifications.models import NotificationTemplate
from kefu.tickets.inputs import CommentInput
from kefu.tickets.services import ticket_comment
from tests.browser.helpers import sign_in_as
from tests.browser.mail import SmtpSink, smtp_sink  # noqa: F401  (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

BODY = {
    "zh-hans": "{{ contact.name }}，您好：\n\n{{ latest_reply }}\n\n工单 {{ ticket.number }} · 售后服务部",
    "en": "Dear {{ contact.name }},\n\n{{ latest_reply }}\n\nTicket {{ ticket.number }} · After-sales",
}
GREETING = {"zh-hans": "王芳，您好：", "en": "Dear 王芳,"}
FOOTER = {"zh-hans": "工单 #{number} · 售后服务部", "en": "Ticket #{number} · After-sales"}


@pytest.fixture
def mail(settings, smtp_sink) -> SmtpSink:  # noqa: F811  (fixture)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = smtp_sink.host, smtp_sink.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    return smtp_sink


def test_an_administrator_edits_the_agent_reply_template_and_the_next_reply_carries_it(
    context, page: Page, live_server, desk, mail, lang, text
):
    desk.contact.language = lang
    desk.contact.save(update_fields=["language"])
    ticket = desk.tickets[0]
    sign_in_as(context, live_server.url, desk.admin.user)

    page.goto("/settings/notifications/templates/")
    page.get_by_test_id(f"template-customer.agent_reply-{lang}").click()
    page.wait_for_url("**/settings/notifications/templates/*/")
    page.locator("#template-body-text").fill(BODY[lang])
    page.locator("#template-body-html").fill("<p>" + BODY[lang].split("\n")[0] + "</p>{{ latest_reply }}")
    page.locator("#preview-ticket").fill(str(ticket.pk))
    page.get_by_test_id("template-preview").click()
    preview = page.get_by_test_id("preview-text")
    expect(preview).to_contain_text(GREETING[lang])
    expect(preview).to_contain_text(FOOTER[lang].format(number=ticket.shown_number))
    page.get_by_test_id("template-save").click()
    expect(page.locator("#template-body-text")).to_have_value(BODY[lang])
    assert (
        NotificationTemplate.objects.get(event="customer.agent_reply", language=lang).body_text == BODY[lang]
    )

    page.goto(f"/tickets/{ticket.pk}/")
    page.get_by_role("tab", name=text.reply_tab, exact=True).click()
    page.get_by_role("textbox", name=text.reply_to_customer, exact=True).click()
    page.keyboard.type("工程师明天上门，届时会先电话联系您。")
    page.get_by_role("button", name=text.send_reply, exact=True).click()

    received = mail.wait_for(lambda message: "工程师明天上门" in message.text)
    body = received.text.replace("\r\n", "\n")
    assert body.startswith(f"{GREETING[lang]}\n\n工程师明天上门，届时会先电话联系您。")
    assert FOOTER[lang].format(number=ticket.shown_number) in body
    assert received.rcpt_tos == ["wang.fang@example.cn"]
    assert len(mail.messages) == 1


def test_the_bell_counts_a_mention_and_mark_all_read_clears_it(context, page: Page, live_server, desk, lang):
    sign_in_as(context, live_server.url, desk.colleague.user)
    page.goto("/tickets/")
    bell = page.get_by_test_id("notification-bell")
    expect(bell).to_be_visible()
    expect(page.get_by_test_id("notification-count")).to_have_count(0)

    ticket_comment(
        actor=Actor.agent(desk.agent.user),
        source=Source.WEB,
        ticket=desk.tickets[0],
        data=CommentInput(body="@李娜 请确认备件库存", mention_ids=[desk.colleague.user_id]),
    )

    expect(page.get_by_test_id("notification-count")).to_have_text("1")  # the bell polls every 10 s
    page.get_by_test_id("notification-bell").click()
    page.wait_for_url("**/notifications/")
    entry = page.get_by_test_id("notification")
    expect(entry).to_have_count(1)
    expected = {"zh-hans": "张伟 在工单 #{n} 中提到了您", "en": "张伟 mentioned you on ticket #{n}"}[lang]
    expect(entry).to_contain_text(expected.format(n=desk.tickets[0].shown_number))
    page.get_by_test_id("mark-all-read").click()
    page.wait_for_url("**/notifications/")
    expect(page.get_by_test_id("notification-count")).to_have_count(0)
    expect(page.get_by_test_id("mark-all-read")).to_be_disabled()


def test_a_rule_built_in_the_console_sends_a_notification_from_a_template(
    context, page: Page, live_server, desk
):
    from kefu.automation.models import WorkflowRule

    sign_in_as(context, live_server.url, desk.admin.user)
    page.goto("/settings/workflow-rules/")
    page.get_by_test_id("rule-new").click()
    page.locator("#id_name").fill("关闭后通知运维")
    builder = page.get_by_test_id("rule-builder")
    builder.get_by_test_id("add-action").click()
    action = builder.get_by_test_id("action").nth(0)
    action.get_by_test_id("action-type").select_option("notify_email")
    action.get_by_test_id("action-template").select_option("customer.ticket_closed")
    action.get_by_test_id("action-to").fill("contact, ops@example.cn")
    page.get_by_test_id("rule-save").click()
    page.wait_for_url("**/settings/workflow-rules/*/")
    expected = [
        {"type": "notify_email", "template": "customer.ticket_closed", "to": ["contact", "ops@example.cn"]}
    ]
    assert WorkflowRule.objects.get().actions == expected

    page.reload()  # the builder shows the action again, and saving keeps it
    expect(builder.get_by_test_id("action-to")).to_have_value("contact, ops@example.cn")
    page.get_by_test_id("rule-save").click()
    page.wait_for_url("**/settings/workflow-rules/*/")
    assert WorkflowRule.objects.get().actions == expected
