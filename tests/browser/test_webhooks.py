"""Webhooks in the console (zh-Hans and English): an administrator adds one, copies its secret, a new ticket
reaches the receiver, and the delivery log shows the answer and sends it again."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from kefu.core.actors import Actor, Source
from kefu.tickets.inputs import ContactRef, TicketCreateInput
from kefu.tickets.services import ticket_create
from kefu.webhooks.signing import verify
from kefu.webhooks.tests.receiver import receiver
from tests.browser.helpers import sign_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TEXTS = {
    "zh-hans": {
        "settings": "设置",
        "webhooks": "Webhook",
        "add": "添加 Webhook",
        "name": "名称",
        "url": "网址",
        "created": "工单创建时",
        "save": "保存",
        "log": "投递记录",
        "delivered": "已送达",
        "again": "重新发送",
        "back": "返回 Webhook",
    },
    "en": {
        "settings": "Settings",
        "webhooks": "Webhooks",
        "add": "Add a webhook",
        "name": "Name",
        "url": "URL",
        "created": "Ticket created",
        "save": "Save",
        "log": "Delivery log",
        "delivered": "Delivered",
        "again": "Send again",
        "back": "Back to the webhook",
    },
}


def test_an_administrator_adds_a_webhook_and_sends_a_delivery_again(
    context, page, desk, live_server, lang, settings, screenshot
):
    words = TEXTS[lang]
    settings.KEFU_WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    sign_in_as(context, live_server.url, desk.admin.user)
    with receiver() as hook:
        page.goto("/settings/general/")
        page.get_by_role("navigation", name=words["settings"]).get_by_role(
            "link", name=words["webhooks"], exact=True
        ).click()
        page.wait_for_url(re.compile(r"/settings/webhooks/$"))
        page.get_by_role("link", name=words["add"]).click()
        page.wait_for_url(re.compile(r"/settings/webhooks/new/$"))
        page.get_by_label(words["name"], exact=True).fill("CRM")
        page.get_by_label(words["url"], exact=True).fill(hook.url)
        page.get_by_label(words["created"], exact=True).check()
        page.get_by_role("button", name=words["save"]).click()

        secret = page.get_by_test_id("webhook-secret")
        expect(secret).to_have_value(re.compile(r"^whsec_"))
        secret_value = secret.input_value()
        screenshot(page, "webhook-secret")

        ticket_create(
            actor=Actor.system(),
            source=Source.IMPORT,
            data=TicketCreateInput(
                subject="打印机无法连接网络",
                description="按照说明书操作后仍然连不上。",
                department_id=desk.department.pk,
                contact=ContactRef(email="wang.fang@example.cn", name="王芳"),
            ),
        )
        (request,) = hook.requests
        timestamp = int(request.headers["x-kefu-signature"].split(",")[0][2:])
        assert verify(secret_value, request.headers["x-kefu-signature"], request.body, now=timestamp)

        page.get_by_role("link", name=words["back"]).click()
        page.get_by_role("link", name=words["log"]).first.click()
        rows = page.get_by_test_id("delivery-row")
        expect(rows).to_have_count(1)
        expect(rows.first).to_contain_text(words["delivered"])
        expect(rows.first).to_contain_text("200")
        rows.first.get_by_role("button", name=words["again"]).click()
        expect(page.get_by_test_id("delivery-row")).to_have_count(2)
        assert len(hook.requests) == 2
        assert hook.requests[1].body == request.body
        screenshot(page, "webhook-log")
