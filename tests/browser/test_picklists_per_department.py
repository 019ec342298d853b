"""Seed 003 in the browser: one "sub-category" pick list with one set of values for the books department
and another for electronics, depending on the category. An agent of books creating a ticket is offered
the books values (those of the category chosen), an agent of electronics only the electronics values."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from kefu.core.actors import Actor, Source
from kefu.customfields.services import custom_field_create, option_create
from kefu.org.tests.factories import AgentFactory, DepartmentFactory
from kefu.tickets.models import Ticket
from tests.browser.helpers import sign_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

WORDS = {
    "zh-hans": {
        "category": "类别",
        "sub_category": "子类别",
        "create": "创建工单",
        "books": ["—", "其他", "小说", "教辅", "有声书"],
        "print_books": ["—", "其他", "小说", "教辅"],
        "ebooks": ["—", "其他", "有声书"],
        "electronics": ["—", "其他", "手机", "耳机"],
    },
    "en": {
        "category": "Category",
        "sub_category": "Sub-category",
        "create": "Create ticket",
        "books": ["—", "其他", "Novels", "Study guides", "Audiobooks"],
        "print_books": ["—", "其他", "Novels", "Study guides"],
        "ebooks": ["—", "其他", "Audiobooks"],
        "electronics": ["—", "其他", "Phones", "Headphones"],
    },
}


def _options(select) -> list[str]:
    """Every option the page holds: those the department offers (the category then hides some)."""
    return [text.strip() for text in select.locator("option").all_inner_texts()]


def test_each_department_is_offered_its_own_sub_categories(context, page, live_server, desk, lang):
    words = WORDS[lang]
    books = DepartmentFactory(code="books", name="图书", name_en="Books")
    electronics = DepartmentFactory(code="electronics", name="电子产品", name_en="Electronics")
    books_agent = AgentFactory(user__email="li.lei@kefu.test", language=lang, departments=[books])
    electronics_agent = AgentFactory(
        user__email="chen.gang@kefu.test", language=lang, departments=[electronics]
    )
    admin = Actor.agent(desk.admin.user)
    category = custom_field_create(
        actor=admin, source=Source.WEB, module="ticket", key="category_kind", field_type="picklist",
        name="类别", name_en="Category", department_ids=[books.pk], order=1, choices=["纸质书", "电子书"],
    )  # fmt: skip
    sub = custom_field_create(
        actor=admin, source=Source.WEB, module="ticket", key="sub_category", field_type="picklist",
        name="子类别", name_en="Sub-category", parent_id=category.pk, order=2, choices=["其他"],
    )  # fmt: skip
    for value, english, department, parents in (
        ("小说", "Novels", books, ["纸质书"]),
        ("教辅", "Study guides", books, ["纸质书"]),
        ("有声书", "Audiobooks", books, ["电子书"]),
        ("手机", "Phones", electronics, []),
        ("耳机", "Headphones", electronics, []),
    ):
        option_create(
            actor=admin, source=Source.WEB, field_id=sub.pk, value=value, label_en=english,
            department_ids=[department.pk], parent_values=parents,
        )  # fmt: skip

    # The books agent: the books values (and "other", offered everywhere), narrowed by the category.
    sign_in_as(context, live_server.url, books_agent.user)
    page.goto(f"/tickets/new/?department={books.pk}")
    sub_select = page.get_by_label(words["sub_category"], exact=True)
    expect(sub_select).to_be_visible()
    assert _options(sub_select) == words["books"]
    # No category yet: only the value offered under every category.
    expect(sub_select.locator("option:not([hidden])")).to_have_text(["—", "其他"])
    page.get_by_label(words["category"], exact=True).select_option("电子书")
    expect(sub_select.locator("option:not([hidden])")).to_have_text(words["ebooks"])
    page.get_by_label(words["category"], exact=True).select_option("纸质书")
    expect(sub_select.locator("option:not([hidden])")).to_have_text(words["print_books"])
    sub_select.select_option("小说")
    page.locator("#contact-email").fill("wang.fang@example.cn")
    page.locator("#ticket-subject").fill("书页装订错误")
    page.locator("trix-editor").fill("第 35 页之后顺序颠倒。")
    page.get_by_role("button", name=words["create"]).click()
    expect(page.get_by_test_id("ticket-number")).to_be_visible()
    ticket = Ticket.objects.get(subject="书页装订错误")
    assert ticket.department_id == books.pk
    assert ticket.custom_fields == {"category_kind": "纸质书", "sub_category": "小说"}

    # The electronics agent: only the electronics values, and no books category at all.
    context.clear_cookies()
    sign_in_as(context, live_server.url, electronics_agent.user)
    page.goto(f"/tickets/new/?department={electronics.pk}")
    sub_select = page.get_by_label(words["sub_category"], exact=True)
    expect(sub_select).to_be_visible()
    assert _options(sub_select) == words["electronics"]
    expect(sub_select.locator("option:not([hidden])")).to_have_text(words["electronics"])
    expect(page.get_by_label(words["category"], exact=True)).to_have_count(0)
