"""``/api/v1/sla-policies``: the contract's payloads, 422 naming every bad part, who may, and tickets
carrying their SLA state."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.serializers.json import DjangoJSONEncoder

from kefu.core.models import AuditEntry
from kefu.sla.models import SlaPolicy
from kefu.sla.tests.policy_factories import office_calendar, policy_with
from kefu.tickets.models import Priority

pytestmark = pytest.mark.django_db

URL = "/api/v1/sla-policies"
SHANGHAI = ZoneInfo("Asia/Shanghai")


def iso(value: dt.datetime) -> str:
    """A datetime as the API renders it."""
    return DjangoJSONEncoder().default(value)


@pytest.fixture
def admin_api(api_client_for, admin_agent):
    return api_client_for(admin_agent)


@pytest.fixture
def high():
    return Priority.objects.get(name="高")


def body(department, high, **overrides):
    payload = {
        "name": "VIP 客户",
        "department_id": department.pk,
        "criteria": {"all": [{"field": "subject", "op": "contains", "value": "VIP"}]},
        "targets": [
            {
                "priority_id": high.pk,
                "first_response_minutes": 60,
                "next_response_minutes": None,
                "resolution_minutes": 240,
                "business_time": True,
            }
        ],
        "escalations": [
            {
                "target": "resolution",
                "offset_minutes": -30,
                "actions": [{"type": "comment", "body": "快到期了"}],
            },
            {
                "target": "resolution",
                "offset_minutes": 0,
                "actions": [{"type": "set_field", "field": "priority", "value": "紧急"}],
            },
        ],
    }
    payload.update(overrides)
    return payload


def test_create_and_read_with_the_exact_payload(admin_api, department, high):
    calendar = office_calendar()
    created = admin_api.post_json(URL, body(department, high, business_hours_id=calendar.pk))
    assert created.status_code == 201, created.json()
    policy = SlaPolicy.objects.get()
    urgent = Priority.objects.get(name="紧急")
    expected = {
        "id": policy.pk,
        "name": "VIP 客户",
        "department_id": department.pk,
        "order": 0,
        "enabled": True,
        "criteria": {"all": [{"field": "subject", "op": "contains", "value": "VIP"}]},
        "business_hours_id": calendar.pk,
        "targets": [
            {
                "priority_id": high.pk,
                "first_response_minutes": 60,
                "next_response_minutes": None,
                "resolution_minutes": 240,
                "business_time": True,
            }
        ],
        "escalations": [
            {
                "target": "resolution",
                "offset_minutes": -30,
                "actions": [{"type": "comment", "body": "快到期了"}],
            },
            {
                "target": "resolution",
                "offset_minutes": 0,
                "actions": [{"type": "set_field", "field": "priority", "value": urgent.pk}],
            },
        ],
        "created_at": iso(policy.created_at),
        "updated_at": iso(policy.updated_at),
    }
    got = created.json()
    assert got == expected
    assert admin_api.get(f"{URL}/{policy.pk}").json() == got
    assert admin_api.get(URL).json() == {"items": [got], "next_cursor": None}
    assert AuditEntry.objects.filter(action="sla_policy.created").count() == 1


def test_bad_input_gets_422_naming_every_bad_part(admin_api, department, high):
    response = admin_api.post_json(
        URL,
        {
            "name": " ",
            "department_id": 999_999,
            "business_hours_id": 999_999,
            "criteria": {"all": [{"field": "no_such_field", "op": "is", "value": 1}]},
            "targets": [
                {"priority_id": high.pk, "resolution_minutes": 0},
                {"priority_id": high.pk, "first_response_minutes": 30, "business_time": "yes"},
                {"priority_id": 999_999},
                {"priority_id": high.pk, "colour": "red"},
            ],
            "escalations": [
                {"target": "lunch", "offset_minutes": "soon", "actions": [{"type": "explode"}]},
                {"target": "resolution", "offset_minutes": 0, "actions": []},
            ],
        },
    )
    assert response.status_code == 422
    fields = response.json()["error"]["fields"]
    assert set(fields) == {
        "name",
        "department_id",
        "business_hours_id",
        "criteria.all[0].field",
        "targets[0].resolution_minutes",
        "targets[1].priority_id",
        "targets[1].business_time",
        "targets[2].priority_id",
        "targets[3].colour",
        "escalations[0].target",
        "escalations[0].offset_minutes",
        "escalations[0].actions[0].type",
        "escalations[1].actions",
    }
    assert not SlaPolicy.objects.exists()


def test_a_target_needs_at_least_one_time(admin_api, department, high):
    response = admin_api.post_json(URL, body(department, high, targets=[{"priority_id": high.pk}]))
    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {"targets[0]": "Give at least one target."}


def test_patch_changes_only_what_is_sent_and_delete(admin_api, department, high):
    policy_id = admin_api.post_json(URL, body(department, high)).json()["id"]
    changed = admin_api.patch_json(f"{URL}/{policy_id}", {"name": "重要客户", "enabled": False})
    assert changed.status_code == 200
    got = changed.json()
    assert (got["name"], got["enabled"], len(got["targets"]), len(got["escalations"])) == (
        "重要客户",
        False,
        1,
        2,
    )
    emptied = admin_api.patch_json(f"{URL}/{policy_id}", {"escalations": []}).json()
    assert (emptied["escalations"], len(emptied["targets"])) == ([], 1)
    assert admin_api.patch_json(f"{URL}/{policy_id}", {"department_id": None}).status_code == 422
    assert admin_api.delete(f"{URL}/{policy_id}").status_code == 204
    assert admin_api.get(f"{URL}/{policy_id}").status_code == 404


def test_reorder(admin_api, department, high):
    first = admin_api.post_json(URL, body(department, high, name="一")).json()["id"]
    second = admin_api.post_json(URL, body(department, high, name="二")).json()["id"]
    assert (
        admin_api.post_json(
            f"{URL}/reorder", {"department_id": department.pk, "ids": [second, first]}
        ).status_code
        == 204
    )
    assert [item["id"] for item in admin_api.get(URL).json()["items"]] == [second, first]
    bad = admin_api.post_json(f"{URL}/reorder", {"department_id": department.pk, "ids": [second]})
    assert (bad.status_code, list(bad.json()["error"]["fields"])) == (422, ["ids"])


@pytest.mark.parametrize("who", ["anonymous", "agent"])
def test_only_administrators_manage_policies(api_client_for, agent, department, high, who):
    client = api_client_for(None if who == "anonymous" else agent)
    expected = 401 if who == "anonymous" else 403
    assert client.get(URL).status_code == expected
    assert client.post_json(URL, body(department, high)).status_code == expected
    assert not SlaPolicy.objects.exists()


def test_tickets_carry_their_sla_state(api, department, high):
    office_calendar(department)
    policy = policy_with(department, first_response=60, resolution=240)
    moment = dt.datetime(2026, 12, 7, 17, 30, tzinfo=SHANGHAI)
    with time_machine.travel(moment, tick=False):
        created = api.post_json(
            "/api/v1/tickets",
            {
                "subject": "打印机",
                "description": "连不上",
                "department_id": department.pk,
                "priority": "高",
                "contact": {"email": "wang.fang@example.cn"},
            },
        )
        assert created.status_code == 201, created.json()
        ticket = created.json()
        assert ticket["sla_policy_id"] == policy.pk
        assert ticket["first_response_due_at"] == "2026-12-08T01:30:00Z"
        assert ticket["next_response_due_at"] is None
        assert ticket["resolution_due_at"] == "2026-12-08T04:30:00Z"
        assert ticket["sla_paused"] is False
        assert ticket["sla"] == {
            "first_response": {"due_at": "2026-12-08T01:30:00Z", "met": None, "breached": False},
            "resolution": {"due_at": "2026-12-08T04:30:00Z", "met": None, "breached": False},
        }
        paused = api.patch_json(f"/api/v1/tickets/{ticket['id']}", {"status": "搁置"}).json()
    assert paused["sla_paused"] is True
    assert (paused["first_response_due_at"], paused["resolution_due_at"]) == (None, None)
    assert paused["sla"]["resolution"] == {"due_at": None, "met": None, "breached": False}
    refused = api.patch_json(f"/api/v1/tickets/{ticket['id']}", {"next_response_due_at": None})
    assert (refused.status_code, list(refused.json()["error"]["fields"])) == (422, ["next_response_due_at"])
