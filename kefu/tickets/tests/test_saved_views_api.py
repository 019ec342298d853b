"""``/api/v1/saved-views``: views as criteria, validated with paths; the tickets a view lists."""

from __future__ import annotations

import pytest

from kefu.core.models import AuditEntry
from kefu.tickets.models import Priority, SavedView

pytestmark = pytest.mark.django_db

URL = "/api/v1/saved-views"


def _view(**values):
    return {"name": "紧急", "criteria": {"all": [{"field": "priority", "op": "is", "value": "高"}]}, **values}


def test_create_read_list_change_and_delete(api, agent):
    high = Priority.objects.get(name="高")
    created = api.post_json(URL, _view(base="open", columns=["subject", "number"], sort="-number"))
    assert created.status_code == 201
    body = created.json()
    view = SavedView.objects.get()
    assert body == {
        "id": view.pk,
        "name": "紧急",
        "criteria": {"all": [{"field": "priority", "op": "is", "value": high.pk}]},
        "base": "open",
        "due": "",
        "columns": ["number", "subject"],
        "sort": "-number",
        "is_shared": False,
        "owner_id": agent.user.pk,
        "created_at": body["created_at"],
    }
    assert api.get(f"{URL}/{view.pk}").json() == body
    assert api.get(URL).json() == {"items": [body], "next_cursor": None}

    nested = {
        "any": [
            {"field": "assignee_id", "op": "is", "value": "me"},
            {"all": [{"field": "tags", "op": "contains", "value": "VIP"}]},
        ]
    }
    changed = api.patch_json(f"{URL}/{view.pk}", {"criteria": nested, "due": "overdue"})
    assert changed.status_code == 200
    assert (changed.json()["criteria"], changed.json()["due"], changed.json()["name"]) == (
        nested,
        "overdue",
        "紧急",
    )
    assert AuditEntry.objects.filter(action="saved_view.updated", object_id=view.pk).count() == 1

    assert api.delete(f"{URL}/{view.pk}").status_code == 204
    assert SavedView.objects.count() == 0


@pytest.mark.parametrize(
    ("payload", "fields"),
    [
        (
            _view(criteria={"all": [{"field": "priority", "op": "is", "value": "最高"}]}),
            {"criteria.all[0].value": "Unknown value 最高."},
        ),
        (
            _view(
                criteria={
                    "all": [
                        {"field": "priority", "op": "is", "value": "高"},
                        {"any": [{"field": "nope", "op": "is", "value": 1}]},
                    ]
                }
            ),
            {"criteria.all[1].any[0].field": "Unknown field."},
        ),
        (
            _view(criteria={"all": [{"field": "subject", "op": "changed_to", "value": "x"}]}),
            {
                "criteria.all[0].op": "Choose one of: is, is_not, contains, not_contains, starts_with, "
                "in, not_in, is_empty, is_not_empty."
            },
        ),
        (
            _view(name=" ", base="all", sort="subject"),
            {
                "name": "Give the view a name.",
                "base": "Choose one of: mine, unassigned, overdue, due_today, open, closed, following, spam.",
                "sort": "Choose one of: -created_at, created_at, -updated_at, updated_at, -number, number.",
            },
        ),
    ],
)
def test_bad_views_are_422_naming_each_bad_part_and_nothing_is_saved(api, payload, fields):
    response = api.post_json(URL, payload)
    assert response.status_code == 422
    assert response.json()["error"]["fields"] == fields
    assert SavedView.objects.count() == 0


def test_errors_are_in_the_clients_language(api):
    response = api.post_json(
        URL,
        _view(criteria={"all": [{"field": "created_at", "op": "on_or_after", "value": "明天"}]}),
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 422
    message = response.json()["error"]["fields"]["criteria.all[0].value"]
    assert message != "Enter a date (YYYY-MM-DD) or a date and time."
    assert "YYYY-MM-DD" in message


def test_the_views_tickets_are_what_the_console_lists(api, agent, create_ticket):
    mine_high = create_ticket(subject="手机发热", priority="高", assignee_id=agent.user.pk)
    create_ticket(subject="别人的", priority="高")
    create_ticket(subject="低优先级", priority="低", assignee_id=agent.user.pk)
    view = api.post_json(
        URL,
        _view(
            criteria={
                "all": [
                    {"field": "priority", "op": "is", "value": "高"},
                    {"field": "assignee_id", "op": "is", "value": "me"},
                ]
            }
        ),
    ).json()
    listed = api.get(f"{URL}/{view['id']}/tickets")
    assert listed.status_code == 200
    assert [item["id"] for item in listed.json()["items"]] == [mine_high.pk]


def test_rights_anonymous_other_agents_and_shared_views(api_client_for, agent, other_agent, admin_agent):
    assert api_client_for(None).get(URL).status_code == 401
    own = api_client_for(agent).post_json(URL, _view()).json()
    other = api_client_for(other_agent)
    assert other.get(f"{URL}/{own['id']}").status_code == 404
    assert other.get(f"{URL}/{own['id']}/tickets").status_code == 404
    assert other.delete(f"{URL}/{own['id']}").status_code == 404
    assert other.post_json(URL, _view(is_shared=True)).json()["error"]["fields"] == {
        "is_shared": "Only administrators can share views with every agent."
    }
    shared = api_client_for(admin_agent).post_json(URL, _view(name="全员", is_shared=True)).json()
    assert [item["name"] for item in other.get(URL).json()["items"]] == ["全员"]
    assert other.patch_json(f"{URL}/{shared['id']}", {"name": "改"}).status_code == 403
    assert SavedView.objects.get(pk=shared["id"]).name == "全员"
