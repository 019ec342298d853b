"""Running an import: items from the source, through the importers, in checkpointed batches.

Every batch is one transaction holding its rows, their external keys, their errors and the job's new
counts and checkpoint (``processed_rows``): a crash loses the batch in flight and nothing else, and
running the job again resumes right after the last committed batch. Each item sits in a savepoint, so a
refused row leaves nothing behind. A dry run does the same work through the same services and rolls
the data back, keeping only the counts and the error report. Events are suppressed while importing (no
notification mails for history); the imported tickets are re-indexed once at the end.
"""

from __future__ import annotations

import hashlib
import itertools
import os
import shutil
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from kefu.core import events
from kefu.core.actors import Actor, ActorKind, Source
from kefu.core.audit import audit_record
from kefu.core.crash_points import crash_point
from kefu.core.errors import NotFound, PermissionDenied, ServiceError, ValidationFailed
from kefu.modules.selectors import module_definition
from kefu.org import permissions
from kefu.org.models import User
from kefu.org.services import require_permission
from kefu.transfer.importers import IMPORTERS, Context
from kefu.transfer.items import Item
from kefu.transfer.models import ExternalKey, ImportJob, ImportKind, ImportRowError, JobStatus, SavedMapping
from kefu.transfer.readers import read_header
from kefu.transfer.sources import (
    tabular_items,
    tabular_size,
    zendesk_items,
    zendesk_size,
    zoho_items,
    zoho_size,
)
from kefu.transfer.targets import default_mapping, targets_for

BATCH_ROWS = 200
TABULAR = ("contacts", "accounts", "tickets", "articles", "records")
MAX_ERRORS_PER_ITEM = 20


