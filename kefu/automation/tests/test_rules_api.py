"""``/api/v1/workflow-rules``, ``/api/v1/time-rules`` and ``/api/v1/automation/fields``."""

from __future__ import annotations

import pytest

from kefu.automation.actions import action_types
from kefu.automation.models import TimeRule, WorkflowRule
from kefu.automation.tests.factories import TimeRuleFactory, WorkflowRuleFactory
from kefu.core.models import AuditEntry
from kefu.org.tests.factories import AgentFactory
from kefu.tickets.models import Priority

pytestmark = pytest.mark.django_db

URL = "/api/v1/workflow-rules"
HOT = {
    "name": "Hot phones",
    "trigger": "created",
    "criteria": {"all": [{"field": "subject", "op": "contains", "value": "发热"}]},
    "actions": [
        {"type": "set_field", "field": "priority", "value": "高"},
        {"type": "assign", "team_id": "换货组"},
    ],
}


@pytest.fixture
def admin_api(api_client_for, department):
    return api_client_for(
        AgentFactory(user__email="lin.admin@kefu.test", role_key="administrator", departments=[department])
    )


def test_create_stores_the_cleaned_definition(admin_api, exchange_team, department):
    response = admin_api.post_json(URL, {**HOT, "department_id": department.pk, "enabled": True})
    assert response.status_code == 201, response.json()
    body = response.json()
    rule = WorkflowRule.objects.get()
    high = Priority.objects.get(name="高")
    assert body == {
        "id": rule.pk,
        "name": "Hot phones",
        "department_id": department.pk,
        "enabled": True,
        "order": 0,
        "trigger": "created",
        "trigger_fields": [],
        "criteria": {"all": [{"field": "subject", "op": "contains", "value": "发热"}]},
        "actions": [
            {"type": "set_field", "field": "priority", "value": high.pk},
            {"type": "assign", "team_id": exchange_team.pk},
        ],
        "stats": {"runs": 0, "errors": 0, "last_run_at": None},
        "created_at": body["created_at"],
        "updated_at": body["updated_at"],
    }
    assert AuditEntry.objects.filter(action="workflowrule.created").count() == 1


def test_a_new_rule_is_off_and_last_unless_said(admin_api, exchange_team):
    WorkflowRuleFactory(order=7)
    body = admin_api.post_json(URL, HOT).json()
    assert (body["enabled"], body["order"]) == (False, 8)


def test_bad_definition_names_every_bad_part(admin_api):
    response = admin_api.post_json(
        URL,
        {
            "name": " ",
            "trigger": "updated",
            "trigger_fields": ["priority"],
            "criteria": {
                "all": [
                    {"field": "subject", "op": "contains", "value": "a"},
                    {"any": [{"field": "priority", "op": "is", "value": "火急"}]},
                ]
            },
            "actions": [{"type": "set_field", "field": "colour", "value": 1}, {"type": "explode"}],
        },
    )
    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {
        "name": "This field is required.",
        "criteria.all[1].any[0].value": "Unknown value 火急.",
        "actions[0].field": (
            "Choose one of: status, priority, department_id, team_id, assignee_id, brand_id, account_id, "
            "channel, category, sub_category, product, language, custom_fields.<key>."
        ),
        # Every registered type, the extensions' (apply_macro …) included.
        "actions[1].type": f"Choose one of: {', '.join(sorted(action.type for action in action_types()))}.",
    }
    assert not WorkflowRule.objects.exists()


def test_schema_errors_are_422_too(admin_api):
    response = admin_api.post_json(URL, {**HOT, "trigger": "sometimes", "trigger_fields": ["colour"]})
    assert response.status_code == 422
    assert set(response.json()["error"]["fields"]) == {"trigger", "trigger_fields.0"}


def test_fields_only_narrow_the_updated_trigger(admin_api, exchange_team):
    response = admin_api.post_json(URL, {**HOT, "trigger_fields": ["priority"]})
    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {
        "trigger_fields": "Only the “updated” trigger can be narrowed to fields."
    }


def test_patch_changes_only_what_is_sent(admin_api):
    rule = WorkflowRuleFactory(name="旧名字", enabled=False, actions=[{"type": "stop"}])
    response = admin_api.patch_json(f"{URL}/{rule.pk}", {"enabled": True})
    assert response.status_code == 200
    rule.refresh_from_db()
    assert (rule.name, rule.enabled, rule.actions) == ("旧名字", True, [{"type": "stop"}])


