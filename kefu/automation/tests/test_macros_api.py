"""``/api/v1/macros`` and ``POST /api/v1/tickets/{id}/apply-macro``; ``/api/v1/canned-replies``."""

from __future__ import annotations

import pytest

from kefu.automation.models import CannedReply, Macro
from kefu.automation.tests.routing_factories import CannedReplyFactory, MacroFactory
from kefu.org.tests.factories import AgentFactory
from tests.helpers import error_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_api(api_client_for, admin_agent):
    return api_client_for(admin_agent)


def test_macro_crud_and_payload(admin_api, department):
    body = {
        "name": "退货已收到",
        "department_id": department.pk,
        "shared": True,
        "actions": [
            {"type": "reply", "body": "{{ contact.name }}您好"},
            {"type": "set_field", "field": "status", "value": "处理中"},
        ],
    }

    created = admin_api.post_json("/api/v1/macros", body)

    assert created.status_code == 201, created.content
    macro = Macro.objects.get()
    status_id = macro.actions[1]["value"]
    assert created.json() == {
        "id": macro.pk,
        "name": "退货已收到",
        "description": "",
        "department_id": department.pk,
        "shared": True,
        "owner_id": None,
        "actions": [
            {"type": "reply", "body": "{{ contact.name }}您好"},
            {"type": "set_field", "field": "status", "value": status_id},
        ],
        "usage_count": 0,
        "last_used_at": None,
    }
    assert admin_api.get("/api/v1/macros").json() == [created.json()]
    renamed = admin_api.put(
        f"/api/v1/macros/{macro.pk}", data={**body, "name": "已收到"}, content_type="application/json"
    )
    assert renamed.json()["name"] == "已收到"
    assert admin_api.delete(f"/api/v1/macros/{macro.pk}").status_code == 204
    assert not Macro.objects.exists()


def test_apply_macro_answers_the_ticket_and_counts_the_use(api, create_ticket):
    macro = MacroFactory(
        actions=[
            {"type": "set_field", "field": "priority", "value": "高"},
            {"type": "add_tags", "tags": ["VIP"]},
        ]
    )
    ticket = create_ticket()

    response = api.post_json(f"/api/v1/tickets/{ticket.pk}/apply-macro", {"macro_id": macro.pk})

    assert response.status_code == 200, response.content
    assert (response.json()["id"], response.json()["priority"], response.json()["tags"]) == (
        ticket.pk,
        "高",
        ["VIP"],
    )
    assert Macro.objects.get().usage_count == 1


def test_apply_macro_refusals(api, create_ticket, other_department, light_agent, api_client_for):
    ticket = create_ticket()
    theirs = MacroFactory(department=other_department)
    mine = MacroFactory(actions=[{"type": "set_field", "field": "priority", "value": "高"}])
    other_ticket = create_ticket(department_id=other_department.pk)

    assert (
        error_of(api.post_json(f"/api/v1/tickets/{ticket.pk}/apply-macro", {"macro_id": theirs.pk}), 404)[
            "message"
        ]
        == "No such macro."
    )
    assert (
        error_of(api.post_json(f"/api/v1/tickets/{other_ticket.pk}/apply-macro", {"macro_id": mine.pk}), 404)[
            "message"
        ]
        == "No such ticket."
    )
    assert error_of(api.post_json(f"/api/v1/tickets/{ticket.pk}/apply-macro", {}), 422)["fields"] == {
        "macro_id": "This field is required."
    }
    light = api_client_for(light_agent)
    assert (
        error_of(light.post_json(f"/api/v1/tickets/{ticket.pk}/apply-macro", {"macro_id": mine.pk}), 403)[
            "code"
        ]
        == "permission_denied"
    )
    assert Macro.objects.get(pk=mine.pk).usage_count == 0


def test_a_macro_for_another_department_does_not_fit_the_ticket(admin_api, create_ticket, other_department):
    macro = MacroFactory(department=other_department)
    ticket = create_ticket()

    error = error_of(
        admin_api.post_json(f"/api/v1/tickets/{ticket.pk}/apply-macro", {"macro_id": macro.pk}), 422
    )

    assert error["fields"] == {"macro_id": f"Macro {macro.pk} is for another department."}


def test_bad_macro_definitions_are_422_with_paths(admin_api, api):
    bad = admin_api.post_json(
        "/api/v1/macros", {"name": "x", "actions": [{"type": "comment", "body": "{{ agent.password }}"}]}
    )
    assert error_of(bad, 422)["fields"] == {"actions[0].body": "Unknown placeholder {{ agent.password }}."}
    assert set(error_of(admin_api.post_json("/api/v1/macros", {"name": "x"}), 422)["fields"]) == {"actions"}
    shared = api.post_json("/api/v1/macros", {"name": "x", "actions": [{"type": "add_tags", "tags": ["a"]}]})
    assert error_of(shared, 403)["code"] == "permission_denied"


def test_apply_to_a_selection(api, create_ticket):
    macro = MacroFactory(actions=[{"type": "add_tags", "tags": ["批量"]}])
    tickets = [create_ticket() for _ in range(3)]

    response = api.post_json(
        f"/api/v1/macros/{macro.pk}/apply", {"ticket_ids": [t.pk for t in tickets] + [999_999]}
    )

    assert response.json() == {"applied": [t.pk for t in tickets], "failed": {"999999": "No such ticket."}}


def test_canned_replies_search_create_use(api, admin_api, create_ticket, department):
    shared = admin_api.post_json(
        "/api/v1/canned-replies",
        {
            "title": "Refund",
            "body": "Hello {{ contact.name }}, the refund takes 3 days.",
            "language": "en",
            "shortcut": "#refund",
        },
    )
    assert shared.status_code == 201, shared.content
    reply = CannedReply.objects.get()
    assert shared.json() == {
        "id": reply.pk,
        "title": "Refund",
        "body": "Hello {{ contact.name }}, the refund takes 3 days.",
        "language": "en",
        "shortcut": "refund",
        "department_id": None,
        "shared": True,
        "owner_id": None,
        "usage_count": 0,
    }
    CannedReplyFactory(title="发票", language="zh-hans")
    CannedReplyFactory(title="别人的", owner=AgentFactory().user)

    assert [r["title"] for r in api.get("/api/v1/canned-replies", {"q": "ref"}).json()] == ["Refund"]
    assert [r["title"] for r in api.get("/api/v1/canned-replies", {"language": "zh-hans"}).json()] == ["发票"]
    ticket = create_ticket()
    used = api.post_json(f"/api/v1/canned-replies/{reply.pk}/use", {"ticket_id": ticket.pk})
    assert used.json() == {"body": "Hello 王芳, the refund takes 3 days.", "usage_count": 1}
    assert (
        error_of(api.post_json("/api/v1/canned-replies", {"title": "x", "body": "y"}), 403)["code"]
        == "permission_denied"
    )
    personal = api.post_json("/api/v1/canned-replies", {"title": "x", "body": "{{ nope }}", "shared": False})
    assert error_of(personal, 422)["fields"] == {"body": "Unknown placeholder {{ nope }}."}
    assert error_of(api.delete(f"/api/v1/canned-replies/{reply.pk}"), 403)["code"] == "permission_denied"
