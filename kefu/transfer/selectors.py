"""Reads of the import/export app: jobs, their error reports, saved mappings."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import QuerySet

from kefu.org.models import User
from kefu.transfer.models import ExportJob, ImportJob, ImportRowError, SavedMapping


def import_job_get(job_id: int) -> ImportJob | None:
    return ImportJob.objects.filter(pk=job_id).first()


def import_jobs() -> QuerySet[ImportJob]:
    return ImportJob.objects.order_by("-created_at", "-id")


def error_rows(job: ImportJob) -> Iterator[tuple[int, str, str]]:
    """The job's refused rows in file order, streamed (a report may be long)."""
    rows = ImportRowError.objects.filter(job=job).order_by("row", "id").values_list("row", "field", "message")
    yield from rows.iterator(chunk_size=2000)


def first_errors(job: ImportJob, limit: int = 100) -> list[ImportRowError]:
    return list(ImportRowError.objects.filter(job=job).order_by("row", "id")[:limit])


def saved_mappings(kind: str) -> QuerySet[SavedMapping]:
    return SavedMapping.objects.filter(kind=kind).order_by("name")


def saved_mapping_get(mapping_id: int) -> SavedMapping | None:
    return SavedMapping.objects.filter(pk=mapping_id).first()


def export_jobs(user: User) -> QuerySet[ExportJob]:
    """An agent's own exports: a file holds what he may see, so it is his alone to download."""
    return ExportJob.objects.filter(requested_by=user).order_by("-created_at", "-id")


def export_job_get(user: User, job_id: int) -> ExportJob | None:
    return export_jobs(user).filter(pk=job_id).first()
