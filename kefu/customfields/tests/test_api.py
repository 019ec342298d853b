"""``/api/v1/custom-fields``: pick-list values per department, and the ticket write path enforcing them."""

from __future__ import annotations

import pytest

from kefu.customfields.models import PicklistOption
from tests.helpers import error_of

pytestmark = pytest.mark.django_db


def url(field, suffix=""):
    return f"/api/v1/custom-fields/{field.pk}/options{suffix}"


def test_options_list_every_value_with_its_departments(api_client_for, agent, sub_category, books):
    response = api_client_for(agent).get(url(sub_category))
    assert response.status_code == 200
    first, second = response.json()[:2]
    novel = PicklistOption.objects.get(field=sub_category, value="小说")
    assert first["value"] == "其他"
    assert second == {
        "id": novel.pk, "value": "小说", "label": "小说", "label_en": "", "colour": "",
        "department_ids": [books.pk], "parent_values": [], "order": 1, "retired": False,
    }  # fmt: skip


def test_an_administrator_adds_changes_retires_and_reorders(api_client_for, admin_agent, sub_category, books):
    api = api_client_for(admin_agent)
    created = api.post_json(
        url(sub_category),
        {
            "value": "漫画",
            "label": "漫画",
            "label_en": "Comics",
            "colour": "#E03131",
            "department_ids": [books.pk],
        },
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["colour"], body["department_ids"], body["order"], body["retired"]) == (
        "#e03131",
        [books.pk],
        5,
        False,
    )
    changed = api.patch_json(url(sub_category, f"/{body['id']}"), {"retired": True, "colour": "#2f9e44"})
    assert changed.status_code == 200
    assert (changed.json()["retired"], changed.json()["colour"], changed.json()["label_en"]) == (
        True,
        "#2f9e44",
        "Comics",
    )
    ids = [option["id"] for option in api.get(url(sub_category)).json()]
    reordered = api.put(
        url(sub_category, "/order"), {"option_ids": ids[::-1]}, content_type="application/json"
    )
    assert [option["id"] for option in reordered.json()] == ids[::-1]
    assert [option["order"] for option in reordered.json()] == list(range(len(ids)))


def test_bad_values_are_422_naming_every_field(api_client_for, admin_agent, sub_category):
    api = api_client_for(admin_agent)
    error = error_of(
        api.post_json(url(sub_category), {"value": "新", "colour": "red", "department_ids": [999]}), 422
    )
    assert set(error["fields"]) == {"colour", "department_ids"}
    assert error_of(api.post_json(url(sub_category), {"value": "小说"}), 409)["fields"] == {
        "value": "Already in use."
    }
    novel = PicklistOption.objects.get(field=sub_category, value="小说")
    error = error_of(api.patch_json(url(sub_category, f"/{novel.pk}"), {"value": "长篇", "order": -3}), 422)
    assert set(error["fields"]) == {"value", "order"}
    assert error_of(
        api.put(url(sub_category, "/order"), {"option_ids": [novel.pk]}, content_type="application/json"), 422
    )["fields"] == {"option_ids": "List every value of the pick list once."}
    assert error_of(api.get("/api/v1/custom-fields/999999/options"), 404)["code"] == "not_found"


def test_permissions(api_client_for, agent, sub_category):
    assert error_of(api_client_for(None).get(url(sub_category)), 401)["code"] == "unauthenticated"
    denied = api_client_for(agent).post_json(url(sub_category), {"value": "新"})
    assert error_of(denied, 403)["code"] == "permission_denied"
    assert not PicklistOption.objects.filter(value="新").exists()


def test_fields_list_carries_the_options(api_client_for, agent, sub_category):
    fields = api_client_for(agent).get("/api/v1/custom-fields?module=ticket").json()
    assert [(field["key"], field["type"], len(field["options"])) for field in fields] == [
        ("sub_category", "picklist", 5)
    ]
    assert set(
        error_of(api_client_for(agent).get("/api/v1/custom-fields?module=invoice"), 422)["fields"]
    ) == {"module"}


