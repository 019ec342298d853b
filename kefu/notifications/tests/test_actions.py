"""Rule actions: send an email / SMS / in-app notification from a template, from a workflow rule."""

from __future__ import annotations

import json

import pytest

from kefu.automation.actions import clean_actions
from kefu.automation.tests.factories import WorkflowRuleFactory
from kefu.notifications.models import Notification, NotificationDelivery
from kefu.org.tests.factories import AgentFactory

pytestmark = pytest.mark.django_db


def test_a_workflow_rule_emails_from_a_template(
    department, create_ticket, smtp, django_capture_on_commit_callbacks
):
    WorkflowRuleFactory(
        actions=[
            {
                "type": "notify_email",
                "template": "customer.ticket_closed",
                "to": ["contact", "ops@example.cn"],
            }
        ]
    )

    with django_capture_on_commit_callbacks(execute=True):
        ticket = create_ticket()

    recipients = sorted(m.rcpt_tos[0] for m in smtp.messages)
    assert recipients == ["ops@example.cn", "wang.fang@example.cn"]
    assert all(f"[#{ticket.shown_number}]" in m.message["Subject"] for m in smtp.messages)


def test_a_workflow_rule_notifies_supervisors_in_the_console(
    department, create_ticket, django_capture_on_commit_callbacks
):
    supervisor = AgentFactory(role_key="supervisor", departments=[department])
    WorkflowRuleFactory(
        actions=[{"type": "notify_in_app", "template": "supervisor.new_unassigned", "to": ["supervisors"]}]
    )

    with django_capture_on_commit_callbacks(execute=True):
        ticket = create_ticket()

    assert list(Notification.objects.values_list("user_id", "event", "ticket_id")) == [
        (supervisor.user_id, "supervisor.new_unassigned", ticket.pk)
    ]


def test_a_workflow_rule_sends_an_sms(
    department, create_ticket, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.KEFU_SMS_BACKEND = "file"
    settings.KEFU_SMS_FILE_PATH = tmp_path / "sms.jsonl"
    WorkflowRuleFactory(
        actions=[{"type": "notify_sms", "template": "customer.ticket_received", "to": ["+8613800138000"]}]
    )

    with django_capture_on_commit_callbacks(execute=True):
        ticket = create_ticket()

    [line] = (tmp_path / "sms.jsonl").read_text().splitlines()
    assert json.loads(line)["to"] == "+8613800138000"
    assert f"#{ticket.shown_number}" in json.loads(line)["text"]
    assert NotificationDelivery.objects.get(channel="sms").state == "sent"


def test_bad_actions_name_their_fields():
    _cleaned, errors = clean_actions(
        [
            {"type": "notify_email", "template": "nope", "to": ["contact"]},
            {"type": "notify_sms", "template": "customer.ticket_closed", "to": ["not-a-number"]},
            {"type": "notify_in_app", "template": "agent.assigned", "to": []},
            {"type": "notify_email", "template": "agent.assigned", "to": ["assignee"], "cc": []},
        ]
    )
    assert set(errors) == {"actions[0].template", "actions[1].to[0]", "actions[2].to", "actions[3].cc"}
