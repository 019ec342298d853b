"""Imports and exports run in the worker. ``acks_late``: a worker that dies mid-import leaves the job to
be delivered again, and the run resumes from the job's checkpoint."""

from __future__ import annotations

from celery import shared_task

from kefu.transfer.services import export_run, import_run


@shared_task(name="transfer.run_import", acks_late=True, reject_on_worker_lost=True)
def run_import(job_id: int) -> int:
    return import_run(job_id).processed_rows


@shared_task(name="transfer.run_export", acks_late=True, reject_on_worker_lost=True)
def run_export(job_id: int) -> int:
    return export_run(job_id).processed_rows
