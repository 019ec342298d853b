"""Celery tasks of the webhooks app: load ids, call the delivery services, nothing more."""

from __future__ import annotations

from celery import shared_task

from kefu.webhooks.services import deliveries_send_due, delivery_send, disabled_notices_send


@shared_task(name="webhooks.send", ignore_result=True)
def send_deliveries(delivery_ids: list[int]) -> int:
    """The first attempt at fresh deliveries (the next ones are beat's, when due)."""
    return sum(1 for delivery_id in delivery_ids if delivery_send(delivery_id) is not None)


@shared_task(name="webhooks.send_due", ignore_result=True)
def send_due() -> int:
    """Beat: deliveries whose next attempt is due, and notices about subscriptions turned off."""
    tried = deliveries_send_due()
    disabled_notices_send()
    return tried


@shared_task(name="webhooks.notify_disabled", ignore_result=True)
def notify_disabled() -> int:
    return disabled_notices_send()
