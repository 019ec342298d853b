"""Macros from the ticket list: an agent checks three tickets and applies one macro to all of them."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from kefu.automation.models import Macro
from kefu.automation.tests.routing_factories import MacroFactory
from kefu.tickets.models import Comment, Ticket
from kefu.tickets.selectors import priority_lookup

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TEXTS = {
    "zh-hans": {"macro": "宏", "apply": "应用宏", "applied": "已对 3 张工单应用宏“退款已受理”。"},
    "en": {
        "macro": "Macro",
        "apply": "Apply macro",
        "applied": "Macro “退款已受理” was applied to 3 tickets.",
    },
}


def test_an_agent_applies_a_macro_to_three_tickets_from_the_list(signed_in, desk, lang):
    words = TEXTS[lang]
    high = priority_lookup("高")
    macro = MacroFactory(
        name="退款已受理",
        department=desk.department,
        actions=[
            {"type": "set_field", "field": "priority", "value": high.pk},
            {"type": "add_tags", "tags": ["退款"]},
            {"type": "comment", "body": "{{ agent.name }} 已受理 {{ ticket.number }}"},
        ],
    )
    chosen = desk.tickets[2:]
    page = signed_in
    page.goto("/tickets/?view=unassigned")
    table = page.get_by_test_id("ticket-table")
    for ticket in chosen:
        table.locator("tbody tr").filter(has_text=ticket.subject).get_by_role("checkbox").check()

    page.get_by_label(words["macro"], exact=True).select_option(label="退款已受理")
    page.get_by_role("button", name=words["apply"], exact=True).click()

    expect(page.get_by_test_id("bulk-result")).to_have_text(words["applied"])
    for ticket in Ticket.objects.filter(pk__in=[t.pk for t in chosen]):
        assert ticket.priority_id == high.pk
        assert [tag.name for tag in ticket.tags.all()] == ["退款"]
        assert Comment.objects.get(ticket=ticket).body_text == f"张伟 已受理 #{ticket.number}"
    untouched = Ticket.objects.get(pk=desk.tickets[1].pk)
    assert not untouched.tags.exists()
    assert Macro.objects.get(pk=macro.pk).usage_count == 3