def _ticket(department, value):
    return {
        "subject": "订单问题",
        "description": "请帮我看看",
        "department_id": department.pk,
        "contact": {"email": "wang.fang@example.cn"},
        "custom_fields": {"sub_category": value},
    }


def test_a_ticket_takes_only_its_departments_values(
    api_client_for, admin_agent, books_agent, electronics_agent, sub_category, books, electronics
):
    books_api = api_client_for(books_agent)
    created = books_api.post_json("/api/v1/tickets", _ticket(books, "小说"))
    assert created.status_code == 201, created.content
    assert created.json()["custom_fields"] == {"sub_category": "小说"}
    refused = api_client_for(electronics_agent).post_json("/api/v1/tickets", _ticket(electronics, "小说"))
    assert error_of(refused, 422)["fields"] == {
        "custom_fields.sub_category": "Choose one of: 其他, 手机, 耳机."
    }
    # Moving to electronics with a books value is refused naming the field; with a new value it moves.
    ticket_url = f"/api/v1/tickets/{created.json()['id']}"
    admin_api = api_client_for(admin_agent)
    moved = admin_api.patch_json(ticket_url, {"department_id": electronics.pk})
    assert error_of(moved, 422)["fields"] == {"custom_fields.sub_category": "Not offered here: 小说."}
    moved = admin_api.patch_json(
        ticket_url, {"department_id": electronics.pk, "custom_fields": {"sub_category": "手机"}}
    )
    assert moved.status_code == 200, moved.content
    assert moved.json()["custom_fields"] == {"sub_category": "手机"}


def test_a_retired_value_stays_on_the_ticket(api_client_for, admin_agent, books_agent, sub_category, books):
    api = api_client_for(books_agent)
    ticket = api.post_json("/api/v1/tickets", _ticket(books, "小说")).json()
    novel = PicklistOption.objects.get(field=sub_category, value="小说")
    api_client_for(admin_agent).patch_json(url(sub_category, f"/{novel.pk}"), {"retired": True})
    again = api.patch_json(
        f"/api/v1/tickets/{ticket['id']}",
        {"subject": "订单问题（续）", "custom_fields": {"sub_category": "小说"}},
    )
    assert again.status_code == 200, again.content
    assert again.json()["custom_fields"] == {"sub_category": "小说"}
    other = api.post_json("/api/v1/tickets", _ticket(books, "小说"))
    assert set(error_of(other, 422)["fields"]) == {"custom_fields.sub_category"}


def test_tickets_filter_by_a_pick_list_value(api_client_for, admin_agent, books_agent, sub_category, books):
    api = api_client_for(books_agent)
    novel = api.post_json("/api/v1/tickets", _ticket(books, "小说")).json()
    api.post_json("/api/v1/tickets", _ticket(books, "教辅"))
    found = api.get("/api/v1/tickets", {"custom_field": "sub_category:小说"}).json()["items"]
    assert [ticket["id"] for ticket in found] == [novel["id"]]
    error = error_of(api.get("/api/v1/tickets", {"custom_field": "nope:1"}), 422)
    assert error["fields"] == {"custom_field": "Use key:value with the key of a pick list."}


def test_a_multi_select_filter_matches_one_of_its_values(api_client_for, admin_agent, books_agent, books):
    from kefu.core.actors import Actor, Source
    from kefu.customfields.services import custom_field_create

    custom_field_create(
        actor=Actor.agent(admin_agent.user), source=Source.API, module="ticket", key="formats",
        field_type="multi_select", name="版本", choices=["平装", "精装", "电子书"],
    )  # fmt: skip
    api = api_client_for(books_agent)
    body = {**_ticket(books, None), "custom_fields": {"formats": ["精装", "电子书"]}}
    both = api.post_json("/api/v1/tickets", body).json()
    api.post_json("/api/v1/tickets", {**body, "custom_fields": {"formats": ["平装"]}})
    found = api.get("/api/v1/tickets", {"custom_field": "formats:电子书"}).json()["items"]
    assert [ticket["id"] for ticket in found] == [both["id"]]
