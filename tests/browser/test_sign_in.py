"""Signing in to the console, in both languages, with the page's styles and scripts loaded."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
LANGUAGE_NAMES = {"zh-hans": "简体中文", "en": "English"}


def test_sign_in_opens_the_console(page, desk, text, screenshot):
    page.goto("/login/")
    expect(page.get_by_role("heading", level=1)).to_have_text(text.sign_in_title)
    screenshot(page, "sign-in")

    sign_in(page, text, desk.agent.user.email)

    expect(page.get_by_role("link", name=text.tickets, exact=True)).to_be_visible()


def test_a_wrong_password_keeps_the_agent_out(page, desk, text):
    page.goto("/login/")
    page.get_by_label(text.email, exact=True).fill(desk.agent.user.email)
    page.get_by_label(text.password, exact=True).fill("not-the-password")
    page.get_by_role("button", name=text.sign_in, exact=True).click()

    expect(page.get_by_role("alert")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/login/"))
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login/"))


def test_styles_and_scripts_are_served(signed_in):
    """Tabler, htmx and Alpine come from kefu/static through the live server, not from a CDN."""
    signed_in.goto("/tickets/")
    loaded = signed_in.evaluate(
        """() => ({
            htmx: typeof window.htmx === "object",
            alpine: typeof window.Alpine === "object",
            tabler: [...document.styleSheets].some(
                (sheet) => (sheet.href || "").includes("tabler") && sheet.cssRules.length > 0
            ),
        })"""
    )
    assert loaded == {"htmx": True, "alpine": True, "tabler": True}


def test_the_sign_in_page_switches_language(page, live_server, lang, text):
    """Start in the other language and switch with the buttons under the form."""
    other = "en" if lang == "zh-hans" else "zh-hans"
    page.context.add_cookies([{"name": "django_language", "value": other, "url": live_server.url}])
    page.goto("/login/")
    expect(page.get_by_role("heading", level=1)).not_to_have_text(text.sign_in_title)

    page.get_by_role("button", name=LANGUAGE_NAMES[lang], exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(text.sign_in_title)
    expect(page.locator("html")).to_have_attribute("lang", lang)
