"""The webhooks' outbox consumer, registered in ``WebhooksConfig.ready``."""

from __future__ import annotations

from kefu.core.events import Event
from kefu.webhooks.services import deliveries_for_events

CONSUMER = "webhooks.deliveries"


def on_events(events: list[Event]) -> None:
    deliveries_for_events(events)
