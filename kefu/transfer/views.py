"""Console pages: imports (upload, column mapping, dry run, progress, error report) and exports."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kefu.core.actors import Actor, Source
from kefu.core.errors import ServiceError
from kefu.core.htmx import is_partial
from kefu.modules.selectors import readable_modules
from kefu.org import permissions
from kefu.org.decorators import agent_required
from kefu.org.selectors import department_list
from kefu.org.views.common import render_settings
from kefu.transfer import services
from kefu.transfer.forms import ExportForm, ImportUploadForm, MappingForm
from kefu.transfer.models import ImportJob, ImportKind, JobStatus
from kefu.transfer.readers import read_header
from kefu.transfer.reports import error_report_csv
from kefu.transfer.selectors import (
    export_job_get,
    export_jobs,
    first_errors,
    import_job_get,
    import_jobs,
    saved_mapping_get,
    saved_mappings,
)
from kefu.transfer.services.imports import TABULAR
from kefu.transfer.targets import targets_for

MANAGE = permissions.SETTINGS_MANAGE
NAV = "transfer"


def _modules(request: HttpRequest) -> list[tuple[str, str]]:
    return [(definition.key, definition.display_name) for definition in readable_modules(request.user)]


def _upload_form(request: HttpRequest, data: Any = None, files: Any = None) -> ImportUploadForm:
    return ImportUploadForm(
        data,
        files,
        modules=_modules(request),
        departments=[
            (department.code, department.display_name) for department in department_list(active_only=True)
        ],
    )


@agent_required(MANAGE)
def import_list(request: HttpRequest) -> HttpResponse:
    form = _upload_form(request, request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        uploaded = data["file"]
        path = services.save_upload(uploaded.name, uploaded.chunks())
        try:
            job = services.import_job_create(
                actor=Actor.agent(request.user),
                source=Source.WEB,
                kind=data["kind"],
                path=path,
                original_name=uploaded.name,
                module_key=data["module"],
                mapping={"department": data["department"]} if data["kind"] in ("zendesk", "zoho") else None,
            )
        except ServiceError as exc:
            for field, message in (exc.fields or {"": exc.message}).items():
                form.add_error(field if field in form.fields else None, message)
        else:
            return redirect("transfer:import", job.pk)
        finally:
            path.unlink(missing_ok=True)
    return render_settings(
        request, "transfer/imports.html", {"form": form, "jobs": import_jobs()[:20]}, nav=NAV
    )


def _job(job_id: int) -> ImportJob:
    job = import_job_get(job_id)
    if job is None:
        raise Http404
    return job


def _mapping_form(request: HttpRequest, job: ImportJob, data: Any = None) -> MappingForm:
    mapping = job.mapping
    chosen = request.GET.get("mapping", "")
    if chosen.isdigit() and (saved := saved_mapping_get(int(chosen))) is not None:
        mapping = saved.mapping
    return MappingForm(
        data, columns=read_header(job.path), targets=targets_for(job.kind, job.module_key), mapping=mapping
    )


def _context(request: HttpRequest, job: ImportJob, form: MappingForm | None = None) -> dict[str, Any]:
    tabular = job.kind in TABULAR
    return {
        "job": job,
        "form": form
        or (_mapping_form(request, job) if tabular and job.status == JobStatus.PENDING else None),
        "saved_mappings": saved_mappings(job.kind) if tabular else [],
        "errors": first_errors(job),
        "running": job.status == JobStatus.RUNNING,
        "kind_label": dict(ImportKind.choices).get(job.kind, job.kind),
    }


@agent_required(MANAGE)
def import_detail(request: HttpRequest, job_id: int) -> HttpResponse:
    """The mapping form of a waiting job; the progress and error report of a started one (polled)."""
    job = _job(job_id)
    form = None
    if request.method == "POST" and job.status == JobStatus.PENDING:
        actor = Actor.agent(request.user)
        form = _mapping_form(request, job, request.POST) if job.kind in TABULAR else None
        if form is None or form.is_valid():
            try:
                mapping = form.mapping() if form is not None else job.mapping
                dry_run = request.POST.get("action") == "dry_run"
                if form is not None and form.cleaned_data.get("save_as"):
                    services.mapping_save(
                        actor=actor, kind=job.kind, name=form.cleaned_data["save_as"], mapping=mapping
                    )
                job = services.import_mapping_set(actor=actor, job=job, mapping=mapping, dry_run=dry_run)
                services.import_start(actor=actor, job=job)
            except ServiceError as exc:
                if form is None:
                    raise
                for field, message in (exc.fields or {"": exc.message}).items():
                    form.add_error(None, f"{field}: {message}" if field else message)
            else:
                return redirect("transfer:import", job.pk)
    context = _context(request, job, form)
    if is_partial(request):
        return render(request, "transfer/partials/import_progress.html", context)
    return render_settings(request, "transfer/import.html", context, nav=NAV)


@require_POST
@agent_required(MANAGE)
def import_for_real(request: HttpRequest, job_id: int) -> HttpResponse:
    """After a dry run: the same file and mapping, imported."""
    job = _job(job_id)
    actor = Actor.agent(request.user)
    again = services.import_job_create(
        actor=actor,
        source=Source.WEB,
        kind=job.kind,
        path=job.path,
        original_name=job.original_name,
        mapping=job.mapping,
        module_key=job.module_key,
        copy=False,
    )
    services.import_start(actor=actor, job=again)
    messages.success(request, _("The import has started."))
    return redirect("transfer:import", again.pk)


@agent_required(MANAGE)
def import_errors(request: HttpRequest, job_id: int) -> StreamingHttpResponse:
    job = _job(job_id)
    response = StreamingHttpResponse(error_report_csv(job), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="import-{job.pk}-errors.csv"'
    return response


@agent_required()
def export_list(request: HttpRequest) -> HttpResponse:
    form = ExportForm(request.POST or None, modules=_modules(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            job = services.export_job_create(
                actor=Actor.agent(request.user),
                source=Source.WEB,
                kind=data["kind"],
                fmt=data["format"],
                module_key=data["module"],
            )
        except ServiceError as exc:
            for field, message in (exc.fields or {"": exc.message}).items():
                form.add_error(field if field in form.fields else None, message)
        else:
            services.export_start(job=job)
            messages.success(request, _("The export has started."))
            return redirect("transfer:exports")
    jobs = list(export_jobs(request.user)[:20])
    context = {
        "form": form,
        "jobs": jobs,
        "running": any(job.status in (JobStatus.PENDING, JobStatus.RUNNING) for job in jobs),
    }
    if is_partial(request):
        return render(request, "transfer/partials/export_table.html", context)
    return render(request, "transfer/exports.html", context)


@agent_required()
def export_download(request: HttpRequest, job_id: int) -> FileResponse:
    job = export_job_get(request.user, job_id)
    if job is None or job.status != JobStatus.DONE or not Path(job.path).is_file():
        raise Http404
    return FileResponse(Path(job.path).open("rb"), as_attachment=True, filename=Path(job.path).name)