def test_reorder_and_delete(admin_api):
    first, second, third = (
        WorkflowRuleFactory(order=0),
        WorkflowRuleFactory(order=1),
        WorkflowRuleFactory(order=2),
    )
    assert admin_api.post_json(f"{URL}/reorder", {"ids": [third.pk, first.pk, second.pk]}).status_code == 204
    assert [item["id"] for item in admin_api.get(URL).json()["items"]] == [third.pk, first.pk, second.pk]
    response = admin_api.post_json(f"{URL}/reorder", {"ids": [third.pk, first.pk]})
    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {"ids": "Give the id of every rule exactly once."}
    assert admin_api.delete(f"{URL}/{first.pk}").status_code == 204
    assert admin_api.get(f"{URL}/{first.pk}").status_code == 404


def test_runs_and_stats(admin_api, create_ticket):
    rule = WorkflowRuleFactory(actions=[{"type": "add_tags", "tags": ["新"]}])
    ticket = create_ticket()
    runs = admin_api.get(f"{URL}/{rule.pk}/runs").json()["items"]
    assert [(run["ticket_id"], run["outcome"], run["actions"]) for run in runs] == [
        (ticket.pk, "applied", [{"type": "add_tags", "field": "tags", "old": [], "new": ["新"]}])
    ]
    assert admin_api.get(f"{URL}/{rule.pk}").json()["stats"]["runs"] == 1


def test_dry_run_an_unsaved_definition(admin_api, create_ticket, exchange_team):
    hot = create_ticket(subject="手机发热")
    create_ticket(subject="打印机")
    response = admin_api.post_json(f"{URL}/dry-run", {"criteria": HOT["criteria"], "actions": HOT["actions"]})
    assert response.status_code == 200
    assert response.json() == {
        "checked": 2,
        "matched": 1,
        "assumes_changes": False,
        "matches": [
            {
                "ticket_id": hot.pk,
                "number": hot.number,
                "subject": "手机发热",
                "steps": [
                    {"field": "Priority", "old": "Medium", "new": "High"},
                    {"field": "Team", "old": "—", "new": "换货组 · After-sales"},
                ],
                "stops": False,
            }
        ],
    }
    bad = admin_api.post_json(f"{URL}/dry-run", {"criteria": {"all": [{"field": "x"}]}, "actions": []})
    assert bad.status_code == 422
    assert bad.json()["error"]["fields"] == {"criteria.all[0].field": "Unknown field."}


@pytest.mark.parametrize("who", ["anonymous", "agent", "supervisor"])
def test_only_agents_with_the_settings_right_manage_rules(api_client_for, department, who):
    rule = WorkflowRuleFactory()
    agent = None
    if who != "anonymous":
        agent = AgentFactory(role_key=who, departments=[department])
    client = api_client_for(agent)
    expected = 401 if who == "anonymous" else 403
    assert client.get(URL).status_code == expected
    assert client.post_json(URL, HOT).status_code == expected
    assert client.patch_json(f"{URL}/{rule.pk}", {"enabled": False}).status_code == expected
    assert client.delete(f"{URL}/{rule.pk}").status_code == expected
    assert WorkflowRule.objects.filter(pk=rule.pk, enabled=True).exists()


def test_time_rules_refuse_change_conditions_and_need_a_condition(admin_api):
    url = "/api/v1/time-rules"
    response = admin_api.post_json(
        url,
        {
            "name": "x",
            "criteria": {"all": [{"field": "priority", "op": "changed"}]},
            "actions": [{"type": "stop"}],
        },
    )
    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {
        "criteria.all[0].op": "Choose one of: is, is_not, in, not_in, is_empty, is_not_empty."
    }
    response = admin_api.post_json(url, {"name": "x", "criteria": {"all": []}, "actions": [{"type": "stop"}]})
    assert response.json()["error"]["fields"] == {"criteria": "A time rule needs at least one condition."}
    created = admin_api.post_json(
        url,
        {
            "name": "Waiting 72 h",
            "enabled": True,
            "criteria": {"all": [{"field": "hours_since_agent_reply", "op": "gt", "value": 72}]},
            "actions": [{"type": "set_field", "field": "status", "value": "已关闭"}],
        },
    )
    assert created.status_code == 201
    assert "trigger" not in created.json()
    assert TimeRule.objects.get().name == "Waiting 72 h"
    TimeRuleFactory()
    assert len(admin_api.get(url).json()["items"]) == 2


def test_field_catalog(api):
    response = api.get("/api/v1/automation/fields")
    assert response.status_code == 200
    body = response.json()
    keys = [field["key"] for field in body["fields"]]
    assert keys[:3] == ["subject", "description", "last_message"]
    assert {"set_field", "assign", "add_tags", "remove_tags", "comment", "stop"} <= {
        a["type"] for a in body["actions"]
    }
    assert [trigger["key"] for trigger in body["triggers"]] == [
        "created", "updated", "customer_message", "agent_reply", "comment", "status_changed", "assigned"
    ]  # fmt: skip
    time_only = api.get("/api/v1/automation/fields?for_time_rules=true").json()
    assert "changed" not in time_only["fields"][0]["operators"]
