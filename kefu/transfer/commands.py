"""``kefu import`` and ``kefu export``: the import/export app owns its commands and their arguments.

``kefu import KIND FILE`` runs an import in this process with a progress bar on stderr and prints
``imported N, skipped S, errors E``; the rows it refused go to an error report (CSV). Run again after a
crash (or Ctrl-C), the same command resumes the unfinished import of the same file where its last
committed batch ended. ``kefu export [--output FILE]`` writes the whole installation as a ZIP archive.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

KINDS = ("contacts", "accounts", "tickets", "articles", "records", "zendesk", "zoho")
BAR_WIDTH = 30


def _say(text: str, *, err: bool = False) -> None:
    stream = sys.stderr if err else sys.stdout
    stream.write(text + "\n")
    stream.flush()


def _progress_bar(job: Any) -> None:
    total = job.total_rows or 1
    done = min(job.processed_rows, total)
    filled = BAR_WIDTH * done // total
    sys.stderr.write(
        f"\r[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {done * 100 // total:3d}% {done}/{job.total_rows}"
    )
    sys.stderr.flush()


def _mapping(kind: str, given: str | None) -> dict[str, str] | None:
    """A saved mapping by name, or a JSON file of ``{column: target}``."""
    if not given:
        return None
    from kefu.transfer.models import SavedMapping

    saved = SavedMapping.objects.filter(kind=kind, name=given).first()
    if saved is not None:
        return dict(saved.mapping)
    path = Path(given)
    if path.is_file():
        return dict(json.loads(path.read_text(encoding="utf-8")))
    raise SystemExit(f"kefu import: no saved mapping or JSON file named {given!r}")


def write_error_report(job: Any, path: Path) -> int:
    from kefu.transfer.selectors import error_rows

    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["row", "field", "error"])
        count = 0
        for row in error_rows(job):
            writer.writerow(row)
            count += 1
    return count


def _import(args: argparse.Namespace) -> int:
    from kefu.core.actors import Actor, Source
    from kefu.core.errors import ServiceError
    from kefu.transfer.models import ImportJob, JobStatus
    from kefu.transfer.services import import_job_create, import_run
    from kefu.transfer.services.imports import file_digest

    path = Path(args.file).resolve()
    options: dict[str, str] | None = _mapping(args.kind, args.mapping)
    if args.kind in ("zendesk", "zoho"):
        options = {**(options or {}), **({"department": args.department} if args.department else {})}
    unfinished = (
        ImportJob.objects.filter(
            kind=args.kind,
            module_key=args.module or "",
            file_sha256=file_digest(path) if path.exists() else "",
            dry_run=args.dry_run,
        )
        .exclude(status=JobStatus.DONE)
        .order_by("-pk")
        .first()
    )
    if unfinished is not None:
        job = unfinished
        _say(f"resuming import #{job.pk} after row {job.processed_rows}", err=True)
    else:
        try:
            job = import_job_create(
                actor=Actor.system(),
                source=Source.IMPORT,
                kind=args.kind,
                path=path,
                original_name=path.name,
                mapping=options,
                module_key=args.module or "",
                dry_run=args.dry_run,
                copy=False,
            )
        except ServiceError as exc:
            _say(f"kefu import: {exc.message} {exc.fields}", err=True)
            return 2
    job = import_run(job.pk, progress=_progress_bar)
    sys.stderr.write("\n")
    _say(f"imported {job.imported}, skipped {job.skipped}, errors {job.errors}")
    if job.errors:
        report = Path(args.report) if args.report else path.with_name(path.name + ".errors.csv")
        write_error_report(job, report)
        _say(f"error report: {report}")
    if job.status != JobStatus.DONE:
        _say(f"kefu import: the import failed: {job.message}", err=True)
        return 1
    return 0


def _export(args: argparse.Namespace) -> int:
    from django.utils import timezone

    from kefu.transfer.services import export_archive

    output = Path(args.output or f"kefu-export-{timezone.now():%Y%m%d-%H%M%S}.zip").resolve()
    counts = export_archive(output, progress=lambda name, rows: _say(f"{name}: {rows} rows", err=True))
    _say(f"exported {sum(counts.values())} rows in {len(counts)} files to {output}")
    return 0


def import_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kefu import", description="import a CSV/XLSX file or a help-desk export"
    )
    parser.add_argument("kind", choices=KINDS)
    parser.add_argument("file", help="CSV or XLSX (zendesk, zoho: a ZIP or a folder of their export)")
    parser.add_argument(
        "--dry-run", action="store_true", help="check every row through the services, write nothing"
    )
    parser.add_argument("--mapping", help="a saved mapping's name, or a JSON file {column: target}")
    parser.add_argument("--module", help="records: the module's key")
    parser.add_argument("--department", help="zendesk, zoho: the department (code) of tickets without one")
    parser.add_argument("--report", help="where to write the error report (default: FILE.errors.csv)")
    return parser


def main(command: str, argv: Sequence[str]) -> int:
    if command == "import":
        return _import(import_parser().parse_args(list(argv)))
    parser = argparse.ArgumentParser(prog="kefu export", description="export the whole installation as a ZIP")
    parser.add_argument("--output", help="the archive to write (default: kefu-export-<time>.zip)")
    return _export(parser.parse_args(list(argv)))
