"""Search as you type in the help center: suggestions from the first character typed.

A Chinese word is often one character long while it is being typed ("退" on the way to 退货 or 退款), so
one character must already suggest the titles with a word that starts with it — in the help center's
search box (HTMX and JSON) and in the widget's article search.
"""

from __future__ import annotations

import pytest
from django.test import Client

from kefu.core.actors import Actor, Source
from kefu.kb.inputs import ArticleInput
from kefu.kb.services import kb_article_create


@pytest.fixture
def library(admin_agent, section, django_capture_on_commit_callbacks):
    actor = Actor.agent(admin_agent.user)

    def write(title: str, body: str, **values):
        data = ArticleInput(
            section_id=section.pk, title=title, body=f"<p>{body}</p>", status="published", **values
        )
        with django_capture_on_commit_callbacks(execute=True):
            return kb_article_create(actor=actor, source=Source.WEB, data=data)

    return {
        "return": write("退货流程", "七天内可以申请退货。"),
        "refund": write("如何申请退款", "在订单页面申请退款。"),
        "refund_time": write("退款多久到账", "一般三个工作日。"),
        "password": write("如何重置密码", "在登录页面点击忘记密码。"),
        "agents": write("内部退款审批", "坐席审批。", visibility="agents"),
        "english": write("Returns and refunds", "Send the parcel back.", language="en"),
    }


def test_one_chinese_character_suggests_the_titles_with_words_starting_with_it(library):
    items = Client().get("/hc/acme/suggest/", {"q": "退"}).json()["items"]
    assert sorted(items) == sorted(["退货流程", "如何申请退款", "退款多久到账"])


def test_one_character_after_earlier_words_ranks_titles_matching_them_first(library):
    assert Client().get("/hc/acme/suggest/", {"q": "申请 退"}).json()["items"][0] == "如何申请退款"


def test_the_search_box_gets_the_suggestions_as_a_list(library):
    response = Client().get("/hc/acme/suggest/", {"q": "退"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    for title in ("如何申请退款", "退货流程", "退款多久到账"):
        assert title in html
    assert "重置密码" not in html
    assert "内部" not in html


def test_a_character_no_title_has_suggests_nothing_and_english_letters_still_work(library):
    assert Client().get("/hc/acme/suggest/", {"q": "猫"}).json()["items"] == []
    assert Client().get("/hc/acme/suggest/", {"q": "ref", "lang": "en"}).json()["items"] == [
        "Returns and refunds"
    ]


def test_the_widgets_search_box_suggests_from_one_character_and_each_suggestion_searches(library):
    panel = Client().get("/hc/acme/widget/search/").content.decode()
    assert 'hx-get="/hc/acme/widget/suggest/"' in panel
    response = Client().get("/hc/acme/widget/suggest/", {"q": "退"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == "frame-ancestors 'self'"
    html = response.content.decode()
    for title in ("如何申请退款", "退货流程", "退款多久到账"):
        assert title in html
    assert "内部" not in html
    assert 'hx-get="/hc/acme/widget/search/?q=%E9%80%80%E8%B4%A7%E6%B5%81%E7%A8%8B"' in html  # 退货流程

    results = Client().get("/hc/acme/widget/search/", {"q": "退货流程"}, headers={"HX-Request": "true"})
    assert f"/hc/acme/widget/articles/{library['return'].pk}/" in results.content.decode()


def test_the_widget_suggests_nothing_for_nothing_typed(library):
    assert "<li" not in Client().get("/hc/acme/widget/suggest/", {"q": "  "}).content.decode()
