"""Indexing runs in the worker, after the write committed."""

from __future__ import annotations

from celery import shared_task

from kefu.search.services import search_reindex_all, tickets_index

# Tickets per indexing pass: one read of their texts, one write transaction.
BATCH_SIZE = 500


@shared_task(name="search.index_tickets", autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def index_tickets(ticket_ids: list[int]) -> int:
    """(Re)index many tickets in one job: a burst of changes costs one job, not one per ticket."""
    unique = sorted(set(ticket_ids))
    batches = (unique[start : start + BATCH_SIZE] for start in range(0, len(unique), BATCH_SIZE))
    return sum(tickets_index(batch) for batch in batches)


@shared_task(name="search.reindex_all")
def reindex_all() -> list[int]:
    """Rebuild both indexes (the dictionary page's button and ``POST /api/v1/search/reindex``)."""
    return list(search_reindex_all())
