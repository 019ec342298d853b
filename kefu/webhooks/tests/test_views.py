"""Settings → Webhooks: list, create (secret shown once), errors on the form, edit, delivery log and send
again, in English and Chinese; administrators only."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kefu.webhooks.models import DeliveryStatus, WebhookDelivery, WebhookSubscription
from kefu.webhooks.tests.factories import WebhookFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(client, admin_agent):
    client.force_login(admin_agent.user)
    return client


def test_only_administrators_open_the_pages(client, agent):
    hook = WebhookFactory()
    client.force_login(agent.user)
    for url in (
        reverse("webhooks:list"),
        reverse("webhooks:create"),
        reverse("webhooks:detail", args=[hook.pk]),
        reverse("webhooks:deliveries", args=[hook.pk]),
    ):
        assert client.get(url).status_code == 403
    assert client.post(reverse("webhooks:delete", args=[hook.pk])).status_code == 403
    assert WebhookSubscription.objects.filter(pk=hook.pk).exists()


def test_the_settings_navigation_links_to_webhooks(admin):
    page = admin.get(reverse("settings-general")).content.decode()
    assert f'href="{reverse("webhooks:list")}"' in page


def test_create_shows_the_secret_once(admin, settings):
    settings.KEFU_WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    criteria = {"all": [{"field": "subject", "op": "contains", "value": "发票"}]}
    response = admin.post(
        reverse("webhooks:create"),
        {
            "name": "CRM",
            "url": "http://127.0.0.1:9000/hook",
            "event_types": ["ticket.created", "ticket.replied"],
            "enabled": "on",
            "criteria": json.dumps(criteria),
        },
    )
    assert response.status_code == 200
    hook = WebhookSubscription.objects.get()
    assert (hook.name, hook.event_types, hook.criteria, hook.enabled) == (
        "CRM",
        ["ticket.created", "ticket.replied"],
        criteria,
        True,
    )
    assert hook.secret in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    assert hook.secret not in admin.get(reverse("webhooks:detail", args=[hook.pk])).content.decode()

    regenerated = admin.post(reverse("webhooks:secret", args=[hook.pk]))
    hook.refresh_from_db()
    assert hook.secret in regenerated.content.decode()


def test_a_refused_url_and_a_bad_condition_show_on_the_form(admin, settings):
    settings.KEFU_WEBHOOK_ALLOWED_NETWORKS = []
    response = admin.post(
        reverse("webhooks:create"),
        {
            "name": "CRM",
            "url": "http://192.168.1.5/hook",
            "criteria": json.dumps({"all": [{"field": "nope", "op": "is", "value": 1}]}),
        },
    )
    assert response.status_code == 422
    form = response.context["form"]
    assert "192.168.1.5" in form.errors["url"][0]
    assert form.errors["criteria"] == ["Unknown field."]
    assert not WebhookSubscription.objects.exists()


def test_edit_and_turn_off(admin):
    hook = WebhookFactory(url="https://93.184.216.34/x", event_types=["ticket.created"])
    response = admin.post(
        reverse("webhooks:detail", args=[hook.pk]),
        {"name": "改名", "url": "https://93.184.216.34/y", "event_types": ["task.created"], "criteria": ""},
    )
    assert response.status_code == 302
    hook.refresh_from_db()
    assert (hook.name, hook.url, hook.event_types, hook.enabled, hook.disabled_reason) == (
        "改名",
        "https://93.184.216.34/y",
        ["task.created"],
        False,
        "manual",
    )


def test_list_in_chinese(admin):
    WebhookFactory(name="CRM 同步", event_types=["ticket.created"])
    page = admin.get(reverse("webhooks:list"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "CRM 同步" in page
    assert "添加 Webhook" in page
    assert "工单创建时" in page


def test_delivery_log_and_send_again(admin, hook_receiver, create_ticket, django_capture_on_commit_callbacks):
    hook = WebhookFactory(url=hook_receiver.url)
    hook_receiver.statuses = [502]
    with django_capture_on_commit_callbacks(execute=True):
        create_ticket()
    delivery = WebhookDelivery.objects.get()

    page = admin.get(reverse("webhooks:deliveries", args=[hook.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "502" in text
    assert "Retrying" in text
    with CaptureQueriesContext(connection) as queries:  # per-process caches are warm now
        admin.get(reverse("webhooks:deliveries", args=[hook.pk]))
    baseline = len(queries)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(reverse("webhooks:redeliver", args=[hook.pk, delivery.pk]))
    assert response.status_code == 302
    again = WebhookDelivery.objects.get(redelivery_of=delivery)
    assert again.status == DeliveryStatus.SUCCEEDED
    assert "being sent again" in admin.get(reverse("webhooks:deliveries", args=[hook.pk])).content.decode()
    with CaptureQueriesContext(connection) as queries:
        admin.get(reverse("webhooks:deliveries", args=[hook.pk]))
    assert len(queries) == baseline  # two deliveries with their attempts cost what one did

    partial = admin.get(
        reverse("webhooks:deliveries", args=[hook.pk]), HTTP_HX_REQUEST="true"
    ).content.decode()
    assert 'id="delivery-log"' in partial
    assert "<html" not in partial
