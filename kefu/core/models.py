"""Cross-cutting records: the audit log, tags, stored idempotent responses, the catalogue version and the
outbox of domain events."""

from __future__ import annotations

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    """One write to anything, by whom and through which door: the trail administrators inspect.

    Tickets additionally keep their own event log (``tickets.TicketEvent``), which is the ticket's
    timeline; the audit log is the installation-wide record across every domain.
    """

    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor_kind = models.CharField(_("actor kind"), max_length=16)
    actor_id = models.BigIntegerField(_("actor id"), null=True, blank=True)
    actor_name = models.CharField(_("actor"), max_length=200, blank=True)
    source = models.CharField(_("source"), max_length=16)
    action = models.CharField(_("action"), max_length=64)
    object_type = models.CharField(_("object type"), max_length=64)
    object_id = models.BigIntegerField(_("object id"), null=True, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.actor_name} {self.action} {self.object_type}:{self.object_id}"


class Tag(models.Model):
    """A free label shared by tickets and contacts; names are compared case-insensitively."""

    name = models.CharField(_("name"), max_length=64, unique=True)

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class IdempotentRequest(models.Model):
    """The stored answer to a creating request sent with an ``Idempotency-Key`` header.

    A client that retries after a timeout sends the same key and gets the first answer back instead of
    creating a second ticket. Keys are scoped per user and endpoint.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    endpoint = models.CharField(max_length=255)
    request_hash = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField()
    response_body = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key", "endpoint"], name="core_idempotent_request_unique")
        ]

    def __str__(self) -> str:
        return f"{self.endpoint} {self.key}"


class CatalogVersion(models.Model):
    """One row whose number goes up whenever catalogue data (statuses, priorities, custom fields, help-desk
    settings) changes, so every web and worker process knows when its cached copy is out of date.

    See ``kefu.core.catalog_cache``.
    """

    version = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return str(self.version)


class OutboxEvent(models.Model):
    """A domain event, written in the transaction that caused it and delivered to its consumers after.

    Because the row commits (or rolls back) with the change itself, a crash between the commit and the
    delivery loses nothing: the relay finds the row still undelivered and hands it over again. Consumers
    record what they handled (``OutboxReceipt``), so a second delivery does nothing twice.
    """

    event_type = models.CharField(_("event type"), max_length=64)
    payload = models.JSONField(_("payload"), default=dict, encoder=DjangoJSONEncoder)
    created_at = models.DateTimeField(_("created"))
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    claimed_until = models.DateTimeField(null=True, blank=True)
    claim = models.CharField(max_length=32, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("outbox event")
        verbose_name_plural = _("outbox events")
        indexes = [
            models.Index(
                fields=["created_at", "id"],
                condition=models.Q(delivered_at__isnull=True),
                name="outbox_pending_idx",
            ),
            models.Index(fields=["delivered_at"], name="outbox_delivered_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.pk} {self.event_type}"


class OutboxReceipt(models.Model):
    """That one consumer has handled one event: what makes a redelivery harmless."""

    event = models.ForeignKey(OutboxEvent, on_delete=models.CASCADE, related_name="receipts")
    consumer = models.CharField(max_length=100)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "consumer"], name="core_outbox_receipt_unique")
        ]

    def __str__(self) -> str:
        return f"{self.event_id} {self.consumer}"
