"""Console pages: the bell, the list, preferences; Settings → Notifications (rules, template editor)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kefu.notifications.models import (
    Notification,
    NotificationPreference,
    NotificationRule,
    NotificationTemplate,
)
from kefu.notifications.tests.factories import NotificationFactory
from kefu.org.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def _login(client, agent):
    assert client.login(email=agent.user.email, password=PASSWORD)
    return client


def test_the_bell_counts_unread(client, agent):
    NotificationFactory(user=agent.user)
    NotificationFactory(user=agent.user)
    NotificationFactory(user=agent.user, read_at="2026-11-20T10:00:00Z")
    _login(client, agent)

    response = client.get(reverse("notifications:bell"), headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert b'data-testid="notification-count">2<' in response.content


def test_the_console_shows_the_bell(client, agent):
    _login(client, agent)
    response = client.get(reverse("notifications:list"))
    assert reverse("notifications:bell").encode() in response.content


def test_list_open_and_mark_all_read(client, agent, create_ticket):
    ticket = create_ticket()
    note = NotificationFactory(user=agent.user, ticket_id=ticket.pk, text="工单已分配给您")
    NotificationFactory(user=agent.user)
    _login(client, agent)

    page = client.get(reverse("notifications:list"))
    assert "工单已分配给您" in page.content.decode()

    response = client.get(reverse("notifications:open", args=[note.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("tickets:detail", args=[ticket.pk])
    assert Notification.objects.filter(read_at__isnull=True).count() == 1

    client.post(reverse("notifications:read"), {"all": "1"})
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_someone_elses_notification_is_404(client, agent, admin_agent):
    note = NotificationFactory(user=admin_agent.user)
    _login(client, agent)
    assert client.get(reverse("notifications:open", args=[note.pk])).status_code == 404


def test_preferences_page(client, agent):
    _login(client, agent)
    assert client.get(reverse("notifications:preferences")).status_code == 200

    response = client.post(
        reverse("notifications:preferences"),
        {"channels-agent.mentioned": ["in_app"], "quiet_from": "22:00", "quiet_until": "07:30"},
    )
    assert response.status_code == 302
    preference = NotificationPreference.objects.get(user=agent.user)
    assert preference.channels["agent.mentioned"] == ["in_app"]
    assert preference.channels["agent.assigned"] == []
    assert str(preference.quiet_until) == "07:30:00"


def test_preferences_form_errors(client, agent):
    _login(client, agent)
    response = client.post(reverse("notifications:preferences"), {"quiet_from": "25:99", "quiet_until": ""})
    assert response.status_code == 422
    assert "Enter a time such as 22:00." in response.content.decode()


def test_rules_page_for_administrators_only(client, agent, admin_agent, department):
    _login(client, agent)
    assert client.get(reverse("notification-settings:rules")).status_code == 403
    client.logout()
    _login(client, admin_agent)
    page = client.get(reverse("notification-settings:rules"), {"department": department.pk})
    assert page.status_code == 200
    assert "Ticket closed" in page.content.decode()

    response = client.post(
        reverse("notification-settings:rules"),
        {
            "department": department.pk,
            "event": "customer.ticket_closed",
            "recipients": ["contact"],
            "addresses": "",
        },
    )
    assert response.status_code == 302
    rule = NotificationRule.objects.get(department=department, event="customer.ticket_closed")
    assert (rule.enabled, rule.recipients) == (False, ["contact"])

    response = client.post(
        reverse("notification-settings:rules"),
        {"department": department.pk, "event": "customer.ticket_closed", "enabled": "1", "addresses": "nope"},
    )
    assert response.status_code == 422
    assert "Not an email address: nope" in response.content.decode()


def test_template_editor_refuses_an_invalid_template(client, admin_agent):
    template = NotificationTemplate.objects.get(event="customer.ticket_closed", language="en")
    _login(client, admin_agent)
    assert client.get(reverse("notification-settings:templates")).status_code == 200
    page = client.get(reverse("notification-settings:template-edit", args=[template.pk]))
    assert "{{ ticket.portal_url }}" in page.content.decode()  # the placeholder list

    response = client.post(
        reverse("notification-settings:template-edit", args=[template.pk]),
        {"subject": "Closed", "body_html": "<p>ok</p>", "body_text": "one\n{% for %}"},
    )

    assert response.status_code == 422
    assert "Line 2:" in response.content.decode()
    template.refresh_from_db()
    assert template.subject == "Your ticket {{ ticket.number }} is closed"


def test_template_edit_preview_and_reset(client, admin_agent, create_ticket):
    ticket = create_ticket()
    template = NotificationTemplate.objects.get(event="customer.ticket_closed", language="en")
    _login(client, admin_agent)
    response = client.post(
        reverse("notification-settings:template-edit", args=[template.pk]),
        {
            "subject": "Done: {{ ticket.subject }}",
            "body_html": "<p>Bye {{ contact.name }}</p>",
            "body_text": "Bye",
        },
    )
    assert response.status_code == 302

    preview = client.post(
        reverse("notification-settings:template-preview", args=[template.pk]),
        {
            "ticket_id": str(ticket.pk),
            "subject": "{{ contact.name }}: {{ ticket.number }}",
            "body_html": "x",
            "body_text": "y",
        },
        headers={"HX-Request": "true"},
    )
    assert preview.status_code == 200
    assert f"王芳: #{ticket.shown_number}" in preview.content.decode()

    client.post(reverse("notification-settings:template-reset", args=[template.pk]))
    template.refresh_from_db()
    assert template.subject == "Your ticket {{ ticket.number }} is closed"
