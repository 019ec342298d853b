"""The console's rule pages: list, builder, errors by path, dry run, toggle, reorder, permissions."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from kefu.automation.models import RuleRun, TimeRule, WorkflowRule
from kefu.automation.tests.factories import TimeRuleFactory, WorkflowRuleFactory
from kefu.org.tests.factories import PASSWORD, AgentFactory
from kefu.tickets.models import Priority

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, department):
    admin = AgentFactory(
        user__email="lin.admin@kefu.test", role_key="administrator", departments=[department]
    )
    client.login(email=admin.user.email, password=PASSWORD)
    return client


HOT_CRITERIA = {"all": [{"field": "subject", "op": "contains", "value": "发热"}]}


def _post(client, url, **fields):
    data = {
        "name": "Hot phones",
        "department": "",
        "trigger": "created",
        "criteria": json.dumps(HOT_CRITERIA),
    }
    data.update(fields)
    return client.post(url, data)


def test_list_shows_rules_in_order_with_their_counts(admin_client, create_ticket):
    WorkflowRuleFactory(name="Second", order=2, enabled=False)
    first = WorkflowRuleFactory(name="First", order=1, actions=[{"type": "add_tags", "tags": ["新"]}])
    create_ticket()
    response = admin_client.get(reverse("settings-workflow-list"))
    assert response.status_code == 200
    page = response.content.decode()
    assert page.index("First") < page.index("Second")
    assert response.context["rules"][0].runs_count == 1
    assert RuleRun.objects.get().workflow_rule == first
    assert 'href="/settings/workflow-rules/"' in page  # the settings navigation links it


def test_create_from_the_builder(admin_client, exchange_team):
    high = Priority.objects.get(name="高")
    actions = [
        {"type": "set_field", "field": "priority", "value": high.pk},
        {"type": "assign", "team_id": exchange_team.pk},
    ]
    response = _post(admin_client, reverse("settings-workflow-new"), actions=json.dumps(actions))
    rule = WorkflowRule.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("settings-workflow-edit", args=[rule.pk])
    assert (rule.name, rule.trigger, rule.enabled, rule.criteria, rule.actions) == (
        "Hot phones", "created", False, HOT_CRITERIA, actions
    )  # fmt: skip


def test_errors_come_back_by_path_for_the_builder(admin_client):
    criteria = {
        "all": [
            {"field": "subject", "op": "contains", "value": "发热"},
            {"field": "priority", "op": "is", "value": "火急"},
        ]
    }
    response = _post(
        admin_client,
        reverse("settings-workflow-new"),
        criteria=json.dumps(criteria),
        actions=json.dumps([{"type": "add_tags", "tags": []}]),
    )
    assert response.status_code == 422
    assert response.context["builder_errors"] == {
        "criteria.all[1].value": "Unknown value 火急.",
        "actions[0].tags": "Give a list of 1 to 20 tags.",
    }
    assert "The rule is not valid: see the marked conditions and actions." in response.content.decode()
    assert not WorkflowRule.objects.exists()


def test_dry_run_shows_what_would_change_and_writes_nothing(admin_client, create_ticket, exchange_team):
    hot = create_ticket(subject="手机发热")
    create_ticket(subject="打印机")
    actions = [{"type": "set_field", "field": "priority", "value": Priority.objects.get(name="高").pk}]
    response = _post(
        admin_client,
        reverse("settings-workflow-dry-run"),
        actions=json.dumps(actions),
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    result = response.context["result"]
    assert [
        (match.ticket.pk, [(s.field, s.old, s.new) for s in match.steps]) for match in result.matches
    ] == [(hot.pk, [("Priority", "Medium", "High")])]
    assert "1 of the latest 2 tickets would match." in response.content.decode()
    hot.refresh_from_db()
    assert hot.priority.name == "中"
    assert not WorkflowRule.objects.exists()


def test_toggle_and_reorder(admin_client):
    first, second = WorkflowRuleFactory(order=0, enabled=False), WorkflowRuleFactory(order=1)
    response = admin_client.post(
        reverse("settings-workflow-toggle", args=[first.pk]), {"enabled": "1"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert f'data-rule-id="{first.pk}"' in response.content.decode()
    first.refresh_from_db()
    assert first.enabled is True
    response = admin_client.post(reverse("settings-workflow-reorder"), {"ids": [second.pk, first.pk]})
    assert response.status_code == 200
    assert list(WorkflowRule.objects.order_by("order").values_list("pk", flat=True)) == [second.pk, first.pk]


def test_time_rule_pages(admin_client):
    rule = TimeRuleFactory(name="Waiting 72 h")
    assert admin_client.get(reverse("settings-time-list")).status_code == 200
    page = admin_client.get(reverse("settings-time-edit", args=[rule.pk]))
    assert page.status_code == 200
    assert "trigger" not in page.context["form"].fields
    response = admin_client.post(
        reverse("settings-time-new"),
        {
            "name": "Close quiet ones",
            "criteria": json.dumps({"all": [{"field": "hours_since_agent_reply", "op": "gt", "value": 72}]}),
            "actions": json.dumps([{"type": "comment", "body": "已自动关闭"}]),
        },
    )
    assert response.status_code == 302
    assert TimeRule.objects.filter(name="Close quiet ones").exists()


@pytest.mark.parametrize("name", ["settings-workflow-list", "settings-workflow-new", "settings-time-list"])
def test_agents_without_the_settings_right_do_not_see_the_pages(client, agent, name):
    client.login(email=agent.user.email, password=PASSWORD)
    assert client.get(reverse(name)).status_code == 403


def test_agents_without_the_settings_right_cannot_change_rules(client, agent):
    rule = WorkflowRuleFactory(enabled=True)
    client.login(email=agent.user.email, password=PASSWORD)
    assert (
        client.post(reverse("settings-workflow-toggle", args=[rule.pk]), {"enabled": "0"}).status_code == 403
    )
    assert client.post(reverse("settings-workflow-delete", args=[rule.pk])).status_code == 403
    rule.refresh_from_db()
    assert rule.enabled is True
