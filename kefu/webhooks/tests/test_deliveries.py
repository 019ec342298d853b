"""Deliveries from the outbox to a real local receiver: signing, retries, giving up, idempotency."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import time_machine
from django.core import mail

from kefu.automation.tests.factories import WorkflowRuleFactory
from kefu.core.event_types import EventType
from kefu.core.events import Event
from kefu.core.models import OutboxEvent, OutboxReceipt
from kefu.core.outbox import outbox_deliver
from kefu.webhooks.models import DeliveryStatus, DisabledReason, WebhookAttempt, WebhookDelivery
from kefu.webhooks.services import deliveries_for_events, deliveries_send_due, delivery_send, retry_delay
from kefu.webhooks.signing import verify
from kefu.webhooks.tasks import send_due
from kefu.webhooks.tests.factories import WebhookFactory

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 12, 7, 2, 0, tzinfo=dt.UTC)


@pytest.fixture
def created(create_ticket, django_capture_on_commit_callbacks):
    """Create a ticket and let its outbox event reach the consumers (and the first attempts run)."""

    def make(**overrides):
        with django_capture_on_commit_callbacks(execute=True):
            return create_ticket(**overrides)

    return make


@time_machine.travel(NOW, tick=False)
def test_a_ticket_event_is_posted_signed_with_its_changes(hook_receiver, created):
    hook = WebhookFactory(url=hook_receiver.url, secret="whsec_s3cret", event_types=["ticket.created"])

    ticket = created(subject="打印机无法连接网络")

    (request,) = hook_receiver.requests
    assert request.path == "/hooks/kefu"
    assert verify("whsec_s3cret", request.headers["x-kefu-signature"], request.body, now=int(NOW.timestamp()))
    assert not verify(
        "whsec_other", request.headers["x-kefu-signature"], request.body, now=int(NOW.timestamp())
    )
    assert request.headers["x-kefu-signature"].startswith(f"t={int(NOW.timestamp())},v1=")
    assert request.headers["x-kefu-event"] == "ticket.created"
    assert request.headers["content-type"] == "application/json"
    body = json.loads(request.body)
    delivery = WebhookDelivery.objects.get()
    assert request.headers["x-kefu-delivery"] == str(delivery.uid)
    assert body["id"] == str(delivery.uid)
    assert body["event"] == "ticket.created"
    assert body["event_id"] == delivery.event_id
    assert body["ticket"]["id"] == ticket.pk
    assert body["ticket"]["subject"] == "打印机无法连接网络"
    assert body["data"]["ticket_id"] == ticket.pk
    changes = {change["field"]: change for change in body["data"]["changes"]}
    assert changes["subject"] == {"field": "subject", "old": None, "new": "打印机无法连接网络"}
    assert (delivery.subscription_id, delivery.status, delivery.attempts, delivery.response_status) == (
        hook.pk,
        DeliveryStatus.SUCCEEDED,
        1,
        200,
    )
    attempt = WebhookAttempt.objects.get()
    assert (attempt.response_status, attempt.response_body) == (200, '{"ok": true}')
    assert attempt.request_headers["X-Kefu-Signature"] == request.headers["x-kefu-signature"]


def test_an_update_carries_before_and_after(hook_receiver, created, django_capture_on_commit_callbacks):
    from kefu.core.actors import Actor, Source
    from kefu.tickets.services import ticket_update

    WebhookFactory(url=hook_receiver.url, event_types=["ticket.updated"])
    ticket = created(subject="旧标题")
    with django_capture_on_commit_callbacks(execute=True):
        ticket_update(actor=Actor.system(), source=Source.API, ticket=ticket, changes={"subject": "新标题"})

    (request,) = hook_receiver.requests
    body = json.loads(request.body)
    assert body["event"] == "ticket.updated"
    assert body["data"]["changes"] == [{"field": "subject", "old": "旧标题", "new": "新标题"}]
    assert body["ticket"]["subject"] == "新标题"


def test_a_receiver_failing_three_times_gets_the_event_on_the_fourth_try(hook_receiver, created):
    hook_receiver.statuses = [500, 500, 500]
    WebhookFactory(url=hook_receiver.url, secret="whsec_k")

    with time_machine.travel(NOW, tick=False):
        created()
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.response_status) == (DeliveryStatus.RETRYING, 1, 500)
    assert delivery.next_attempt_at == NOW + retry_delay(1)
    assert "500" in delivery.error

    # Not due yet: nothing is sent.
    assert deliveries_send_due(now=NOW + retry_delay(1) - dt.timedelta(seconds=1)) == 0
    moment = NOW
    for attempt in (1, 2, 3):
        moment += retry_delay(attempt)
        assert deliveries_send_due(now=moment) == 1

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.response_status, delivery.next_attempt_at) == (
        DeliveryStatus.SUCCEEDED,
        4,
        200,
        None,
    )
    assert len(hook_receiver.requests) == 4
    assert len({r.body for r in hook_receiver.requests}) == 1  # the same payload every time
    last = hook_receiver.requests[-1]
    assert verify("whsec_k", last.headers["x-kefu-signature"], last.body, now=int(moment.timestamp()))
    assert [(a.response_status, a.response_body) for a in WebhookAttempt.objects.order_by("id")] == [
        (500, "upstream broke"),
        (500, "upstream broke"),
        (500, "upstream broke"),
        (200, '{"ok": true}'),
    ]
    assert delivery.subscription.failing_since is None
    assert delivery.subscription.last_success_at == moment


def test_back_off_grows_to_four_hours():
    assert [retry_delay(n).total_seconds() for n in (1, 2, 3, 4)] == [60, 120, 240, 480]
    assert retry_delay(20) == dt.timedelta(hours=4)


def test_after_a_day_of_failures_the_delivery_gives_up_and_the_webhook_is_disabled(
    hook_receiver, created, admin_agent, agent
):
    hook_receiver.statuses = [503] * 100
    hook = WebhookFactory(url=hook_receiver.url)
    with time_machine.travel(NOW, tick=False):
        created()
    moment = NOW
    while WebhookDelivery.objects.filter(status=DeliveryStatus.RETRYING).exists():
        moment = WebhookDelivery.objects.get().next_attempt_at
        with time_machine.travel(moment, tick=False):
            send_due()  # what beat runs: due attempts, then notices about webhooks turned off

    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.FAILED
    assert moment - NOW >= dt.timedelta(hours=24)
    assert delivery.attempts == len(hook_receiver.requests)
    hook.refresh_from_db()
    assert (hook.enabled, hook.disabled_reason) == (False, DisabledReason.FAILING)
    assert hook.admins_notified_at is not None
    # Only the administrator is told, once (other mail, such as the customer's acknowledgement, aside).
    notices = [m for m in mail.outbox if hook.name in m.subject]
    assert [m.to for m in notices] == [["admin@kefu.test"]]
    assert hook.url in notices[0].body


def test_a_disabled_subscription_sends_nothing(hook_receiver, created):
    WebhookFactory(url=hook_receiver.url, enabled=False, disabled_reason=DisabledReason.MANUAL)

    created()

    assert hook_receiver.requests == []
    assert not WebhookDelivery.objects.exists()


def test_a_pending_delivery_of_a_subscription_turned_off_is_not_sent(hook_receiver):
    hook = WebhookFactory(url=hook_receiver.url)
    event = Event(id=1, type=EventType.TICKET_CREATED, payload={"ticket_id": None}, created_at=NOW)
    (delivery_id,) = deliveries_for_events([event])  # queued after a commit that never comes here
    hook.enabled = False
    hook.save()

    assert delivery_send(delivery_id) == DeliveryStatus.FAILED
    assert hook_receiver.requests == []


def test_only_subscribed_event_types_and_matching_tickets(hook_receiver, created, department):
    WebhookFactory(url=hook_receiver.url, event_types=["ticket.replied"])
    WebhookFactory(
        url=hook_receiver.url,
        event_types=["ticket.created"],
        criteria={"all": [{"field": "subject", "op": "contains", "value": "发票"}]},
    )

    created(subject="打印机无法连接网络")
    created(subject="请开发票")

    assert [json.loads(r.body)["ticket"]["subject"] for r in hook_receiver.requests] == ["请开发票"]


def test_a_redelivered_outbox_event_makes_no_second_delivery(hook_receiver, created):
    WebhookFactory(url=hook_receiver.url)
    created()
    row = OutboxEvent.objects.get(event_type="ticket.created")
    event = Event(id=row.pk, type=EventType.TICKET_CREATED, payload=row.payload, created_at=row.created_at)

    # The consumer gets the same event again (a crash between the send and the receipt, say) …
    assert deliveries_for_events([event]) == []
    # … and the relay delivering it again with its receipts lost changes nothing either.
    OutboxEvent.objects.filter(pk=row.pk).update(delivered_at=None, claimed_until=None, attempts=0)
    OutboxReceipt.objects.filter(event_id=row.pk).delete()
    outbox_deliver([row.pk])

    assert WebhookDelivery.objects.count() == 1
    assert len(hook_receiver.requests) == 1


def test_a_loopback_target_is_refused_at_send_time_when_no_longer_allowed(hook_receiver, created, settings):
    WebhookFactory(url=hook_receiver.url)
    settings.KEFU_WEBHOOK_ALLOWED_NETWORKS = []

    created()

    delivery = WebhookDelivery.objects.get()
    assert hook_receiver.requests == []
    assert delivery.status == DeliveryStatus.RETRYING
    assert "127.0.0.1" in delivery.error
    assert "KEFU_WEBHOOK_ALLOWED_NETWORKS" in delivery.error


def test_an_unreachable_receiver_is_retried(settings, created):
    from kefu.webhooks.tests.receiver import receiver

    settings.KEFU_WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    with receiver() as gone:
        url = gone.url
    WebhookFactory(url=url)

    created()

    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.response_status) == (DeliveryStatus.RETRYING, None)
    assert delivery.error.startswith("ConnectError")


def test_a_rule_posts_a_webhook(hook_receiver, created):
    hook = WebhookFactory(url=hook_receiver.url, event_types=[])
    rule = WorkflowRuleFactory(name="通知 CRM", actions=[{"type": "webhook", "webhook_id": hook.pk}])

    ticket = created()

    (request,) = hook_receiver.requests
    body = json.loads(request.body)
    assert body["event"] == "rule.webhook"
    assert body["data"]["rule"] == {"kind": "rule", "id": rule.pk, "name": "通知 CRM"}
    assert body["ticket"]["id"] == ticket.pk
    assert WebhookDelivery.objects.get().event_id is None


def test_a_time_rule_posts_a_webhook(hook_receiver, create_ticket, django_capture_on_commit_callbacks):
    from kefu.automation.tests.factories import TimeRuleFactory
    from kefu.automation.workflow.sweep import time_rules_sweep

    hook = WebhookFactory(url=hook_receiver.url, event_types=[])
    ticket = create_ticket(subject="打印机无法连接网络")
    rule = TimeRuleFactory(
        name="提醒 CRM",
        criteria={"all": [{"field": "subject", "op": "contains", "value": "打印机"}]},
        actions=[{"type": "webhook", "webhook_id": hook.pk}],
    )

    with django_capture_on_commit_callbacks(execute=True):
        assert time_rules_sweep().fired == 1

    (request,) = hook_receiver.requests
    body = json.loads(request.body)
    assert (body["event"], body["ticket"]["id"], body["data"]["rule"]["id"]) == (
        "rule.webhook",
        ticket.pk,
        rule.pk,
    )


def test_conditions_that_cannot_be_evaluated_do_not_hold_back_other_webhooks(hook_receiver, created):
    WebhookFactory(
        url=hook_receiver.url, criteria={"all": [{"field": "custom_fields.gone", "op": "is", "value": "x"}]}
    )
    WebhookFactory(url=hook_receiver.url)

    created()

    assert len(hook_receiver.requests) == 1
    assert WebhookDelivery.objects.count() == 1
