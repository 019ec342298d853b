"""The dictionary settings page and the report of searches without results."""

from __future__ import annotations

import pytest

from kefu.search.models import DictionaryEntry, SearchMiss
from kefu.search.services import search_miss_record

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def admin_client(client, admin_agent):
    client.force_login(admin_agent.user)
    return client


@pytest.fixture
def agent_client(client, agent):
    client.force_login(agent.user)
    return client


def test_an_administrator_adds_an_entry_from_the_page(admin_client):
    page = admin_client.get("/search/dictionary/")
    assert page.status_code == 200
    assert "Search dictionary" in page.content.decode()
    response = admin_client.post(
        "/search/dictionary/", {"terms": "Wi-Fi，wifi、无线网络", "note": "路由器"}, **HTMX
    )
    assert response.status_code == 200
    assert "The entry was added." in response.content.decode()
    entry = DictionaryEntry.objects.get()
    assert (entry.terms, entry.note) == (["Wi-Fi", "wifi", "无线网络"], "路由器")


def test_the_page_shows_every_mistake_on_the_form(admin_client):
    DictionaryEntry.objects.create(terms=["退款", "退钱"])
    response = admin_client.post("/search/dictionary/", {"terms": "退钱, 返现"})
    assert response.status_code == 200
    assert "“退钱” is already in another entry." in response.content.decode()
    response = admin_client.post("/search/dictionary/", {"terms": " , ，"})
    assert "Enter at least one word." in response.content.decode()
    assert DictionaryEntry.objects.count() == 1


def test_edit_delete_and_reindex(admin_client):
    entry = DictionaryEntry.objects.create(terms=["保修"])
    assert admin_client.get(f"/search/dictionary/{entry.pk}/").status_code == 200
    response = admin_client.post(f"/search/dictionary/{entry.pk}/", {"terms": "保修, warranty", "note": ""})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.terms == ["保修", "warranty"]
    assert admin_client.post("/search/dictionary/reindex/").status_code == 302
    assert admin_client.post(f"/search/dictionary/{entry.pk}/delete/").status_code == 302
    assert admin_client.get(f"/search/dictionary/{entry.pk}/").status_code == 404
    assert admin_client.get(f"/search/dictionary/{entry.pk}/delete/").status_code == 405


def test_agents_without_settings_rights_may_not_edit_the_dictionary(agent_client):
    assert agent_client.get("/search/dictionary/").status_code == 403
    assert agent_client.post("/search/dictionary/", {"terms": "退款"}).status_code == 403
    assert DictionaryEntry.objects.count() == 0


def test_the_report_lists_misses_and_only_administrators_clear_it(agent_client, client, admin_agent):
    search_miss_record(area="helpcenter", query="极光盒子 发热", language="zh-hans")
    search_miss_record(area="helpcenter", query="极光盒子 发热", language="zh-hans")
    page = agent_client.get("/search/misses/")
    assert page.status_code == 200
    assert [(m.query, m.count) for m in page.context["misses"]] == [("极光盒子 发热", 2)]
    assert agent_client.get("/search/misses/", {"area": "widget"}).context["misses"] == []
    assert agent_client.post("/search/misses/").status_code == 403
    client.force_login(admin_agent.user)
    assert client.post("/search/misses/").status_code == 302
    assert SearchMiss.objects.count() == 0


def test_the_console_search_logs_what_it_did_not_find(agent_client):
    agent_client.get("/search/", {"q": "冰箱漏水"})
    agent_client.get("/search/", {"q": "冰箱"}, **HTMX)
    assert list(SearchMiss.objects.values_list("area", "query", "count")) == [("console", "冰箱漏水", 1)]


def test_the_settings_navigation_links_both_pages(admin_client):
    html = admin_client.get("/search/misses/").content.decode()
    assert 'href="/search/dictionary/"' in html
    assert 'href="/search/misses/"' in html
