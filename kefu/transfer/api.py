"""REST endpoints: ``/imports`` (administrators) and ``/exports`` (agents, for what they may see)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.http import FileResponse, Http404, HttpRequest, StreamingHttpResponse
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile

from kefu.core.actors import Actor, Source
from kefu.core.api_types import ERRORS, Id
from kefu.core.errors import PermissionDenied, ValidationFailed
from kefu.org import permissions
from kefu.org.selectors import agent_access
from kefu.transfer import services
from kefu.transfer.models import ExportJob, ImportJob, JobStatus
from kefu.transfer.reports import error_report_csv
from kefu.transfer.schemas import ExportIn, ExportOut, ImportOut
from kefu.transfer.selectors import export_job_get, import_job_get

imports_router = Router(tags=["imports"])
exports_router = Router(tags=["exports"])


def _administrator(request: HttpRequest) -> Actor:
    access = agent_access(request.auth)
    if not access.is_agent or not access.can(permissions.SETTINGS_MANAGE):
        raise PermissionDenied(_("Only administrators can import."))
    return Actor.agent(request.auth)


def import_out(job: ImportJob) -> dict[str, Any]:
    return {
        "id": job.pk,
        "kind": job.kind,
        "module": job.module_key,
        "file_name": job.original_name,
        "dry_run": job.dry_run,
        "status": job.status,
        "total_rows": job.total_rows,
        "processed_rows": job.processed_rows,
        "percent": job.percent,
        "imported": job.imported,
        "skipped": job.skipped,
        "errors": job.errors,
        "message": job.message,
        "mapping": job.mapping,
        "error_report_url": f"/api/v1/imports/{job.pk}/errors",
        "created_at": job.created_at,
        "finished_at": job.finished_at,
    }


@imports_router.post("", response={202: ImportOut, **ERRORS}, summary="Start an import (a job)")
def create_import(
    request: HttpRequest,
    file: File[UploadedFile],
    kind: Form[str],
    module: Form[str] = "",
    dry_run: Form[bool] = False,
    mapping: Form[str] = "",
) -> Status[dict[str, Any]]:
    """Upload a CSV/XLSX file (or a Zendesk/Zoho ZIP) and import it in the background; ``mapping`` is a
    JSON object ``{column: target}`` (or, for Zendesk/Zoho, ``{"department": code}``). Poll
    ``GET /imports/{id}`` for the progress."""
    actor = _administrator(request)
    try:
        given = json.loads(mapping) if mapping.strip() else None
    except json.JSONDecodeError as exc:
        raise ValidationFailed(
            _("The import is not valid."), fields={"mapping": _("Enter a JSON object.")}
        ) from exc
    if given is not None and not (
        isinstance(given, dict) and all(isinstance(v, str) for v in given.values())
    ):
        raise ValidationFailed(_("The import is not valid."), fields={"mapping": _("Enter a JSON object.")})
    upload = services.save_upload(file.name or "upload", file.chunks())
    try:
        job = services.import_job_create(
            actor=actor,
            source=Source.API,
            kind=kind,
            path=upload,
            original_name=file.name or upload.name,
            mapping=given,
            module_key=module,
            dry_run=dry_run,
        )
    finally:
        upload.unlink(missing_ok=True)
    services.import_start(actor=actor, job=job)
    return Status(202, import_out(job))


def _import(request: HttpRequest, job_id: int) -> ImportJob:
    _administrator(request)
    job = import_job_get(job_id)
    if job is None:
        raise Http404
    return job


@imports_router.get("/{job_id}", response={200: ImportOut, **ERRORS}, summary="An import's progress")
def get_import(request: HttpRequest, job_id: Id) -> dict[str, Any]:
    return import_out(_import(request, job_id))


@imports_router.get(
    "/{job_id}/errors", response={200: None, **ERRORS}, summary="An import's error report (CSV)"
)
def import_errors(request: HttpRequest, job_id: Id) -> StreamingHttpResponse:
    job = _import(request, job_id)
    response = StreamingHttpResponse(error_report_csv(job), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="import-{job.pk}-errors.csv"'
    return response


def export_out(job: ExportJob) -> dict[str, Any]:
    return {
        "id": job.pk,
        "kind": job.kind,
        "module": job.module_key,
        "format": job.format,
        "status": job.status,
        "total_rows": job.total_rows,
        "processed_rows": job.processed_rows,
        "percent": job.percent,
        "download_url": f"/api/v1/exports/{job.pk}/download" if job.status == JobStatus.DONE else "",
        "created_at": job.created_at,
        "finished_at": job.finished_at,
    }


@exports_router.post("", response={202: ExportOut, **ERRORS}, summary="Start an export (a job)")
def create_export(request: HttpRequest, payload: ExportIn) -> Status[dict[str, Any]]:
    if not agent_access(request.auth).is_agent:
        raise PermissionDenied(_("Only agents can export."))
    job = services.export_job_create(
        actor=Actor.agent(request.auth),
        source=Source.API,
        kind=payload.kind,
        fmt=payload.format,
        module_key=payload.module,
    )
    services.export_start(job=job)
    return Status(202, export_out(job))


def _export(request: HttpRequest, job_id: int) -> ExportJob:
    job = export_job_get(request.auth, job_id) if agent_access(request.auth).is_agent else None
    if job is None:
        raise Http404
    return job


@exports_router.get("/{job_id}", response={200: ExportOut, **ERRORS}, summary="An export's progress")
def get_export(request: HttpRequest, job_id: Id) -> dict[str, Any]:
    return export_out(_export(request, job_id))


@exports_router.get(
    "/{job_id}/download", response={200: None, **ERRORS}, summary="Download a finished export"
)
def download_export(request: HttpRequest, job_id: Id) -> FileResponse:
    job = _export(request, job_id)
    if job.status != JobStatus.DONE or not Path(job.path).is_file():
        raise Http404
    return FileResponse(Path(job.path).open("rb"), as_attachment=True, filename=Path(job.path).name)
