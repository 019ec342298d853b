"""Workflow rules in the console: an administrator builds “subject contains 发热 → priority High, assign to
team 换货组” with the builder, tests it against recent tickets, switches it on and sees it act on a new
ticket — in both languages."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from kefu.automation.models import WorkflowRule
from kefu.core.actors import Actor, Source
from kefu.org.tests.factories import TeamFactory
from kefu.tickets.inputs import ContactRef, TicketCreateInput
from kefu.tickets.models import Ticket
from kefu.tickets.services import ticket_create
from tests.browser.helpers import sign_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TEXTS = {
    "zh-hans": {
        "high": "高",
        "team": "换货组 · 售后服务",
        "dry_run": "最近 6 张工单中有 1 张会匹配。",
        "would": "优先级: 中 → 高",
        "on": "已启用",
        "history": "历史记录",
        "fired": "规则“手机发热” 将优先级从 中 改为 高",
    },
    "en": {
        "high": "High",
        "team": "换货组 · After-sales",
        "dry_run": "1 of the latest 6 tickets would match.",
        "would": "Priority: Medium → High",
        "on": "On",
        "history": "History",
        "fired": "Rule “手机发热” changed priority from Medium to High",
    },
}


def _ticket(desk, subject: str) -> Ticket:
    return ticket_create(
        actor=Actor.system(),
        source=Source.EMAIL,
        data=TicketCreateInput(
            subject=subject,
            description="手机用一会儿就很烫。",
            department_id=desk.department.pk,
            contact=ContactRef(contact_id=desk.contact.pk),
            channel="email",
        ),
    )


def test_an_administrator_builds_tests_and_switches_on_a_rule(context, page, desk, live_server, lang):
    words = TEXTS[lang]
    team = TeamFactory(department=desk.department, name="换货组")
    earlier = _ticket(desk, "手机发热严重")
    sign_in_as(context, live_server.url, desk.admin.user)

    page.goto("/settings/workflow-rules/")
    page.get_by_test_id("rule-new").click()
    page.locator("#id_name").fill("手机发热")
    builder = page.get_by_test_id("rule-builder")
    builder.get_by_test_id("add-condition").first.click()
    condition = builder.get_by_test_id("condition").first
    condition.get_by_test_id("condition-field").select_option("subject")
    condition.get_by_test_id("condition-op").select_option("contains")
    condition.get_by_test_id("condition-value").fill("发热")
    builder.get_by_test_id("add-action").click()
    first_action = builder.get_by_test_id("action").nth(0)
    first_action.get_by_test_id("action-field").select_option("priority")
    first_action.get_by_test_id("action-value").select_option(label=words["high"])
    builder.get_by_test_id("add-action").click()
    second_action = builder.get_by_test_id("action").nth(1)
    second_action.get_by_test_id("action-type").select_option("assign")
    second_action.get_by_test_id("action-team").select_option(label=words["team"])

    page.get_by_test_id("rule-dry-run").click()
    dry_run = page.get_by_test_id("dry-run")
    expect(dry_run.get_by_test_id("dry-run-summary")).to_contain_text(words["dry_run"])
    expect(dry_run.get_by_test_id("dry-run-match")).to_contain_text(words["would"])
    assert Ticket.objects.get(pk=earlier.pk).priority.name == "中"  # the dry run wrote nothing

    page.get_by_test_id("rule-save").click()
    expect(page).to_have_url(re.compile(r"/settings/workflow-rules/\d+/$"))
    rule = WorkflowRule.objects.get()
    assert (rule.enabled, rule.criteria) == (
        False,
        {"all": [{"field": "subject", "op": "contains", "value": "发热"}]},
    )

    page.goto("/settings/workflow-rules/")
    row = page.get_by_test_id("rule-row").filter(has_text="手机发热")
    row.get_by_test_id("rule-switch-on").click()
    expect(row.get_by_test_id("rule-switch-on")).to_have_count(0)
    expect(row.get_by_text(words["on"], exact=True)).to_be_visible()
    assert WorkflowRule.objects.get().enabled is True

    new = _ticket(desk, "新手机发热")
    new.refresh_from_db()
    assert (new.priority.name, new.team_id) == ("高", team.pk)
    page.goto(f"/tickets/{new.pk}/")
    page.get_by_role("tab", name=words["history"], exact=True).click()
    entries = page.get_by_role("tabpanel", name=words["history"]).get_by_test_id("history-entry")
    expect(entries.filter(has_text=words["fired"])).to_have_count(1)
