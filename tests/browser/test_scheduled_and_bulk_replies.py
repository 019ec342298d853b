"""Scheduled and bulk replies in the console, followed to the SMTP server (issue 14, items 3 and 4).

The scheduled reply is picked in the customer's time zone for two minutes ahead; the clock is then moved
past it with time-machine and the beat task's function runs, and the reply arrives at the test's SMTP
server. The bulk reply checks three tickets in the list and answers them all, each by its own email.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import Page, expect

from kefu.channels.email.models import Mailbox, Security
from kefu.tickets.models import Thread
from kefu.tickets.services import scheduled_replies_send_due
from tests.browser.mail import SmtpSink, smtp_sink  # noqa: F401  (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")
TEXTS = {
    "zh-hans": {
        "later": "稍后发送",
        "send_at": "发送时间（客户所在时区）：Asia/Tokyo (UTC+09:00)",
        "schedule": "定时发送",
        "goes": "将于 {time} 发送，Asia/Tokyo (UTC+09:00)",
        "reply": "回复",
        "editor": "给每个所选工单各发一封回复",
        "send_all": "发送给所选工单",
        "replied": "回复: 已回复 3 个工单。",
    },
    "en": {
        "later": "Send later",
        "send_at": "Send at, in the customer's time zone: Asia/Tokyo (UTC+09:00)",
        "schedule": "Schedule reply",
        "goes": "Goes at {time}, Asia/Tokyo (UTC+09:00)",
        "reply": "Reply",
        "editor": "One reply to each selected ticket",
        "send_all": "Send to the selected tickets",
        "replied": "Reply: 3 tickets replied to.",
    },
}


@pytest.fixture
def mail(settings, smtp_sink, desk) -> SmtpSink:  # noqa: F811  (fixture)
    """Replies of the department leave through its mailbox, whose SMTP server is the test's."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = smtp_sink.host, smtp_sink.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    Mailbox.objects.create(
        name="售后客服",
        address="service@kefu.test",
        display_name="售后客服",
        department=desk.department,
        protocol=Mailbox.Protocol.PUSH,
        smtp_host=smtp_sink.host,
        smtp_port=smtp_sink.port,
        smtp_security=Security.NONE,
    )
    return smtp_sink


def test_a_reply_scheduled_two_minutes_ahead_in_the_customers_zone_arrives_then(
    signed_in: Page, desk, mail, lang, text
):
    words = TEXTS[lang]
    desk.contact.time_zone = "Asia/Tokyo"
    desk.contact.save(update_fields=["time_zone"])
    ticket = desk.tickets[0]
    # Two minutes ahead, to the minute, in the customer's zone (as the picker shows it).
    send_at = (timezone.now() + dt.timedelta(minutes=3)).astimezone(TOKYO).replace(second=0, microsecond=0)
    page = signed_in
    page.goto(f"/tickets/{ticket.pk}/")
    page.get_by_role("tab", name=text.reply_tab, exact=True).click()
    page.get_by_role("textbox", name=text.reply_to_customer, exact=True).click()
    page.keyboard.type("王女士您好，工程师明天上门，届时会先电话联系您。")
    page.get_by_label(words["later"], exact=True).check()
    page.get_by_label(words["send_at"], exact=True).fill(send_at.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name=words["schedule"], exact=True).click()

    card = page.get_by_test_id("scheduled-reply")
    expect(card).to_have_count(1)
    expect(card.get_by_test_id("scheduled-at")).to_have_text(
        words["goes"].format(time=send_at.strftime("%Y-%m-%d %H:%M"))
    )
    thread = Thread.objects.get(ticket=ticket, scheduled=True)
    assert thread.send_at == send_at
    expect(page.get_by_test_id("thread").filter(has_text="工程师明天上门")).to_have_count(0)
    assert mail.messages == []

    # The time comes: the beat task's function runs once the clock has passed it.
    with time_machine.travel(send_at + dt.timedelta(seconds=5), tick=True):
        assert scheduled_replies_send_due() == 1
    received = mail.wait_for(lambda message: "工程师明天上门" in message.text)
    assert received.rcpt_tos == ["wang.fang@example.cn"]
    assert f"[#{ticket.number}]" in received.message["Subject"]

    page.reload()
    expect(page.get_by_test_id("scheduled-reply")).to_have_count(0)
    expect(page.get_by_test_id("thread").filter(has_text="工程师明天上门")).to_have_count(1)


def test_an_agent_replies_to_three_tickets_from_the_list(signed_in: Page, desk, mail, lang):
    words = TEXTS[lang]
    chosen = desk.tickets[2:]
    page = signed_in
    page.goto("/tickets/?view=unassigned")
    table = page.get_by_test_id("ticket-table")
    for ticket in chosen:
        table.locator("tbody tr").filter(has_text=ticket.subject).get_by_role("checkbox").check()

    page.get_by_test_id("bulk-reply-open").click()
    page.get_by_label(words["editor"], exact=True).fill(
        "{{ contact.name }}您好：您的工单 {{ ticket.number }}（{{ ticket.subject }}）已由工程师处理。"
    )
    page.get_by_role("button", name=words["send_all"], exact=True).click()

    expect(page.get_by_test_id("bulk-result")).to_have_text(words["replied"])
    for ticket in chosen:
        thread = Thread.objects.get(ticket=ticket, direction="out")
        assert thread.body_text == f"王芳您好：您的工单 #{ticket.number}（{ticket.subject}）已由工程师处理。"
        received = mail.wait_for(lambda message, t=ticket: f"[#{t.number}]" in message.message["Subject"])
        assert f"#{ticket.number}（{ticket.subject}）" in received.text
    assert len({message.message["Message-ID"] for message in mail.messages}) == 3
    assert not Thread.objects.filter(ticket=desk.tickets[1], direction="out").exists()
