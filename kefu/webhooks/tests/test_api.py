"""The webhooks API: exact payloads, 422 naming bad fields, administrators only, deliveries and redeliver."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from kefu.core.models import AuditEntry
from kefu.webhooks.models import DeliveryStatus, WebhookDelivery, WebhookSubscription
from kefu.webhooks.tests.factories import WebhookFactory
from tests.helpers import error_of

WEBHOOKS = "/api/v1/webhooks"
NOW = dt.datetime(2026, 12, 7, 2, 0, tzinfo=dt.UTC)

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_api(api_client_for, admin_agent):
    return api_client_for(admin_agent)


@time_machine.travel(NOW, tick=False)
def test_create_answers_the_secret_once(admin_api, settings):
    settings.KEFU_WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    response = admin_api.post_json(
        WEBHOOKS,
        {
            "name": "CRM 同步",
            "url": "http://127.0.0.1:9000/hook",
            "event_types": ["ticket.updated", "ticket.created"],
            "criteria": {"all": [{"field": "subject", "op": "contains", "value": "发票"}]},
        },
    )
    assert response.status_code == 201, response.content
    created = WebhookSubscription.objects.get()
    body = response.json()
    assert body == {
        "id": created.pk,
        "name": "CRM 同步",
        "url": "http://127.0.0.1:9000/hook",
        "event_types": ["ticket.created", "ticket.updated"],
        "criteria": {"all": [{"field": "subject", "op": "contains", "value": "发票"}]},
        "enabled": True,
        "disabled_reason": "",
        "failing_since": None,
        "last_success_at": None,
        "last_failure_at": None,
        "created_at": "2026-12-07T02:00:00Z",
        "updated_at": "2026-12-07T02:00:00Z",
        "secret": created.secret,
    }
    assert body["secret"].startswith("whsec_")
    assert admin_api.get(f"{WEBHOOKS}/{created.pk}").json()["secret"] is None
    assert AuditEntry.objects.filter(action="webhook.created", object_id=created.pk).count() == 1


@pytest.mark.parametrize(
    ("payload", "fields"),
    [
        ({"name": "", "url": "https://93.184.216.34/x"}, {"name"}),
        ({"name": "x", "url": "not a url"}, {"url"}),
        ({"name": "x", "url": "ftp://93.184.216.34/x"}, {"url"}),
        ({"name": "x", "url": "http://127.0.0.1:9000/hook"}, {"url"}),
        ({"name": "x", "url": "http://169.254.169.254/"}, {"url"}),
        (
            {"name": "x", "url": "https://93.184.216.34/x", "event_types": ["ticket.exploded"]},
            {"event_types"},
        ),
        ({"name": "x", "url": "https://93.184.216.34/x", "event_types": ["agent.invited"]}, {"event_types"}),
        (
            {
                "name": "x",
                "url": "https://93.184.216.34/x",
                "criteria": {"all": [{"field": "nope", "op": "is"}]},
            },
            {"criteria.all[0].field"},
        ),
        (
            {
                "name": "x",
                "url": "https://93.184.216.34/x",
                "event_types": ["task.created"],
                "criteria": {"all": [{"field": "subject", "op": "contains", "value": "a"}]},
            },
            {"criteria"},
        ),
    ],
)
def test_bad_input_is_a_422_naming_the_fields(admin_api, settings, payload, fields):
    settings.KEFU_WEBHOOK_ALLOWED_NETWORKS = []
    error = error_of(admin_api.post_json(WEBHOOKS, payload), 422)
    assert set(error["fields"]) == fields
    assert not WebhookSubscription.objects.exists()


def test_loopback_is_named_in_the_error(admin_api, settings):
    settings.KEFU_WEBHOOK_ALLOWED_NETWORKS = []
    error = error_of(admin_api.post_json(WEBHOOKS, {"name": "x", "url": "http://127.0.0.1:9000/hook"}), 422)
    assert "127.0.0.1" in error["fields"]["url"]


def test_unknown_fields_and_wrong_types_are_refused(admin_api):
    assert error_of(
        admin_api.post_json(WEBHOOKS, {"name": "x", "url": "https://93.184.216.34", "sla": 1}), 422
    )
    assert error_of(
        admin_api.post_json(WEBHOOKS, {"name": "x", "url": "https://93.184.216.34", "event_types": "a"}), 422
    )


def test_patch_changes_only_what_is_given_and_regenerates_the_secret(admin_api):
    hook = WebhookFactory(url="https://93.184.216.34/x", secret="whsec_old", event_types=["ticket.created"])

    response = admin_api.patch_json(f"{WEBHOOKS}/{hook.pk}", {"name": "新名字", "regenerate_secret": True})

    assert response.status_code == 200, response.content
    body = response.json()
    hook.refresh_from_db()
    assert (body["name"], body["url"], body["event_types"]) == (
        "新名字",
        "https://93.184.216.34/x",
        ["ticket.created"],
    )
    assert body["secret"] == hook.secret != "whsec_old"
    error = error_of(admin_api.patch_json(f"{WEBHOOKS}/{hook.pk}", {"url": "http://10.0.0.1/"}), 422)
    assert set(error["fields"]) == {"url"}


def test_turning_a_failing_webhook_on_clears_its_streak(admin_api):
    hook = WebhookFactory(
        url="https://93.184.216.34/x", enabled=False, disabled_reason="failing", failing_since=NOW
    )

    body = admin_api.patch_json(f"{WEBHOOKS}/{hook.pk}", {"enabled": True}).json()

    assert (body["enabled"], body["disabled_reason"], body["failing_since"]) == (True, "", None)
    body = admin_api.patch_json(f"{WEBHOOKS}/{hook.pk}", {"enabled": False}).json()
    assert (body["enabled"], body["disabled_reason"]) == (False, "manual")


def test_list_get_delete(admin_api):
    first = WebhookFactory(url="https://93.184.216.34/a")
    second = WebhookFactory(url="https://93.184.216.34/b")

    listed = admin_api.get(f"{WEBHOOKS}?limit=1").json()
    assert [item["id"] for item in listed["items"]] == [first.pk]
    more = admin_api.get(f"{WEBHOOKS}?limit=1&cursor={listed['next_cursor']}").json()
    assert [item["id"] for item in more["items"]] == [second.pk]
    assert admin_api.delete(f"{WEBHOOKS}/{first.pk}").status_code == 204
    assert list(WebhookSubscription.objects.values_list("pk", flat=True)) == [second.pk]
    assert admin_api.get(f"{WEBHOOKS}/{first.pk}").status_code == 404


def test_deliveries_and_redeliver(
    admin_api, hook_receiver, create_ticket, django_capture_on_commit_callbacks
):
    hook = WebhookFactory(url=hook_receiver.url)
    hook_receiver.statuses = [500]
    with django_capture_on_commit_callbacks(execute=True):
        ticket = create_ticket()
    (delivery,) = WebhookDelivery.objects.all()

    listed = admin_api.get(f"{WEBHOOKS}/{hook.pk}/deliveries").json()
    assert [(d["id"], d["status"], d["response_status"], d["ticket_id"]) for d in listed["items"]] == [
        (delivery.pk, "retrying", 500, ticket.pk)
    ]
    detail = admin_api.get(f"{WEBHOOKS}/{hook.pk}/deliveries/{delivery.pk}").json()
    assert [a["response_status"] for a in detail["attempt_log"]] == [500]
    assert detail["request_body"] == delivery.body

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_api.post(f"{WEBHOOKS}/{hook.pk}/deliveries/{delivery.pk}/redeliver")
    assert response.status_code == 202, response.content
    again = WebhookDelivery.objects.get(redelivery_of=delivery)
    assert response.json()["id"] == again.pk
    again.refresh_from_db()
    assert (again.status, again.body) == (DeliveryStatus.SUCCEEDED, delivery.body)
    assert [r.body for r in hook_receiver.requests] == [delivery.body.encode()] * 2
    assert admin_api.post(f"{WEBHOOKS}/{hook.pk}/deliveries/999999/redeliver").status_code == 404
    other = WebhookFactory(url=hook_receiver.url)
    assert admin_api.post(f"{WEBHOOKS}/{other.pk}/deliveries/{delivery.pk}/redeliver").status_code == 404


def test_redeliver_of_a_disabled_webhook_is_a_409(admin_api):
    hook = WebhookFactory(url="https://93.184.216.34/x", enabled=False)
    delivery = WebhookDelivery.objects.create(
        subscription=hook,
        event_type="ticket.created",
        body="{}",
        created_at=NOW,
        status=DeliveryStatus.FAILED,
    )
    error_of(admin_api.post(f"{WEBHOOKS}/{hook.pk}/deliveries/{delivery.pk}/redeliver"), 409)
    assert WebhookDelivery.objects.count() == 1


@pytest.mark.parametrize("who", ["anonymous", "agent"])
def test_only_administrators(api_client_for, agent, who):
    hook = WebhookFactory(url="https://93.184.216.34/x")
    client = api_client_for(None if who == "anonymous" else agent)
    status = 401 if who == "anonymous" else 403

    assert client.get(WEBHOOKS).status_code == status
    assert client.post_json(WEBHOOKS, {"name": "x", "url": "https://93.184.216.34/y"}).status_code == status
    assert client.patch_json(f"{WEBHOOKS}/{hook.pk}", {"name": "y"}).status_code == status
    assert client.delete(f"{WEBHOOKS}/{hook.pk}").status_code == status
    assert client.get(f"{WEBHOOKS}/{hook.pk}/deliveries").status_code == status
    assert list(WebhookSubscription.objects.values_list("name", flat=True)) == [hook.name]
