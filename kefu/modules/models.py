"""Custom modules: record types an administrator defines (车辆 Vehicles, 合同 Contracts …) and their records.

A module is a small table of its own: its fields are described by :class:`ModuleField` (the twelve
custom-field types plus ``lookup``), a record keeps its values in one JSON object keyed by field key, and
every lookup value is mirrored in :class:`RecordLink` so that "the records that point at this contact /
ticket / record" is an indexed query. Tickets know nothing of modules: the ticket side of a lookup lives
here, as links whose target is a ticket id.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kefu.core.i18n import BilingualNameMixin


class CustomModule(BilingualNameMixin):
    """A record type defined by an administrator; ``key`` names it in URLs and the API."""

    key = models.SlugField(_("key"), max_length=40, unique=True)
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("custom module")
        verbose_name_plural = _("custom modules")
        ordering = ["order", "id"]


class ModuleField(models.Model):
    """One field of a module. Key and type are fixed once created (stored values are keyed and typed by
    them); a field that is no longer wanted is deactivated, which keeps its stored values."""

    LOOKUP = "lookup"
    LOOKUP_TICKETS = "tickets"
    LOOKUP_CONTACTS = "contacts"
    LOOKUP_ACCOUNTS = "accounts"

    module = models.ForeignKey(CustomModule, on_delete=models.CASCADE, related_name="fields")
    key = models.SlugField(_("key"), max_length=64)
    label = models.CharField(_("label"), max_length=100)
    label_en = models.CharField(_("English label"), max_length=100, blank=True)
    field_type = models.CharField(_("type"), max_length=16)
    choices = models.JSONField(_("choices"), default=list, blank=True)
    is_required = models.BooleanField(_("required"), default=False)
    lookup_module = models.CharField(_("looks up"), max_length=40, blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("module field")
        verbose_name_plural = _("module fields")
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["module", "key"], name="modules_field_unique_key")]

    def __str__(self) -> str:
        return self.display_label

    @property
    def display_label(self) -> str:
        from django.utils.translation import get_language

        if (get_language() or "").startswith("en") and self.label_en:
            return self.label_en
        return self.label

    @property
    def is_lookup(self) -> bool:
        return self.field_type == self.LOOKUP

    @property
    def is_ticket_lookup(self) -> bool:
        """A lookup to tickets is many-valued: many tickets (breakdowns) point at one record (the car)."""
        return self.is_lookup and self.lookup_module == self.LOOKUP_TICKETS


class ModuleRoleAccess(models.Model):
    """How far one role may go in one module: read records, write them, or manage the module."""

    class Level(models.IntegerChoices):
        NONE = 0, _("No access")
        READ = 1, _("Read")
        WRITE = 2, _("Read and write")
        MANAGE = 3, _("Manage")

    module = models.ForeignKey(CustomModule, on_delete=models.CASCADE, related_name="role_access")
    role = models.ForeignKey("org.Role", on_delete=models.CASCADE, related_name="module_access")
    level = models.PositiveSmallIntegerField(_("access"), choices=Level.choices, default=Level.READ)

    class Meta:
        verbose_name = _("module access")
        verbose_name_plural = _("module access")
        constraints = [models.UniqueConstraint(fields=["module", "role"], name="modules_access_unique_role")]

    def __str__(self) -> str:
        return f"{self.module_id}:{self.role_id}={self.level}"


class Record(models.Model):
    """One record of a module (one vehicle). ``title`` and ``search_text`` are derived from the values
    by the services: the title names the record in lookups, the search text is what search matches."""

    module = models.ForeignKey(CustomModule, on_delete=models.CASCADE, related_name="records")
    values = models.JSONField(_("values"), default=dict, blank=True)
    title = models.CharField(_("title"), max_length=255, blank=True)
    search_text = models.TextField(blank=True)
    external_id = models.CharField(_("external id"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("record")
        verbose_name_plural = _("records")
        indexes = [models.Index(fields=["module", "created_at", "id"], name="modules_record_listing")]
        constraints = [
            models.UniqueConstraint(
                fields=["module", "external_id"],
                condition=~Q(external_id=""),
                name="modules_record_unique_external_id",
            )
        ]

    def __str__(self) -> str:
        return self.title or f"#{self.pk}"


class RecordLink(models.Model):
    """A lookup value: ``record``'s ``field`` points at a ticket, contact, account or another record.

    For a lookup to tickets a record has any number of links, and a ticket has at most one record per
    field (the car that broke down); other lookups hold one link per record and field.
    """

    class Target(models.TextChoices):
        TICKET = "ticket", _("Ticket")
        CONTACT = "contact", _("Contact")
        ACCOUNT = "account", _("Account")
        RECORD = "record", _("Record")

    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="links")
    field = models.ForeignKey(ModuleField, on_delete=models.CASCADE, related_name="links")
    target_type = models.CharField(max_length=8, choices=Target.choices)
    target_id = models.BigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["target_type", "target_id"], name="modules_link_target")]
        constraints = [
            models.UniqueConstraint(
                fields=["field", "target_id"],
                condition=Q(target_type="ticket"),
                name="modules_link_one_record_per_ticket",
            ),
            models.UniqueConstraint(fields=["record", "field", "target_id"], name="modules_link_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.record_id} → {self.target_type} {self.target_id}"


class RecordView(models.Model):
    """A saved set of filters on a module's record list, the owner's own or shared with everyone."""

    module = models.ForeignKey(CustomModule, on_delete=models.CASCADE, related_name="views")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=100)
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    is_shared = models.BooleanField(_("shared"), default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("saved view")
        verbose_name_plural = _("saved views")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name
