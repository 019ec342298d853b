"""Reads of the webhooks app (administrators' screens and the API)."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from kefu.webhooks.models import DeliveryStatus, WebhookAttempt, WebhookDelivery, WebhookSubscription


def webhook_list() -> QuerySet[WebhookSubscription]:
    """Every subscription with its count of failed deliveries (one query)."""
    return WebhookSubscription.objects.annotate(
        failed_count=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.FAILED))
    ).order_by("name", "id")


def webhook_get(subscription_id: int) -> WebhookSubscription | None:
    return WebhookSubscription.objects.filter(pk=subscription_id).first()


def delivery_list(subscription: WebhookSubscription) -> QuerySet[WebhookDelivery]:
    """The subscription's delivery log, newest first (callers paginate it)."""
    return WebhookDelivery.objects.filter(subscription=subscription)


def delivery_get(subscription: WebhookSubscription, delivery_id: int) -> WebhookDelivery | None:
    return (
        WebhookDelivery.objects.select_related("subscription")
        .filter(subscription=subscription, pk=delivery_id)
        .first()
    )


def attempt_list(delivery: WebhookDelivery) -> QuerySet[WebhookAttempt]:
    return WebhookAttempt.objects.filter(delivery=delivery).order_by("id")
