"""The search API: dictionary entries, the no-result log, reindexing; permissions and bad input."""

from __future__ import annotations

import pytest

from kefu.core.audit import AuditEntry
from kefu.search.models import DictionaryEntry, SearchMiss
from kefu.search.services import search_miss_record

URL = "/api/v1/search"
pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_api(api_client_for, admin_agent):
    return api_client_for(admin_agent)


def test_an_administrator_adds_changes_and_deletes_synonyms(admin_api):
    created = admin_api.post_json(
        f"{URL}/synonyms", {"terms": ["Wi-Fi", " wifi ", "WIFI", "无线网络"], "note": "路由器"}
    )
    assert created.status_code == 201
    body = created.json()
    assert (body["terms"], body["note"]) == (["Wi-Fi", "wifi", "无线网络"], "路由器")
    entry_id = body["id"]
    assert admin_api.get(f"{URL}/synonyms").json()["items"][0]["terms"] == ["Wi-Fi", "wifi", "无线网络"]
    changed = admin_api.put(
        f"{URL}/synonyms/{entry_id}", {"terms": ["Wi-Fi", "无线网"]}, content_type="application/json"
    )
    assert changed.status_code == 200
    assert changed.json()["terms"] == ["Wi-Fi", "无线网"]
    assert admin_api.delete(f"{URL}/synonyms/{entry_id}").status_code == 204
    assert DictionaryEntry.objects.count() == 0
    actions = list(AuditEntry.objects.filter(action__startswith="search.").values_list("action", flat=True))
    assert sorted(actions) == [
        "search.dictionary_entry_created",
        "search.dictionary_entry_deleted",
        "search.dictionary_entry_updated",
    ]


@pytest.mark.parametrize(
    ("payload", "fields"),
    [
        ({}, {"terms"}),
        ({"terms": []}, {"terms"}),
        ({"terms": ["!!!"]}, {"terms"}),
        ({"terms": ["x" * 51]}, {"terms.0"}),
        ({"terms": ["a"] * 21}, {"terms"}),
        ({"terms": "wifi"}, {"terms"}),
        ({"terms": ["wifi"], "sla": "gold"}, {"sla"}),
    ],
)
def test_bad_entries_are_refused_naming_the_field(admin_api, payload, fields):
    response = admin_api.post_json(f"{URL}/synonyms", payload)
    assert response.status_code in (400, 422)
    assert set(response.json()["error"]["fields"]) == fields
    assert DictionaryEntry.objects.count() == 0


def test_a_spelling_belongs_to_one_entry(admin_api):
    assert admin_api.post_json(f"{URL}/synonyms", {"terms": ["退款", "退钱"]}).status_code == 201
    response = admin_api.post_json(f"{URL}/synonyms", {"terms": ["退钱", "返钱"]})
    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {"terms": "“退钱” is already in another entry."}


def test_agents_read_but_only_administrators_write(api, admin_api, api_client_for):
    entry = admin_api.post_json(f"{URL}/synonyms", {"terms": ["保修", "warranty"]}).json()
    assert api.get(f"{URL}/synonyms").status_code == 200
    assert api.post_json(f"{URL}/synonyms", {"terms": ["发票", "invoice"]}).status_code == 403
    assert api.delete(f"{URL}/synonyms/{entry['id']}").status_code == 403
    assert api.post_json(f"{URL}/reindex", {}).status_code == 403
    assert api.delete(f"{URL}/misses").status_code == 403
    assert api_client_for(None).get(f"{URL}/synonyms").status_code == 401
    assert admin_api.delete(f"{URL}/synonyms/999999").status_code == 404
    assert DictionaryEntry.objects.count() == 1


def test_misses_are_counted_per_spelling_and_listed_most_frequent_first(api, admin_api):
    for query in ["路由器 重置", "路由器  重置", "ＲＯＵＴＥＲ reset", "router reset", "!!!", ""]:
        search_miss_record(area="helpcenter", query=query, language="zh-hans")
    search_miss_record(area="widget", query="router reset", language="en")
    response = api.get(f"{URL}/misses")
    assert response.status_code == 200
    rows = [(m["area"], m["query"], m["language"], m["count"]) for m in response.json()["items"]]
    # Equal counts: the one seen last first.
    assert rows == [
        ("helpcenter", "router reset", "zh-hans", 2),
        ("helpcenter", "路由器 重置", "zh-hans", 2),
        ("widget", "router reset", "en", 1),
    ]
    assert [m["query"] for m in api.get(f"{URL}/misses", {"area": "widget"}).json()["items"]] == [
        "router reset"
    ]
    assert api.get(f"{URL}/misses", {"limit": 0}).status_code == 422
    assert admin_api.delete(f"{URL}/misses").status_code == 204
    assert SearchMiss.objects.count() == 0


def test_reindex_is_queued_for_administrators(admin_api, create_ticket, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        create_ticket(subject="路由器重置")
    response = admin_api.post_json(f"{URL}/reindex", {})
    assert response.status_code == 202
    assert response.json() == {"queued": True}
