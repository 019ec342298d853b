"""Indexing runs in the worker, after the write committed."""

from __future__ import annotations

from celery import shared_task

from kefu.search.services import tickets_index


@shared_task(autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def index_ticket(ticket_id: int) -> int:
    return tickets_index([ticket_id])
