"""A saved view's conditions, built with the rule builder: "mine, and high priority or tagged VIP".

The view is saved as criteria and the list shows what those criteria match; then the view is edited
and a condition removed. In zh-Hans and English.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from kefu.tickets.models import Priority, SavedView

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

CONDITIONS = {"en": "Conditions", "zh-hans": "条件"}


def rows(page: Page):
    return page.get_by_test_id("ticket-table").locator("tbody tr")


def test_build_a_views_conditions_with_the_rule_builder(signed_in, desk, text, lang):
    page = signed_in
    high = Priority.objects.get(name="高")
    page.goto("/tickets/?view=open")
    expect(rows(page)).to_have_count(5)
    page.get_by_role("link", name=text.save_as_view, exact=True).click()
    builder = page.get_by_test_id("view-conditions")
    expect(builder.get_by_text(CONDITIONS[lang], exact=True)).to_be_visible()
    page.get_by_label(text.name, exact=True).fill("我的紧急")

    builder.get_by_test_id("add-condition").first.click()
    builder.get_by_test_id("condition-field").nth(0).select_option("assignee_id")
    builder.get_by_test_id("condition-op").nth(0).select_option("is")
    builder.get_by_test_id("condition-value").nth(0).select_option("me")
    builder.get_by_test_id("add-group").first.click()  # a nested group: "any of these"
    builder.get_by_test_id("group-op").nth(1).select_option("any")
    builder.get_by_test_id("condition-field").nth(1).select_option("priority")
    builder.get_by_test_id("condition-op").nth(1).select_option("is")
    builder.get_by_test_id("condition-value").nth(1).select_option(str(high.pk))
    builder.get_by_test_id("add-condition").nth(1).click()
    builder.get_by_test_id("condition-field").nth(2).select_option("tags")
    builder.get_by_test_id("condition-op").nth(2).select_option("contains")
    builder.get_by_test_id("condition-value").nth(2).fill("VIP")
    page.get_by_role("button", name=text.save_view, exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("我的紧急")
    expect(rows(page)).to_have_count(1)
    expect(rows(page)).to_contain_text("打印机无法连接网络")
    view = SavedView.objects.get()
    assert (view.base, view.criteria) == (
        "open",
        {
            "all": [
                {"field": "assignee_id", "op": "is", "value": "me"},
                {
                    "any": [
                        {"field": "priority", "op": "is", "value": high.pk},
                        {"field": "tags", "op": "contains", "value": "VIP"},
                    ]
                },
            ]
        },
    )

    # Edit: without the nested group the view shows both of the agent's open tickets.
    page.goto(f"/tickets/views/{view.pk}/edit/")
    builder = page.get_by_test_id("view-conditions")
    expect(builder.get_by_test_id("condition")).to_have_count(3)
    builder.get_by_test_id("criteria-group").nth(1).get_by_role("button").last.click()
    expect(builder.get_by_test_id("condition")).to_have_count(1)
    page.get_by_role("button", name=text.save_view, exact=True).click()
    expect(rows(page)).to_have_count(2)
    view.refresh_from_db()
    assert view.criteria == {"all": [{"field": "assignee_id", "op": "is", "value": "me"}]}
