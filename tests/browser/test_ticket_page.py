"""The ticket page: open, reply with an attachment, comment with an @mention, change properties,
read the history; creating a ticket; and another department's ticket is a 404."""

from __future__ import annotations

import base64
import re

import pytest
from playwright.sync_api import Page, expect

from kefu.tickets.models import Comment, Thread, Ticket, TicketRead
from tests.browser.helpers import sign_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# A 1×1 PNG, small enough to live in the test.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


def open_ticket(page: Page, ticket: Ticket) -> None:
    page.goto(f"/tickets/{ticket.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(ticket.subject)


def test_open_a_ticket_from_my_open_view(signed_in, desk, text, screenshot):
    page = signed_in
    page.goto("/tickets/?view=mine")

    page.get_by_role("link", name="打印机无法连接网络", exact=True).click()

    expect(page).to_have_url(re.compile(rf"/tickets/{desk.tickets[0].pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("打印机无法连接网络")
    expect(page.get_by_test_id("ticket-status")).to_have_text(text.status_new)
    expect(page.get_by_test_id("ticket-priority")).to_have_text(text.priority_high)
    screenshot(page, "ticket")
    assert TicketRead.objects.filter(ticket=desk.tickets[0], user=desk.agent.user).count() == 1


def test_reply_with_an_attachment(signed_in, desk, text):
    page = signed_in
    ticket = desk.tickets[0]
    open_ticket(page, ticket)

    page.get_by_role("tab", name=text.reply_tab, exact=True).click()
    page.get_by_role("textbox", name=text.reply_to_customer, exact=True).click()
    page.keyboard.type("您好，请按照附件中的步骤重新配置网络。")
    page.get_by_label(text.attachments, exact=True).filter(visible=True).set_input_files(
        files=[{"name": "network-settings.png", "mimeType": "image/png", "buffer": PNG}]
    )
    page.get_by_role("button", name=text.send_reply, exact=True).click()

    reply = page.get_by_test_id("thread").filter(has_text="请按照附件中的步骤重新配置网络")
    expect(reply).to_have_count(1)
    expect(reply.get_by_role("img", name="network-settings.png")).to_be_visible()
    # The preview image opens the file; the second link downloads it.
    expect(reply.get_by_role("link", name="network-settings.png", exact=True)).to_have_count(2)
    thread = Thread.objects.get(ticket=ticket, direction="out")
    assert thread.author_user_id == desk.agent.user_id
    assert thread.body_text.strip() == "您好，请按照附件中的步骤重新配置网络。"
    assert [(a.filename, a.content_type, a.size) for a in thread.attachments.all()] == [
        ("network-settings.png", "image/png", len(PNG))
    ]


def test_internal_comment_mentions_a_colleague(signed_in, desk, text):
    page = signed_in
    ticket = desk.tickets[0]
    open_ticket(page, ticket)

    page.get_by_role("tab", name=text.comment_tab, exact=True).click()
    page.get_by_role("textbox", name=text.internal_comment, exact=True).click()
    page.keyboard.type("请 @李")
    suggestions = page.get_by_role("listbox", name=text.agents_to_mention)
    expect(suggestions.get_by_role("option")).to_have_count(1)
    suggestions.get_by_role("option", name=re.compile("^李娜")).click()
    page.keyboard.type("帮忙确认备件库存。")
    page.get_by_role("button", name=text.add_comment, exact=True).click()

    note = page.get_by_test_id("comment").filter(has_text="帮忙确认备件库存")
    expect(note).to_have_count(1)
    expect(note).to_contain_text(text.internal_comment)
    expect(note).to_contain_text(f"{text.mentioned}: @李娜")
    comment = Comment.objects.get(ticket=ticket)
    assert (comment.author_id, comment.is_public) == (desk.agent.user_id, False)
    assert comment.body_text.strip() == "请 @李娜 帮忙确认备件库存。"
    assert list(comment.mentions.values_list("email", flat=True)) == ["li.na@kefu.test"]


def test_change_status_and_priority_then_read_the_history(signed_in, desk, text):
    page = signed_in
    ticket = desk.tickets[1]
    open_ticket(page, ticket)
    properties = page.get_by_role("region", name=text.properties)

    properties.get_by_label(text.status, exact=True).select_option(label=text.status_in_progress)
    expect(page.get_by_test_id("ticket-status")).to_have_text(text.status_in_progress)
    properties.get_by_label(text.priority, exact=True).select_option(label=text.priority_high)
    expect(page.get_by_test_id("ticket-priority")).to_have_text(text.priority_high)

    page.get_by_role("tab", name=text.history, exact=True).click()
    entries = page.get_by_role("tabpanel", name=text.history).get_by_test_id("history-entry")
    expect(entries.filter(has_text=text.history_status)).to_have_count(1)
    expect(entries.filter(has_text=text.history_priority)).to_have_count(1)
    ticket.refresh_from_db()
    assert (ticket.status.name, ticket.priority.name) == ("处理中", "高")


def test_create_a_ticket_for_a_contact(signed_in, desk, text, screenshot):
    page = signed_in
    page.goto("/tickets/")
    page.get_by_role("link", name=text.new_ticket, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(text.new_ticket)
    screenshot(page, "create-ticket")

    page.get_by_role("combobox", name=text.find_contact).fill("王芳")
    page.get_by_role("option", name=re.compile("王芳")).click()
    page.get_by_label(text.subject, exact=True).fill("收银机屏幕花屏")
    # The label of a required field ends with Tabler's "*", which is part of the accessible name.
    page.get_by_role("textbox", name=text.description).click()
    page.keyboard.type("门店的收银机从早上开始花屏。")
    page.get_by_role("button", name=text.create_ticket, exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("收银机屏幕花屏")
    created = Ticket.objects.get(subject="收银机屏幕花屏")
    assert (created.contact_id, created.department_id) == (desk.contact.pk, desk.department.pk)
    expect(page).to_have_url(re.compile(rf"/tickets/{created.pk}/$"))


def test_an_agent_of_another_department_gets_404(context, page, desk, live_server):
    ticket = desk.tickets[0]
    sign_in_as(context, live_server.url, desk.other_agent.user)

    response = page.goto(f"/tickets/{ticket.pk}/")

    assert response is not None
    assert response.status == 404
    expect(page.get_by_text(ticket.subject)).to_have_count(0)
    assert not TicketRead.objects.filter(ticket=ticket, user=desk.other_agent.user).exists()


def test_keyboard_shortcuts_show_help_and_assign_to_me(signed_in, desk, text):
    page = signed_in
    ticket = desk.tickets[2]
    open_ticket(page, ticket)

    page.keyboard.press("?")
    help_dialog = page.get_by_role("dialog", name=text.keyboard_shortcuts)
    expect(help_dialog).to_be_visible()
    page.keyboard.press("Escape")
    expect(help_dialog).to_be_hidden()

    page.keyboard.press("a")
    properties = page.get_by_role("region", name=text.properties)
    expect(properties.get_by_label(text.assignee, exact=True)).to_have_value(str(desk.agent.user_id))
    ticket.refresh_from_db()
    assert ticket.assignee_id == desk.agent.user_id
