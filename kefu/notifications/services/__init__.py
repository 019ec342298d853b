"""Notification writes: rules, templates, preferences, the in-app list, and producing deliveries."""

from kefu.notifications.services.dispatch import notify, on_ticket_events
from kefu.notifications.services.sending import deliveries_requeue_stale, deliveries_send, delivery_send
from kefu.notifications.services.settings import (
    notifications_mark_read,
    preference_set,
    rule_set,
    template_preview,
    template_reset,
    template_update,
    templates_ensure,
)

__all__ = [
    "deliveries_requeue_stale",
    "deliveries_send",
    "delivery_send",
    "notifications_mark_read",
    "notify",
    "on_ticket_events",
    "preference_set",
    "rule_set",
    "template_preview",
    "template_reset",
    "template_update",
    "templates_ensure",
]
