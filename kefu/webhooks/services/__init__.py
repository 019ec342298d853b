"""Writes of the webhooks app: subscriptions (administrators) and deliveries (the outbox, rules, workers)."""

from kefu.webhooks.services.deliveries import (
    deliveries_for_events,
    deliveries_send_due,
    delivery_redeliver,
    delivery_send,
    disabled_notices_send,
    retry_delay,
    rule_delivery_create,
)
from kefu.webhooks.services.subscriptions import (
    authorize_webhooks,
    webhook_create,
    webhook_delete,
    webhook_secret_regenerate,
    webhook_update,
)

__all__ = [
    "authorize_webhooks",
    "deliveries_for_events",
    "deliveries_send_due",
    "delivery_redeliver",
    "delivery_send",
    "disabled_notices_send",
    "retry_delay",
    "rule_delivery_create",
    "webhook_create",
    "webhook_delete",
    "webhook_secret_regenerate",
    "webhook_update",
]