def file_digest(path: Path) -> str:
    """The SHA-256 of the file (of every file's name and bytes, for an export given as a folder)."""
    digest = hashlib.sha256()
    files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    for file in files:
        if path.is_dir():
            digest.update(str(file.relative_to(path)).encode())
        with file.open("rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
    return digest.hexdigest()


def upload_folder() -> Path:
    folder = Path(settings.MEDIA_ROOT) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _check_actor(actor: Actor) -> None:
    """Imports write everything at once: administrators (the settings permission) and the system."""
    if actor.kind not in (ActorKind.AGENT, ActorKind.SYSTEM):
        raise PermissionDenied(_("You do not have permission to do this."))
    require_permission(actor, permissions.SETTINGS_MANAGE)


def _size(kind: str, path: str) -> int:
    if kind == ImportKind.ZENDESK:
        return zendesk_size(path)
    if kind == ImportKind.ZOHO:
        return zoho_size(path)
    return tabular_size(path)


def _clean_mapping(
    kind: str, module_key: str, mapping: Mapping[str, str], header: list[str]
) -> dict[str, str]:
    known = {target for target, _label in targets_for(kind, module_key)}
    errors = {
        f"mapping.{column}": _("Unknown target: %(target)s.") % {"target": target}
        for column, target in mapping.items()
        if target and target not in known
    }
    errors.update(
        {
            f"mapping.{column}": _("The file has no such column.")
            for column in mapping
            if header and column not in header
        }
    )
    if errors:
        raise ValidationFailed(_("The column mapping is not valid."), fields=errors)
    return {column: target for column, target in mapping.items() if target}


def import_job_create(
    *,
    actor: Actor,
    source: Source,
    kind: str,
    path: str | Path,
    original_name: str = "",
    mapping: Mapping[str, str] | None = None,
    module_key: str = "",
    dry_run: bool = False,
    copy: bool = True,
) -> ImportJob:
    """A new import of the file at ``path`` (copied under the media folder unless ``copy`` is false, as
    for the command line, which imports the file in place). Without a mapping, columns whose names
    match a target are mapped. For Zendesk and Zoho exports the "mapping" holds options
    (``{"department": code}``: the department of tickets whose group matches none)."""
    _check_actor(actor)
    errors: dict[str, str] = {}
    if kind not in ImportKind.values:
        errors["kind"] = _("Choose one of: %(choices)s.") % {"choices": ", ".join(ImportKind.values)}
    if kind == ImportKind.RECORDS and module_definition(module_key) is None:
        errors["module"] = _("No such module.")
    path = Path(path)
    if not path.exists():
        errors["file"] = _("No such file.")
    if errors:
        raise ValidationFailed(_("The import is not valid."), fields=errors)
    if kind in TABULAR:
        try:
            header = read_header(path)
        except Exception as exc:  # a file that is not a table: say so on the field, never a 500
            raise ValidationFailed(
                _("The import is not valid."),
                fields={"file": _("Not a CSV or XLSX file: %(error)s") % {"error": exc}},
            ) from exc
        if not header:
            raise ValidationFailed(_("The import is not valid."), fields={"file": _("The file is empty.")})
        clean_mapping = (
            _clean_mapping(kind, module_key, mapping, header)
            if mapping
            else default_mapping(kind, header, module_key)
        )
    else:
        clean_mapping = dict(mapping or {})
    digest = file_digest(path)
    if copy and path.is_file():
        target = upload_folder() / f"{digest[:16]}-{Path(original_name or path.name).name}"
        if not target.exists():
            shutil.copyfile(path, target)
        path = target
    job = ImportJob.objects.create(
        kind=kind,
        module_key=module_key,
        path=str(path),
        original_name=(original_name or path.name)[:255],
        file_sha256=digest,
        mapping=clean_mapping,
        dry_run=dry_run,
        created_by=actor.user if actor.kind is ActorKind.AGENT else None,
    )
    audit_record(
        actor=actor,
        source=source,
        action="import.created",
        obj=job,
        changes={"kind": kind, "dry_run": dry_run},
    )
    return job


def import_mapping_set(
    *, actor: Actor, job: ImportJob, mapping: Mapping[str, str], dry_run: bool
) -> ImportJob:
    """Change a waiting job's mapping (the mapping page) before it runs."""
    _check_actor(actor)
    if job.status != JobStatus.PENDING:
        raise ValidationFailed(_("The import has started."), fields={"mapping": _("The import has started.")})
    job.mapping = (
        _clean_mapping(job.kind, job.module_key, mapping, read_header(job.path))
        if job.kind in TABULAR
        else dict(mapping)
    )
    job.dry_run = dry_run
    job.save(update_fields=["mapping", "dry_run"])
    return job


def mapping_save(*, actor: Actor, kind: str, name: str, mapping: Mapping[str, str]) -> SavedMapping:
    _check_actor(actor)
    name = name.strip()
    if not name or len(name) > 100:
        raise ValidationFailed(
            _("The mapping is not valid."), fields={"name": _("Enter a name of 1 to 100 characters.")}
        )
    saved, _created = SavedMapping.objects.update_or_create(
        kind=kind, name=name, defaults={"mapping": dict(mapping)}
    )
    return saved


def _items(job: ImportJob) -> Iterator[Item]:
    if job.kind == ImportKind.ZENDESK:
        return zendesk_items(job.path, job.mapping)
    if job.kind == ImportKind.ZOHO:
        return zoho_items(job.path, job.mapping)
    return tabular_items(job.path, job.kind, job.mapping, job.module_key)


def _actor_for(job: ImportJob) -> Actor:
    """Imports act as the system; knowledge-base articles need an author, the administrator who started
    the import (or the first active superuser for the command line)."""
    if job.kind != ImportKind.ARTICLES:
        return Actor.system()
    user = job.created_by or User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
    if user is None:
        raise NotFound(_("Articles need an administrator as their author; create one first."))
    return Actor.agent(user)


def _run_item(ctx: Context, item: Item) -> tuple[str, dict[str, str]]:
    importer = IMPORTERS.get(item.kind)
    if importer is None:
        return "error", {"": _("Articles cannot be imported here.")}
    try:
        with transaction.atomic():
            return importer(ctx, item), {}
    except ServiceError as exc:
        fields = dict(itertools.islice(exc.fields.items(), MAX_ERRORS_PER_ITEM)) or {"": exc.message}
        return "error", fields


def _pause_at() -> int:
    """The crash-safety test's stop: the row after which the process stops dead mid-batch."""
    return int(os.environ.get("KEFU_TEST_IMPORT_PAUSE_AT", "0") or 0)


def _batch(job: ImportJob, ctx: Context, items: list[Item]) -> None:
    counts = {"imported": 0, "skipped": 0, "error": 0}
    errors: list[ImportRowError] = []
    pause_at = _pause_at()
    done = job.processed_rows
    with transaction.atomic():
        with transaction.atomic():
            for item in items:
                done += item.size
                if pause_at and done >= pause_at:
                    crash_point("KEFU_TEST_IMPORT_PAUSE_MARKER", done)
                outcome, fields = _run_item(ctx, item)
                counts[outcome] += 1
                errors += [
                    ImportRowError(job=job, row=item.row, field=name, message=message)
                    for name, message in fields.items()
                ]
            if job.dry_run:
                transaction.set_rollback(True)
        ImportRowError.objects.bulk_create(errors)
        ImportJob.objects.filter(pk=job.pk).update(
            processed_rows=F("processed_rows") + sum(item.size for item in items),
            imported=F("imported") + counts["imported"],
            skipped=F("skipped") + counts["skipped"],
            errors=F("errors") + counts["error"],
        )


def _reindex(job: ImportJob) -> None:
    """One re-index of the tickets this job brought in (after a crash too: they are found by key)."""
    from kefu.search.services import tickets_index

    ids = (
        ExternalKey.objects.filter(job=job, kind="ticket")
        .order_by("object_id")
        .values_list("object_id", flat=True)
    )
    batch: list[int] = []
    for ticket_id in ids.iterator(chunk_size=2000):
        batch.append(ticket_id)
        if len(batch) == 2000:
            tickets_index(batch)
            batch = []
    if batch:
        tickets_index(batch)


def import_run(job_id: int, *, progress: Callable[[ImportJob], None] | None = None) -> ImportJob:
    """Run (or resume) the job to its end; ``progress`` is called after each committed batch."""
    job = ImportJob.objects.get(pk=job_id)
    if job.status == JobStatus.DONE:
        return job
    now = timezone.now()
    ImportJob.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING, started_at=job.started_at or now, message=""
    )
    job.refresh_from_db()
    try:
        if not job.total_rows:
            job.total_rows = _size(job.kind, job.path)
            job.save(update_fields=["total_rows"])
        ctx = Context(job=job, actor=_actor_for(job))
        consumed, resume_after = 0, job.processed_rows
        pending: list[Item] = []
        pending_rows = 0
        with events.suppressed():
            for item in _items(job):
                if consumed < resume_after:  # committed before the crash: resume after it
                    consumed += item.size
                    continue
                pending.append(item)
                pending_rows += item.size
                if pending_rows >= BATCH_ROWS:
                    _batch(job, ctx, pending)
                    pending, pending_rows = [], 0
                    job.refresh_from_db()
                    if progress:
                        progress(job)
            if pending:
                _batch(job, ctx, pending)
        if not job.dry_run:
            _reindex(job)
        ImportJob.objects.filter(pk=job.pk).update(
            status=JobStatus.DONE, finished_at=timezone.now(), reindexed=not job.dry_run
        )
    except ServiceError as exc:
        ImportJob.objects.filter(pk=job.pk).update(status=JobStatus.FAILED, message=exc.message)
    except Exception as exc:
        ImportJob.objects.filter(pk=job.pk).update(status=JobStatus.FAILED, message=str(exc)[:2000])
        raise
    job.refresh_from_db()
    if progress:
        progress(job)
    return job


def import_start(*, actor: Actor, job: ImportJob) -> ImportJob:
    """Queue the job for the worker, once its transaction commits."""
    _check_actor(actor)
    from kefu.transfer.tasks import run_import

    if job.status == JobStatus.PENDING:
        # Queued counts as running: the mapping can no longer change, and the page shows the progress.
        ImportJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING)
        job.status = JobStatus.RUNNING
        transaction.on_commit(lambda: run_import.delay(job.pk))
    return job


def save_upload(name: str, chunks: Iterator[bytes]) -> Path:
    """Keep an uploaded file under the media folder until its import job copies it (by digest)."""
    folder = upload_folder() / "incoming"
    folder.mkdir(parents=True, exist_ok=True)
    safe = Path(name).name.replace("/", "_")[-120:] or "upload"
    path = folder / f"{timezone.now():%Y%m%d%H%M%S%f}-{safe}"
    with path.open("wb") as handle:
        for chunk in chunks:
            handle.write(chunk)
    return path
