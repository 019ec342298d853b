"""The notification API: rules, templates (+ preview, reset), my notifications, read, preferences."""

from __future__ import annotations

import pytest

from kefu.notifications.models import Notification, NotificationRule, NotificationTemplate
from kefu.notifications.tests.factories import NotificationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_api(api_client_for, admin_agent):
    return api_client_for(admin_agent)


def _template(event="customer.agent_reply", language="en"):
    return NotificationTemplate.objects.get(event=event, language=language)


def test_rules_list_the_catalogue_with_defaults(admin_api, department):
    response = admin_api.get(f"/api/v1/notification-rules?department_id={department.pk}")

    assert response.status_code == 200
    items = {item["event"]: item for item in response.json()["items"]}
    assert items["customer.ticket_closed"] == {
        "department_id": department.pk,
        "event": "customer.ticket_closed",
        "audience": "customer",
        "label": "Ticket closed",
        "enabled": True,
        "recipients": ["contact", "cc"],
        "addresses": [],
        "channels": ["email"],
        "recipient_choices": ["contact", "cc", "assignee", "team", "followers", "supervisors"],
    }
    assert "agent.mentioned" in items
    assert "supervisor.new_unassigned" in items


def test_patch_a_rule(admin_api, department):
    response = admin_api.patch_json(
        f"/api/v1/notification-rules/{department.pk}/customer.ticket_closed",
        {"enabled": False, "recipients": ["contact"], "addresses": ["Ops@Example.cn"]},
    )

    assert response.status_code == 200, response.content
    assert (response.json()["enabled"], response.json()["recipients"], response.json()["addresses"]) == (
        False,
        ["contact"],
        ["ops@example.cn"],
    )
    rule = NotificationRule.objects.get(department=department, event="customer.ticket_closed")
    assert (rule.enabled, rule.recipients, rule.addresses) == (False, ["contact"], ["ops@example.cn"])


def test_a_bad_rule_names_every_bad_field(admin_api, department):
    response = admin_api.patch_json(
        f"/api/v1/notification-rules/{department.pk}/customer.ticket_closed",
        {"recipients": ["mother"], "addresses": ["not-an-address"], "channels": ["fax"]},
    )

    assert response.status_code == 422
    assert set(response.json()["error"]["fields"]) == {"recipients", "addresses", "channels"}
    assert not NotificationRule.objects.exists()


def test_an_unknown_rule_is_refused(admin_api, department):
    response = admin_api.patch_json(
        f"/api/v1/notification-rules/{department.pk}/customer.nothing", {"enabled": True}
    )

    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {"event": "No such notification."}


def test_agents_cannot_read_or_change_rules(api, department):
    assert api.get(f"/api/v1/notification-rules?department_id={department.pk}").status_code == 403
    response = api.patch_json(
        f"/api/v1/notification-rules/{department.pk}/customer.ticket_closed", {"enabled": False}
    )
    assert response.status_code == 403
    assert not NotificationRule.objects.exists()


def test_templates_exist_in_both_languages(admin_api):
    response = admin_api.get("/api/v1/notification-templates?event=customer.ticket_closed")

    assert response.status_code == 200
    items = response.json()["items"]
    assert [(item["event"], item["language"]) for item in items] == [
        ("customer.ticket_closed", "en"),
        ("customer.ticket_closed", "zh-hans"),
    ]
    assert set(items[0]) == {"id", "event", "language", "subject", "body_html", "body_text"}
    assert items[1]["subject"] == "您的工单 {{ ticket.number }} 已关闭"


def test_patch_then_reset_a_template(admin_api):
    template = _template()
    response = admin_api.patch_json(
        f"/api/v1/notification-templates/{template.pk}", {"subject": "Answer: {{ ticket.subject }}"}
    )
    assert response.status_code == 200
    assert response.json()["subject"] == "Answer: {{ ticket.subject }}"

    response = admin_api.post_json(f"/api/v1/notification-templates/{template.pk}/reset")
    assert response.status_code == 200
    assert response.json()["subject"] == "{{ ticket.subject }}"


def test_an_invalid_template_is_refused_with_line_and_reason(admin_api):
    template = _template()
    response = admin_api.patch_json(
        f"/api/v1/notification-templates/{template.pk}",
        {
            "subject": "{{ ticket.subject",
            "body_text": "Hello\n{{ ticket.nope.deeper }}",
            "body_html": "<p>{{ ticket.__class__.__mro__ }}</p>",
        },
    )

    assert response.status_code == 422
    fields = response.json()["error"]["fields"]
    assert fields["subject"].startswith("Line 1: ")
    assert fields["body_text"].startswith("Line 2: ")
    assert "body_html" in fields
    template.refresh_from_db()
    assert template.subject == "{{ ticket.subject }}"


