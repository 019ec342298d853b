"""The generic documents index: upsert, remove, ranking, highlighting, scope filters, suggestions."""

from __future__ import annotations

import pytest

from kefu.search.documents import Document, Hit
from kefu.search.models import SearchDocument
from kefu.search.selectors import documents_search, documents_suggest
from kefu.search.services import documents_index, documents_reindex_all, documents_remove

pytestmark = pytest.mark.django_db


def article(pk: int, title: str, body: str = "", **extra) -> Document:
    return Document(kind="article", object_id=pk, language=extra.pop("language", "zh-hans"), title=title,
                    body=body, **extra)  # fmt: skip


@pytest.fixture
def library():
    public = {"visibility": "public"}
    documents_index(
        [
            article(1, "打印机无法连接网络", "请检查打印机的 Wi-Fi 设置，然后重启路由器。", scope=public),
            article(2, "如何申请退款", "重复扣款时，可在订单页面申请退款。", scope=public),
            article(3, "内部：退款审批流程", "坐席审批退款前先核对订单。", scope={"visibility": "agents"}),
            article(4, "Printer offline after update", "Reconnect the printer to Wi-Fi.", language="en",
                    tags=("hardware",), scope={"visibility": "public", "brand": 7}),
            Document(kind="post", object_id=1, language="zh-hans", title="退款太慢了", body="社区帖子"),
        ]
    )  # fmt: skip


def ids(hits: list[Hit]) -> list[int]:
    return [hit.object_id for hit in hits]


def test_documents_are_found_by_words_of_their_title_and_body(library):
    assert ids(documents_search("article", "打印机")) == [1]
    assert ids(documents_search("article", "退款", filters={"visibility": ["public"]})) == [2]
    assert ids(documents_search("article", "wifi")) == [4, 1]
    assert ids(documents_search("post", "退款")) == [1]


def test_a_title_match_outranks_a_body_match(library):
    documents_index([article(5, "路由器指示灯说明", "打印机也可能受影响")])
    assert ids(documents_search("article", "路由器")) == [5, 1]


def test_filters_keep_documents_out_of_scope(library):
    assert sorted(ids(documents_search("article", "退款", filters={"visibility": ["public", "agents"]}))) == [
        2,
        3,
    ]
    assert ids(documents_search("article", "退款", filters={"visibility": ["public"]})) == [2]
    assert ids(documents_search("article", "printer", filters={"brand": [7]})) == [4]
    assert ids(documents_search("article", "printer", filters={"brand": ["7"]})) == [4]
    assert ids(documents_search("article", "printer", filters={"brand": [8]})) == []
    assert ids(documents_search("article", "打印机", filters={"brand": [7]})) == []
    assert ids(documents_search("article", "退款", filters={"visibility": []})) == []
    with pytest.raises(ValueError, match="Not a scope key"):
        documents_search("article", "退款", filters={"a') OR 1=1 --": ["x"]})


def test_hits_carry_escaped_highlighted_title_and_snippet(library):
    documents_index([article(6, "<b>退款</b> & 发票", "发票<script>alert(1)</script>随退款一起寄出。")])
    [hit] = documents_search("article", "发票")
    assert hit.object_id == 6
    assert hit.title_html == "&lt;b&gt;退款&lt;/b&gt; &amp; <mark>发票</mark>"
    assert hit.snippet_html == "<mark>发票</mark>&lt;script&gt;alert(1)&lt;/script&gt;随退款一起寄出。"
    assert hit.score > 0


def test_a_long_body_is_cut_around_the_match(library):
    body = "无关内容。" * 100 + "序列号在机身背面的标签上。" + "其他说明。" * 100
    documents_index([article(7, "产品标签", body)])
    [hit] = documents_search("article", "序列号")
    assert "<mark>序列号</mark>在机身背面的标签上" in hit.snippet_html
    assert hit.snippet_html.startswith("…")
    assert hit.snippet_html.endswith("…")
    assert len(hit.snippet_html.replace("<mark>", "").replace("</mark>", "")) == 162


def test_indexing_again_replaces_the_document_and_removing_takes_it_out(library):
    documents_index([article(1, "扫描仪驱动下载", "驱动程序")])
    assert ids(documents_search("article", "打印机")) == []
    assert ids(documents_search("article", "扫描仪")) == [1]
    documents_remove("article", [1, 2, 999])
    assert ids(documents_search("article", "扫描仪")) == []
    assert ids(documents_search("article", "退款")) == [3]
    assert SearchDocument.objects.filter(kind="article").count() == 2
    assert ids(documents_search("post", "退款")) == [1], "another kind with the same id stays"


def test_reindexing_keeps_every_document_findable(library):
    assert documents_reindex_all(batch_size=2) == 5
    assert sorted(ids(documents_search("article", "退款"))) == [2, 3]


@pytest.mark.parametrize(
    "query",
    ["", "   ", "！？。，", '"', "*", "^", "()", "NEAR(", "a:b", "\x00", "{title}: x", "'; DROP TABLE x; --"],
)
def test_queries_without_words_or_with_syntax_characters_are_safe(library, query):
    assert documents_search("article", query) == []
    assert documents_suggest("article", query) == []


def test_a_huge_query_is_cut_and_answered(library):
    assert ids(documents_search("article", "打印机 " * 10_000)) == [1]
    assert ids(documents_search("article", "printer OR NEAR(x y) * ^title")) == [4]


def test_suggestions_complete_the_last_word_typed(library):
    documents_index([article(8, "打印纸尺寸", "A4"), article(9, "Printing double-sided", "", language="en")])
    assert sorted(documents_suggest("article", "打印")) == ["打印机无法连接网络", "打印纸尺寸"]
    assert sorted(documents_suggest("article", "print")) == [
        "Printer offline after update",
        "Printing double-sided",
    ]
    assert documents_suggest("article", "offline print") == [
        "Printer offline after update",
        "Printing double-sided",
    ]
    assert documents_suggest("article", "print", filters={"brand": [7]}) == ["Printer offline after update"]
    assert documents_suggest("article", "offline print", limit=1) == ["Printer offline after update"]
    assert documents_suggest("article", "zzz") == []
