"""The ticket list: system views, bulk assignment and saved views, in both languages."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from kefu.tickets.models import Priority, SavedView, Ticket
from tests.browser.texts import Texts

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def view_link(page: Page, text: Texts, label: str):
    """A system or saved view in the sidebar; its name ends with the view's count."""
    views = page.get_by_role("navigation", name=text.ticket_views)
    return views.get_by_role("link", name=re.compile(rf"^{re.escape(label)}(\s+\d+)?$"))


def rows(page: Page):
    return page.get_by_test_id("ticket-table").locator("tbody tr")


def test_my_open_view_lists_the_agents_open_tickets(signed_in, desk, text, screenshot):
    page = signed_in
    page.goto("/tickets/")

    view_link(page, text, text.my_open).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(text.my_open)
    expect(view_link(page, text, text.my_open)).to_have_attribute("aria-current", "page")
    expect(page.get_by_test_id("view-count-mine")).to_have_text("2")
    expect(rows(page)).to_have_count(2)
    expect(page.get_by_role("link", name="打印机无法连接网络", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="发票抬头开错了", exact=True)).to_be_visible()
    expect(rows(page).filter(has_text="打印机无法连接网络")).to_contain_text(text.priority_high)
    screenshot(page, "ticket-list")


def test_bulk_assign_three_tickets(signed_in, desk, text):
    page = signed_in
    page.goto("/tickets/?view=unassigned")
    expect(page.get_by_role("heading", level=1)).to_have_text(text.unassigned)
    unassigned = desk.tickets[2:]
    for ticket in unassigned:
        rows(page).filter(has_text=ticket.subject).get_by_role("checkbox").check()

    page.get_by_label(text.assign_to, exact=True).select_option(label="李娜")
    page.get_by_role("button", name=text.assign, exact=True).click()

    expect(page.get_by_test_id("bulk-result")).to_be_visible()
    expect(rows(page)).to_have_count(1)
    expect(rows(page)).to_have_text(text.no_tickets)
    assigned = Ticket.objects.filter(pk__in=[t.pk for t in unassigned]).values_list("assignee_id", flat=True)
    assert list(assigned) == [desk.colleague.user_id] * 3
    assert Ticket.objects.get(pk=desk.tickets[0].pk).assignee_id == desk.agent.user_id


def test_save_a_filtered_list_as_a_view(signed_in, desk, text):
    page = signed_in
    page.goto("/tickets/?view=open")
    expect(page.get_by_role("heading", level=1)).to_have_text(text.all_open)
    expect(rows(page)).to_have_count(5)

    page.get_by_test_id("filter-bar").get_by_label(text.priority, exact=True).select_option(
        label=text.priority_high
    )
    expect(rows(page)).to_have_count(1)
    page.get_by_role("link", name=text.save_as_view, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(text.save_as_view)
    page.get_by_label(text.name, exact=True).fill("紧急处理")
    page.get_by_role("button", name=text.save_view, exact=True).click()

    expect(view_link(page, text, "紧急处理")).to_have_attribute("aria-current", "page")
    expect(rows(page)).to_have_count(1)
    expect(rows(page)).to_contain_text("打印机无法连接网络")
    saved = SavedView.objects.get()
    assert (saved.owner_id, saved.name, saved.is_shared) == (desk.agent.user_id, "紧急处理", False)
    high = Priority.objects.get(name="高").pk
    assert (saved.base, saved.criteria) == (
        "open",
        {"all": [{"field": "priority", "op": "is", "value": high}]},
    )
