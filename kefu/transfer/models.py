"""Moving data in and out: import jobs with their checkpoint and per-row errors, the external ids that make
imports idempotent, saved column mappings, and export jobs.

An import is resumable because its progress is data: ``ImportJob.processed_rows`` is written in the same
transaction as the rows it counts, so after a crash the job resumes exactly where the last committed
batch ended; ``ExternalKey`` makes a row that was committed but not yet counted (it cannot happen with
the shared transaction, but a re-import of the same file can) a skip, never a duplicate.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ImportKind(models.TextChoices):
    CONTACTS = "contacts", _("Contacts")
    ACCOUNTS = "accounts", _("Accounts")
    TICKETS = "tickets", _("Tickets")
    ARTICLES = "articles", _("Knowledge base articles")
    RECORDS = "records", _("Module records")
    ZENDESK = "zendesk", _("Zendesk export")
    ZOHO = "zoho", _("Zoho Desk export")


class JobStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Running")
    DONE = "done", _("Finished")
    FAILED = "failed", _("Failed")


class ImportJob(models.Model):
    """One import of one file: what it holds, how its columns map, and how far it got."""

    kind = models.CharField(_("kind"), max_length=16, choices=ImportKind.choices)
    module_key = models.CharField(_("module"), max_length=40, blank=True)
    path = models.CharField(_("file"), max_length=1000)
    original_name = models.CharField(_("file name"), max_length=255)
    file_sha256 = models.CharField(max_length=64, db_index=True)
    mapping = models.JSONField(_("column mapping"), default=dict, blank=True)
    dry_run = models.BooleanField(_("dry run"), default=False)
    status = models.CharField(
        _("status"), max_length=16, choices=JobStatus.choices, default=JobStatus.PENDING
    )
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows processed"), default=0)
    imported = models.PositiveIntegerField(_("imported"), default=0)
    skipped = models.PositiveIntegerField(_("skipped"), default=0)
    errors = models.PositiveIntegerField(_("errors"), default=0)
    message = models.TextField(blank=True)
    reindexed = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.original_name}"

    @property
    def percent(self) -> int:
        if not self.total_rows:
            return 100 if self.status == JobStatus.DONE else 0
        return min(100, self.processed_rows * 100 // self.total_rows)


class ImportRowError(models.Model):
    """Why one row (or one message of a ticket) was not imported; the error report lists these."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="row_errors")
    row = models.PositiveIntegerField(_("row"))
    field = models.CharField(_("field"), max_length=200, blank=True)
    message = models.TextField(_("error"))

    class Meta:
        ordering = ["row", "id"]

    def __str__(self) -> str:
        return f"{self.row} {self.field}: {self.message}"


class ExternalKey(models.Model):
    """``(kind, scope, external id) → object id``: what an import already brought in, by the source
    system's id (or, for rows without one, the file's digest and the row number)."""

    kind = models.CharField(max_length=16)
    scope = models.CharField(max_length=100, blank=True)
    external_id = models.CharField(max_length=255)
    object_id = models.BigIntegerField()
    job = models.ForeignKey(ImportJob, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "scope", "external_id"], name="transfer_external_key_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.scope}:{self.external_id} → {self.object_id}"


class SavedMapping(models.Model):
    """A column mapping kept under a name, to import the next file of the same shape."""

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=16, choices=ImportKind.choices)
    mapping = models.JSONField(_("column mapping"), default=dict)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("saved mapping")
        verbose_name_plural = _("saved mappings")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["kind", "name"], name="transfer_mapping_unique_name")]

    def __str__(self) -> str:
        return self.name


class ExportJob(models.Model):
    """An export of one kind of object, as the requesting agent may see them, to CSV or XLSX."""

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "XLSX"

    kind = models.CharField(_("kind"), max_length=16, choices=ImportKind.choices)
    module_key = models.CharField(_("module"), max_length=40, blank=True)
    format = models.CharField(_("format"), max_length=8, choices=Format.choices, default=Format.CSV)
    status = models.CharField(
        _("status"), max_length=16, choices=JobStatus.choices, default=JobStatus.PENDING
    )
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    path = models.CharField(max_length=1000, blank=True)
    message = models.TextField(blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind}.{self.format}"

    @property
    def percent(self) -> int:
        if not self.total_rows:
            return 100 if self.status == JobStatus.DONE else 0
        return min(100, self.processed_rows * 100 // self.total_rows)