def test_a_template_error_is_told_in_chinese(admin_api):
    template = _template()
    response = admin_api.patch_json(
        f"/api/v1/notification-templates/{template.pk}",
        {"subject": "{% if %}"},
        headers={"Accept-Language": "zh-hans"},
    )

    assert response.status_code == 422
    assert response.json()["error"]["fields"]["subject"].startswith("第 1 行")


def test_preview_against_a_real_ticket(admin_api, create_ticket):
    ticket = create_ticket()
    template = _template()

    response = admin_api.post_json(
        f"/api/v1/notification-templates/{template.pk}/preview",
        {"ticket_id": ticket.pk, "subject": "{{ ticket.number }} for {{ contact.name }}"},
    )

    assert response.status_code == 200
    body = response.json()
    assert body["subject"] == f"#{ticket.shown_number} for 王芳"
    assert "按照说明书操作后仍然连不上。" in body["body_text"]
    assert body["errors"] == {}


def test_preview_of_an_unknown_ticket_is_a_422(admin_api):
    template = _template()
    response = admin_api.post_json(
        f"/api/v1/notification-templates/{template.pk}/preview", {"ticket_id": 999999}
    )
    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {"ticket_id": "No such ticket."}


def test_my_notifications_and_marking_them_read(api, agent, admin_agent):
    first = NotificationFactory(user=agent.user, ticket_id=7, text="张伟 在工单 #7 中提到了您")
    second = NotificationFactory(
        user=agent.user, ticket_id=8, event="agent.assigned", text="工单 #8 已分配给您"
    )
    NotificationFactory(user=admin_agent.user)

    response = api.get("/api/v1/notifications?limit=1")
    assert response.status_code == 200
    body = response.json()
    assert body["unread_count"] == 2
    assert [item["id"] for item in body["items"]] == [second.pk]
    assert body["items"][0] == {
        "id": second.pk,
        "event": "agent.assigned",
        "ticket_id": 8,
        "text": "工单 #8 已分配给您",
        "read": False,
        "created_at": body["items"][0]["created_at"],
    }
    assert body["next_cursor"]
    assert [
        i["id"] for i in api.get(f"/api/v1/notifications?cursor={body['next_cursor']}").json()["items"]
    ] == [first.pk]

    response = api.post_json("/api/v1/notifications/read", {"ids": [first.pk]})
    assert response.json() == {"marked": 1, "unread_count": 1}
    response = api.post_json("/api/v1/notifications/read", {"all": True})
    assert response.json() == {"marked": 1, "unread_count": 0}
    assert Notification.objects.filter(user=admin_agent.user, read_at__isnull=True).count() == 1


def test_read_needs_ids_or_all(api):
    response = api.post_json("/api/v1/notifications/read", {})
    assert response.status_code == 422
    assert set(response.json()["error"]["fields"]) == {"ids", "all"}
    response = api.post_json("/api/v1/notifications/read", {"ids": ["x"], "all": "maybe"})
    assert response.status_code == 422
    assert set(response.json()["error"]["fields"]) >= {"ids.0", "all"}


def test_someone_elses_notification_is_not_marked(api, admin_agent):
    other = NotificationFactory(user=admin_agent.user)
    assert api.post_json("/api/v1/notifications/read", {"ids": [other.pk]}).json()["marked"] == 0


def test_anonymous_gets_401(api_client_for):
    assert api_client_for(None).get("/api/v1/notifications").status_code == 401


def test_preferences(api):
    response = api.put(
        "/api/v1/notification-preferences",
        data={"channels": {"agent.mentioned": ["in_app"]}, "quiet_from": "22:00", "quiet_until": "07:00"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["channels"]["agent.mentioned"] == ["in_app"]
    assert body["channels"]["agent.assigned"] == ["in_app", "email"]
    assert (body["quiet_from"], body["quiet_until"]) == ("22:00:00", "07:00:00")

    response = api.put(
        "/api/v1/notification-preferences",
        data={
            "channels": {"customer.ticket_closed": ["email"], "agent.assigned": ["pigeon"]},
            "quiet_from": "22:00",
        },
        content_type="application/json",
    )
    assert response.status_code == 422
    assert set(response.json()["error"]["fields"]) == {
        "channels.customer.ticket_closed",
        "channels.agent.assigned",
        "quiet_until",
    }
