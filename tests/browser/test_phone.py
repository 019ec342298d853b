"""The console on a phone: the menu folds away, nothing overflows the screen, the work stays reachable."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.texts import Texts

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"width": 390, "height": 844}


def fits_the_screen(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_the_ticket_list_and_a_ticket_work_on_a_phone(signed_in, desk, text: Texts, screenshot):
    page = signed_in
    page.set_viewport_size(PHONE)
    page.goto("/tickets/?view=mine")

    expect(page.get_by_role("heading", level=1)).to_have_text(text.my_open)
    main_menu = page.get_by_role("navigation", name=text.main_menu)
    expect(main_menu.get_by_role("link", name=text.tickets, exact=True)).to_be_hidden()
    page.get_by_role("button", name=text.menu_toggle).click()
    expect(main_menu.get_by_role("link", name=text.tickets, exact=True)).to_be_visible()
    assert fits_the_screen(page)
    screenshot(page, "ticket-list-phone")

    page.get_by_role("link", name="打印机无法连接网络", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("打印机无法连接网络")
    expect(page.get_by_role("tab", name=text.reply_tab)).to_be_visible()
    assert fits_the_screen(page)
    screenshot(page, "ticket-phone")
