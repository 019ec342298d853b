"""What a new user's day found in the console, each fixed and checked in a browser, in both languages:
@mentions after any character without covering the attachments, a quick search that floats."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def overlaps(a: dict, b: dict) -> bool:
    return not (
        a["x"] + a["width"] <= b["x"]
        or b["x"] + b["width"] <= a["x"]
        or a["y"] + a["height"] <= b["y"]
        or b["y"] + b["height"] <= a["y"]
    )


def test_a_mention_right_after_a_chinese_character_suggests_without_covering_the_attachments(
    signed_in: Page, desk, text
):
    page = signed_in
    page.goto(f"/tickets/{desk.tickets[0].pk}/")
    page.get_by_role("tab", name=text.comment_tab, exact=True).click()
    page.get_by_role("textbox", name=text.internal_comment, exact=True).click()
    page.keyboard.type("请@李")  # no space before the @
    suggestions = page.get_by_role("listbox", name=text.agents_to_mention)
    expect(suggestions.get_by_role("option")).to_have_count(1)
    label = page.locator("#comment-form label[for=comment-files]")
    assert not overlaps(suggestions.bounding_box(), label.bounding_box())
    suggestions.get_by_role("option", name=re.compile("^李娜")).click()
    expect(page.locator("#comment-mentions input[name=mention_ids]")).to_have_count(1)


def test_the_quick_search_floats_over_the_page_without_moving_the_navbar(signed_in: Page, desk, text):
    page = signed_in
    page.goto("/tickets/")
    navbar = page.get_by_test_id("navbar")
    heading = page.locator("main h1, main h2").first
    before = (navbar.bounding_box()["height"], heading.bounding_box()["y"])
    page.locator("#global-search").fill("打印机")
    expect(page.get_by_test_id("search-quick")).to_be_visible()
    after = (navbar.bounding_box()["height"], heading.bounding_box()["y"])
    assert after == before


def test_the_rich_text_toolbar_speaks_the_console_language(signed_in: Page, desk, text, lang):
    page = signed_in
    page.goto(f"/tickets/{desk.tickets[0].pk}/")
    bold = page.locator("trix-toolbar [data-trix-attribute=bold]").first
    expect(bold).to_have_attribute("title", "粗体" if lang == "zh-hans" else "Bold")
    expect(page.locator("trix-toolbar [data-trix-action=undo]").first).to_have_attribute(
        "title", "撤销" if lang == "zh-hans" else "Undo"
    )
