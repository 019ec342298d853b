"""Ticket work in the console (issue 14), in both languages: a child ticket and closing its parent,
merging two tickets, and the compact list that shows at least 15 tickets on a 1400×900 screen."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from kefu.core.actors import Actor, Source
from kefu.tickets.inputs import ContactRef, TicketCreateInput
from kefu.tickets.models import Status, StatusType, Ticket
from kefu.tickets.services import ticket_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TEXTS = {
    "en": {
        "create": "Create ticket",
        "subject": "Subject",
        "message": "Customer's message",
        "merge_into": "Merge tickets into this one",
        "merge": "Merge",
        "merged": "The tickets were merged into this one. You can undo it for 10 minutes.",
    },
    "zh-hans": {
        "create": "创建工单",
        "subject": "主题",
        "message": "客户的消息",
        "merge_into": "将工单合并到本工单",
        "merge": "合并",
        "merged": "工单已合并到本工单，10 分钟内可以撤销。",
    },
}


def _closed() -> Status:
    return Status.objects.filter(status_type=StatusType.CLOSED).order_by("order", "id").first()


def test_a_child_ticket_from_its_parent_then_closing_the_parent_closes_it(signed_in: Page, desk, lang):
    words = TEXTS[lang]
    parent = desk.tickets[0]
    page = signed_in
    page.goto(f"/tickets/{parent.pk}/")
    page.locator("#ticket-add-child").click()
    page.wait_for_url("**/tickets/new/**")
    page.get_by_label(words["subject"], exact=True).fill("更换门店交换机")
    page.get_by_role("textbox", name=words["message"]).click()
    page.keyboard.type("网络组：请更换三楼的交换机。")
    page.get_by_role("button", name=words["create"], exact=True).click()
    page.wait_for_url(lambda url: "/tickets/new/" not in url)
    child = Ticket.objects.get(subject="更换门店交换机")
    assert child.parent_id == parent.pk

    page.goto(f"/tickets/{parent.pk}/")
    expect(page.locator("#ticket-family-children li")).to_have_count(1)
    # Closing the parent asks first, naming the open child; accepting closes both.
    messages: list[str] = []

    def accept(dialog) -> None:
        messages.append(dialog.message)
        dialog.accept()

    page.on("dialog", accept)
    closed = _closed()
    page.locator("#prop-status").select_option(str(closed.pk))
    expect(page.get_by_test_id("ticket-status")).to_have_text(
        closed.name if lang == "zh-hans" else closed.name_en
    )
    assert len(messages) == 1
    assert str(child.number) in messages[0]
    child.refresh_from_db()
    assert child.status_id == closed.pk


def test_merge_two_tickets(signed_in: Page, desk, lang):
    words = TEXTS[lang]
    target, merged = desk.tickets[0], desk.tickets[1]
    page = signed_in
    page.goto(f"/tickets/{target.pk}/")
    page.on("dialog", lambda dialog: dialog.accept())
    page.get_by_label(words["merge_into"], exact=True).fill(str(merged.number))
    page.get_by_test_id("merge-submit").click()
    expect(page.get_by_role("status").filter(has_text=words["merged"])).to_be_visible()
    expect(page.get_by_test_id("undo-merge")).to_have_count(1)
    merged.refresh_from_db()
    assert (merged.merged_into_id, merged.status.status_type) == (target.pk, StatusType.CLOSED)
    # The merged ticket's page leads to the target.
    page.goto(f"/tickets/{merged.pk}/")
    page.wait_for_url(f"**/tickets/{target.pk}/")


def test_the_compact_list_shows_at_least_15_tickets_at_1400_by_900(signed_in: Page, desk, lang, screenshot):
    for index in range(20):
        ticket_create(
            actor=Actor.system(),
            source=Source.IMPORT,
            data=TicketCreateInput(
                subject=f"门店 {index + 1} 号收银机小票打印不清晰，需要更换打印头并校准纸张传感器",
                description="按照说明书操作后仍然不行。",
                department_id=desk.department.pk,
                contact=ContactRef(contact_id=desk.contact.pk),
                assignee_id=desk.agent.user_id,
            ),
        )
    page = signed_in
    page.set_viewport_size({"width": 1400, "height": 900})
    page.goto("/tickets/?view=mine")
    rows = page.get_by_test_id("ticket-table").locator("tbody tr")
    expect(rows).to_have_count(22)
    # Nothing selected: no bulk bar taking room.
    expect(page.get_by_test_id("bulk-bar")).to_be_hidden()
    visible = page.evaluate(
        """() => Array.from(document.querySelectorAll('[data-testid="ticket-table"] tbody tr'))
              .filter((row) => { const box = row.getBoundingClientRect();
                                 return box.top >= 0 && box.bottom <= window.innerHeight; }).length"""
    )
    assert visible >= 15, visible
    # Selecting a ticket brings the bulk bar.
    rows.first.get_by_role("checkbox").check()
    expect(page.get_by_test_id("bulk-bar")).to_be_visible()
    screenshot(page, "ticket-list-compact")
