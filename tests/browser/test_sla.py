"""SLA policies end to end: an administrator builds the policy "高: first response 1 h, resolution 4 h",
an agent sees the badge count down on the list and the ticket page, on hold (搁置) it says paused and
after resuming it counts again."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from kefu.core.actors import Actor, Source
from kefu.sla.models import SlaPolicy
from kefu.tickets.inputs import ContactRef, TicketCreateInput
from kefu.tickets.services import ticket_create
from tests.browser.helpers import sign_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TEXTS = {
    "zh-hans": {
        "nav": "服务级别策略",
        "new": "新建服务级别策略",
        "save": "保存",
        "saved": "服务级别策略“高优先级”已保存。",
        "first_response": "高：首次响应（分钟）",
        "resolution": "高：解决（分钟）",
        "left": re.compile(r"^剩余 (5\d 分钟|1 小时)（工作时间）$"),
        "status": "状态",
        "on_hold": "搁置",
        "in_progress": "处理中",
        "paused": "已暂停",
        "properties": "属性",
    },
    "en": {
        "nav": "SLA policies",
        "new": "New SLA policy",
        "save": "Save",
        "saved": "The SLA policy “高优先级” is saved.",
        "first_response": "High: first response (minutes)",
        "resolution": "High: resolution (minutes)",
        "left": re.compile(r"^(5\d min|1 h) left \(business hours\)$"),
        "status": "Status",
        "on_hold": "On hold",
        "in_progress": "In progress",
        "paused": "paused",
        "properties": "Properties",
    },
}


def test_an_administrator_builds_a_policy_and_an_agent_sees_the_badge_pause_and_resume(
    context, page, desk, live_server, lang
):
    words = TEXTS[lang]
    sign_in_as(context, live_server.url, desk.admin.user)
    page.goto("/settings/general/")
    page.get_by_role("link", name=words["nav"], exact=True).click()
    page.wait_for_url("**/settings/sla/")
    page.get_by_test_id("sla-policy-new").click()
    page.wait_for_url("**/settings/sla/new/")
    page.locator("#sla-name").fill("高优先级")
    page.locator("#sla-department").select_option(str(desk.department.pk))
    page.get_by_label(words["first_response"], exact=True).fill("60")
    page.get_by_label(words["resolution"], exact=True).fill("240")
    page.get_by_test_id("sla-policy-save").click()
    expect(page.get_by_text(words["saved"])).to_be_visible()
    page.wait_for_url("**/settings/sla/")
    policy = SlaPolicy.objects.get()
    target = policy.targets.select_related("priority").get()
    assert (target.priority.name, target.first_response_minutes, target.resolution_minutes) == ("高", 60, 240)

    # A new 高 ticket of the department gets the policy (the department has no calendar: 24×7); the badge
    # shows the target due first, the first response.
    ticket = ticket_create(
        actor=Actor.system(),
        source=Source.IMPORT,
        data=TicketCreateInput(
            subject="收银机黑屏",
            description="开机后一直黑屏。",
            department_id=desk.department.pk,
            contact=ContactRef(contact_id=desk.contact.pk),
            priority="高",
        ),
    )
    sign_in_as(context, live_server.url, desk.agent.user)
    page.goto("/tickets/?view=open")
    row = page.locator(f'tr[data-ticket-id="{ticket.pk}"]')
    expect(row.get_by_test_id("sla-badge")).to_have_text(words["left"])

    page.goto(f"/tickets/{ticket.pk}/")
    card = page.get_by_test_id("sla-card")
    expect(card.get_by_test_id("sla-policy")).to_contain_text("高优先级")
    expect(card.get_by_test_id("sla-badge")).to_have_text(words["left"])

    properties = page.get_by_role("region", name=words["properties"])
    properties.get_by_label(words["status"], exact=True).select_option(label=words["on_hold"])
    expect(card.get_by_test_id("sla-badge")).to_have_text(words["paused"])
    properties.get_by_label(words["status"], exact=True).select_option(label=words["in_progress"])
    expect(card.get_by_test_id("sla-badge")).to_have_text(words["left"])
