"""Outgoing webhooks: who wants to hear about what (subscriptions), what was sent (deliveries, attempts)."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from kefu.core.fields import EncryptedTextField


class DisabledReason(models.TextChoices):
    NONE = "", _("Enabled")
    MANUAL = "manual", _("Turned off by an administrator")
    FAILING = "failing", _("Failing for a day")


class WebhookSubscription(models.Model):
    """A receiver outside the help desk: the events it wants, an optional ticket condition, where to send.

    ``event_types`` lists ``EventType`` values; a subscription with none is only posted to by rules
    ("post a webhook"). ``criteria`` is a criteria-engine definition over the ticket of a ticket event
    (``{"all": []}``: every ticket). ``secret`` signs every delivery (HMAC-SHA256, docs/webhooks.md).
    ``failing_since`` is the first failed attempt since the last success: after a day of failures the
    subscription is disabled (``disabled_reason=failing``) and administrators are told once
    (``admins_notified_at``).
    """

    name = models.CharField(_("name"), max_length=200)
    url = models.URLField(_("URL"), max_length=2000)
    secret = EncryptedTextField(_("secret"))
    event_types = models.JSONField(_("events"), default=list, blank=True)
    criteria = models.JSONField(_("conditions"), default=dict, blank=True)
    enabled = models.BooleanField(_("enabled"), default=True)
    disabled_reason = models.CharField(
        _("why disabled"), max_length=16, choices=DisabledReason.choices, default="", blank=True
    )
    failing_since = models.DateTimeField(null=True, blank=True)
    admins_notified_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_failure_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")

    def __str__(self) -> str:
        return self.name


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    RETRYING = "retrying", _("Retrying")
    SUCCEEDED = "succeeded", _("Delivered")
    FAILED = "failed", _("Failed")


class WebhookDelivery(models.Model):
    """One payload for one subscription, sent until the receiver answers 2xx or 24 hours have passed.

    A delivery made from an outbox event is unique per subscription and event (``event_id``), so a
    redelivered event never sends twice; one made by a rule or by "send again" has no ``event_id``.
    ``body`` is the exact JSON sent on every attempt; the summary of the last attempt is kept here for
    the log, each attempt in ``WebhookAttempt``.
    """

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    subscription = models.ForeignKey(WebhookSubscription, on_delete=models.CASCADE, related_name="deliveries")
    event_id = models.BigIntegerField(null=True, blank=True)
    event_type = models.CharField(max_length=64)
    ticket_id = models.BigIntegerField(null=True, blank=True)
    body = models.TextField()
    redelivery_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    response_status = models.PositiveIntegerField(null=True, blank=True)
    latency_ms = models.PositiveIntegerField(null=True, blank=True)
    error = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "event_id"],
                condition=models.Q(event_id__isnull=False),
                name="webhook_delivery_once_per_event",
            )
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="webhook_delivery_due"),
            models.Index(fields=["subscription", "-id"], name="webhook_delivery_log"),
        ]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")

    def __str__(self) -> str:
        return f"{self.event_type} → {self.subscription_id} ({self.status})"


class WebhookAttempt(models.Model):
    """One HTTP request of a delivery: what was sent, what came back, how long it took."""

    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE, related_name="attempt_log")
    at = models.DateTimeField()
    request_headers = models.JSONField(default=dict)
    response_status = models.PositiveIntegerField(null=True, blank=True)
    response_body = models.TextField(blank=True, default="")
    latency_ms = models.PositiveIntegerField(null=True, blank=True)
    error = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["delivery", "id"]
        verbose_name = _("webhook attempt")
        verbose_name_plural = _("webhook attempts")

    def __str__(self) -> str:
        return f"{self.delivery_id} at {self.at:%Y-%m-%d %H:%M:%S}: {self.response_status or self.error[:40]}"
