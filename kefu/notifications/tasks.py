"""Celery tasks of notifications: send deliveries (ids in, a service call), and beat's re-queue."""

from __future__ import annotations

from celery import shared_task

from kefu.notifications.services import deliveries_requeue_stale, deliveries_send


@shared_task(name="notifications.send")
def send_notifications(delivery_ids: list[int]) -> dict[str, int]:
    return deliveries_send(delivery_ids=[int(pk) for pk in delivery_ids])


@shared_task(name="notifications.requeue")
def requeue_notifications() -> int:
    """Deliveries whose task was lost, or waiting for another attempt, are sent from here."""
    ids = deliveries_requeue_stale()
    if ids:
        deliveries_send(delivery_ids=ids)
    return len(ids)
