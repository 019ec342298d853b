"""Notifications: who is told what about a ticket, in which words, and the record of each telling."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationRule(models.Model):
    """One built-in notification turned on or off for a department, with whom it goes to.

    The catalogue (``kefu.notifications.catalog``) defines the notifications; a department without a row
    for one uses the catalogue's default (on or off, default recipients). ``recipients`` are the
    catalogue's recipient kinds (``contact``, ``cc``, ``assignee``, ``team``, ``followers``,
    ``supervisors``); ``addresses`` are further email addresses that always receive it.
    """

    department = models.ForeignKey("org.Department", on_delete=models.CASCADE, related_name="+")
    event = models.CharField(_("notification"), max_length=48)
    enabled = models.BooleanField(_("on"), default=True)
    recipients = models.JSONField(_("recipients"), default=list, blank=True)
    addresses = models.JSONField(_("other addresses"), default=list, blank=True)
    channels = models.JSONField(_("channels"), default=list, blank=True)
    """For customers and other addresses: ``email`` and/or ``sms`` (agents choose their own)."""
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["department", "event"], name="notification_rule_once")]
        verbose_name = _("notification rule")
        verbose_name_plural = _("notification rules")

    def __str__(self) -> str:
        return f"{self.department_id}:{self.event}"


class NotificationTemplate(models.Model):
    """The words of one notification in one language: a subject, an HTML body and a text body.

    Jinja2 templates rendered in a sandbox over plain values (see ``kefu.notifications.rendering``).
    Every notification has a row per language from the start, holding the shipped default until an
    administrator edits it; "reset to default" writes the shipped text back.
    """

    event = models.CharField(_("notification"), max_length=48)
    language = models.CharField(_("language"), max_length=16)
    subject = models.CharField(_("subject"), max_length=300)
    body_html = models.TextField(_("HTML body"))
    body_text = models.TextField(_("text body"))
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["event", "language"]
        constraints = [
            models.UniqueConstraint(fields=["event", "language"], name="notification_template_once")
        ]
        verbose_name = _("notification template")
        verbose_name_plural = _("notification templates")

    def __str__(self) -> str:
        return f"{self.event} ({self.language})"


class Channel(models.TextChoices):
    EMAIL = "email", _("Email")
    SMS = "sms", _("SMS")
    IN_APP = "in_app", _("In the console")


class NotificationDelivery(models.Model):
    """One notification to one recipient through one channel: made once, sent at most once.

    ``key`` names what caused it (an outbox event and the notification, or a rule's action), so that
    the unique constraint on (key, recipient, channel) makes a redelivered event produce nothing
    twice. An email or SMS delivery is **claimed** by the sending task with a conditional UPDATE and
    marked sent after the hand-over; beat queues again the ones whose task was lost.
    """

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENT = "sent", _("Sent")
        SKIPPED = "skipped", _("Not sent")
        FAILED = "failed", _("Failed")

    key = models.CharField(max_length=120)
    recipient = models.CharField(_("recipient"), max_length=320)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    event = models.CharField(_("notification"), max_length=48)
    ticket_id = models.BigIntegerField(null=True, blank=True)
    language = models.CharField(max_length=16, blank=True)
    subject = models.CharField(max_length=300, blank=True)
    body_html = models.TextField(blank=True)
    body_text = models.TextField(blank=True)
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.QUEUED)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(db_index=True)
    source_at = models.DateTimeField(null=True, blank=True)
    """When the change that caused it committed (the outbox event's time): latency is measured from it."""

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "recipient", "channel"], name="notification_delivery_once")
        ]
        indexes = [
            models.Index(fields=["state", "channel", "created_at"], name="notification_delivery_due"),
            models.Index(fields=["recipient", "created_at"], name="notification_delivery_rate"),
        ]
        verbose_name = _("notification delivery")
        verbose_name_plural = _("notification deliveries")

    def __str__(self) -> str:
        return f"{self.event} → {self.recipient} ({self.channel})"


class Notification(models.Model):
    """An in-app notification: an entry under an agent's bell, read or not, linking to its ticket."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    delivery = models.OneToOneField(
        NotificationDelivery, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    event = models.CharField(_("notification"), max_length=48)
    ticket_id = models.BigIntegerField(null=True, blank=True)
    text = models.CharField(_("text"), max_length=500)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    created_at = models.DateTimeField(_("time"))

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread")]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self) -> str:
        return self.text


class NotificationPreference(models.Model):
    """An agent's choices: which notifications, through which channels, and hours without email/SMS.

    ``channels`` maps a notification to the channels wanted for it (``{"agent.mentioned": ["in_app",
    "email"]}``); a notification not listed uses the catalogue's default channels. During the quiet
    hours (the agent's time zone; they may span midnight) only in-app notifications are made.
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    channels = models.JSONField(_("channels"), default=dict, blank=True)
    quiet_from = models.TimeField(_("quiet from"), null=True, blank=True)
    quiet_until = models.TimeField(_("quiet until"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return str(self.user_id)
