"""Ranking, synonyms, typos, tags, sort=relevance in the tickets API, and what never leaks."""

from __future__ import annotations

import pytest

from kefu.core.actors import Actor, Source
from kefu.search.analysis import analyse, query_terms
from kefu.search.documents import Document
from kefu.search.query import edit_distance
from kefu.search.selectors import documents_search, rank_tickets
from kefu.search.services import dictionary_entry_create, dictionary_entry_delete, documents_index
from kefu.tickets.models import Ticket

pytestmark = pytest.mark.django_db
TICKETS_URL = "/api/v1/tickets"


def doc(pk: int, title: str, body: str = "", **scope) -> Document:
    return Document(kind="article", object_id=pk, language="zh-hans", title=title, body=body, scope=scope)


def found(query: str, **filters) -> list[int]:
    return [hit.object_id for hit in documents_search("article", query, filters=filters or None)]


def test_any_word_may_match_and_more_matching_words_rank_higher():
    documents_index([doc(1, "路由器重启"), doc(2, "路由器指示灯不亮"), doc(3, "打印机驱动")])
    assert found("路由器 指示灯") == [2, 1]
    assert found("打印机 指示灯") in ([2, 3], [3, 2])


def test_the_newer_of_two_equal_documents_comes_first():
    documents_index([doc(1, "发票"), doc(2, "发票")])
    assert found("发票") == [2, 1]


def test_synonyms_meet_and_stop_meeting_when_the_entry_goes():
    documents_index([doc(1, "无线网络经常断开"), doc(2, "Wi-Fi 密码修改")])
    assert found("wifi") == [2]
    entry = dictionary_entry_create(actor=Actor.system(), source=Source.WEB, terms=["Wi-Fi", "无线网络"])
    assert sorted(found("wifi")) == [1, 2]
    assert sorted(found("无线网络")) == [1, 2]
    dictionary_entry_delete(actor=Actor.system(), source=Source.WEB, entry=entry)
    assert found("wifi") == [2]


def test_a_product_term_is_kept_whole_by_jieba():
    dictionary_entry_create(actor=Actor.system(), source=Source.WEB, terms=["极光盒子"])
    documents_index([doc(1, "极光盒子无法开机"), doc(2, "盒子破损")])
    assert "极光盒子" in analyse("极光盒子无法开机").words.split()
    assert query_terms("极光盒子").words == ("极光盒子",)
    assert found("极光盒子") == [1, 2], "the bigram 盒子 still finds the other, below"


def test_english_typos_find_the_word_the_index_knows():
    documents_index([doc(1, "Printer offline"), doc(2, "Refund policy"), doc(3, "Warranty terms")])
    assert found("pritner") == [1]
    assert found("refnud") == [2]
    assert found("warrenty") == [3]
    assert found("xylophone") == []
    assert edit_distance("printer", "pritner", 2) == 1
    assert edit_distance("abc", "xyz", 1) == 2


def test_full_width_and_case_fold():
    documents_index([doc(1, "ＵＳＢ－Ｃ 充电线"), doc(2, "iPhone 15 保修")])
    assert found("usb-c") == [1]
    assert found("IPHONE15") == [2]
    assert found("iphone 15 保修") == [2]


@pytest.fixture
def tickets(create_ticket, django_capture_on_commit_callbacks, other_department):
    with django_capture_on_commit_callbacks(execute=True):
        return {
            "router": create_ticket(subject="路由器每晚断线", tags=["网络故障"]),
            "tagged": create_ticket(subject="家里上不了网", tags=["路由器"]),
            "body": create_ticket(subject="咨询", description="路由器的保修期多久"),
            "secret": create_ticket(subject="路由器采购合同", department_id=other_department.pk),
        }


def test_tickets_rank_subject_above_tags_above_body_and_tags_are_searched(tickets):
    ranked = [t.pk for t in rank_tickets(Ticket.objects.all(), "路由器", limit=10)]
    assert ranked[-1] == tickets["body"].pk
    assert set(ranked) == {t.pk for t in tickets.values()}
    assert [t.pk for t in rank_tickets(Ticket.objects.all(), "网络故障", limit=10)] == [tickets["router"].pk]


def test_ranked_tickets_stay_within_what_the_user_may_see(tickets, agent, other_agent):
    from kefu.tickets.selectors import visible_tickets

    mine = {t.pk for t in rank_tickets(visible_tickets(agent.user), "路由器 采购", limit=10)}
    theirs = {t.pk for t in rank_tickets(visible_tickets(other_agent.user), "路由器 采购", limit=10)}
    assert tickets["secret"].pk not in mine
    assert theirs == {tickets["secret"].pk}


def test_the_api_ranks_by_relevance_when_q_is_given(api, tickets):
    response = api.get(TICKETS_URL, {"q": "路由器 断线"})
    assert response.status_code == 200
    ids = [item["id"] for item in response.json()["items"]]
    assert ids[0] == tickets["router"].pk
    assert tickets["secret"].pk not in ids
    by_date = [
        item["id"] for item in api.get(TICKETS_URL, {"q": "路由器", "sort": "-created_at"}).json()["items"]
    ]
    assert by_date == [tickets["body"].pk, tickets["tagged"].pk, tickets["router"].pk]
    no_query = api.get(TICKETS_URL, {"sort": "relevance"}).json()["items"]
    assert [item["id"] for item in no_query] == by_date


def test_relevance_pages_follow_the_cursor(api, tickets):
    first = api.get(TICKETS_URL, {"q": "路由器", "limit": 2}).json()
    assert len(first["items"]) == 2
    second = api.get(TICKETS_URL, {"q": "路由器", "limit": 2, "cursor": first["next_cursor"]}).json()
    assert second["next_cursor"] is None
    seen = [item["id"] for item in first["items"] + second["items"]]
    assert sorted(seen) == sorted([tickets["router"].pk, tickets["tagged"].pk, tickets["body"].pk])


@pytest.mark.parametrize("cursor", ["garbage", "WyJyZWxldmFuY2UiLC0xXQ", "WyItY3JlYXRlZF9hdCIsMSwxXQ"])
def test_a_bad_relevance_cursor_is_a_400_naming_it(api, tickets, cursor):
    response = api.get(TICKETS_URL, {"q": "路由器", "cursor": cursor})
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"cursor": "Not a valid cursor."}


@pytest.mark.parametrize("q", ['"', "*", "^", "NEAR(a b)", "a AND", "{title}:x", "'", "x" * 500, "！？"])
def test_hostile_queries_never_fail(api, tickets, q):
    assert api.get(TICKETS_URL, {"q": q}).status_code == 200
    assert documents_search("article", q) == []


def test_private_documents_never_reach_a_filtered_search():
    documents_index([
        doc(1, "退款流程", visibility="public", brand=1),
        doc(2, "退款审批（内部）", visibility="agents", brand=1),
        doc(3, "退款说明", visibility="customers", brand=1),
        doc(4, "退款政策", visibility="public", brand=2),
    ])  # fmt: skip
    assert found("退款", visibility=["public"], brand=[1]) == [1]
    assert sorted(found("退款", visibility=["public", "customers"], brand=[1])) == [1, 3]
    assert sorted(found("退款 审批 内部", visibility=["public", "customers"])) == [1, 3, 4]
    suggestions = __import__("kefu.search.selectors", fromlist=["x"]).documents_suggest(
        "article", "退款", filters={"visibility": ["public"]}
    )
    assert sorted(suggestions) == ["退款政策", "退款流程"]
