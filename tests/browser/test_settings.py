"""Settings: an administrator reaches them; an agent is not offered them."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import sign_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_an_administrator_opens_the_settings(context, page, desk, live_server, text, screenshot):
    sign_in_as(context, live_server.url, desk.admin.user)
    page.goto("/tickets/")

    page.get_by_role("navigation", name=text.main_menu).get_by_role("link", name=text.settings).click()

    expect(page).to_have_url(re.compile(r"/settings/departments/$"))
    settings_menu = page.get_by_role("navigation", name=text.settings)
    expect(settings_menu.get_by_role("link", name=text.departments)).to_have_attribute("aria-current", "page")
    expect(page.get_by_role("main")).to_contain_text(text.department_a)
    screenshot(page, "settings")


def test_an_agent_is_not_offered_the_settings(signed_in, text):
    signed_in.goto("/tickets/")
    menu = signed_in.get_by_role("navigation", name=text.main_menu)
    expect(menu.get_by_role("link", name=text.tickets)).to_be_visible()
    expect(menu.get_by_role("link", name=text.settings)).to_have_count(0)
