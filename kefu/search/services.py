"""Keeping the full-text indexes in step with tickets and with the documents other apps hand us."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from kefu.search.backends import backend
from kefu.search.documents import Document
from kefu.search.indexing import index_row, ticket_rows_from
from kefu.search.models import SearchDocument
from kefu.tickets.models import Comment, Thread, Ticket

TICKETS = "ticket"
DOCUMENTS = "document"
MAX_BODY_CHARS = 100_000


def _conversations(ticket_ids: list[int]) -> dict[int, list[str]]:
    texts: dict[int, list[str]] = {pk: [] for pk in ticket_ids}
    for pk, body in Thread.objects.filter(ticket_id__in=ticket_ids).values_list("ticket_id", "body_text"):
        texts[pk].append(body)
    for pk, body in Comment.objects.filter(ticket_id__in=ticket_ids).values_list("ticket_id", "body_text"):
        texts[pk].append(body)
    return texts


def tickets_index(ticket_ids: Iterable[int]) -> int:
    """(Re)index these tickets from the database; deleted or trashed ones leave the index.

    Texts are read and analysed first, then written in one transaction: one commit for the whole batch
    (on SQLite, autocommit would make each row its own), and no moment at which a ticket is in the
    middle of being replaced and found by nothing.
    """
    ticket_ids = list(ticket_ids)
    live = list(
        Ticket.objects.filter(pk__in=ticket_ids, deleted_at__isnull=True)
        .only("id", "subject", "description")
        .prefetch_related("tags")
        .order_by("pk")
    )
    live_ids = {ticket.pk for ticket in live}
    gone = [pk for pk in ticket_ids if pk not in live_ids]
    rows = ticket_rows_from(live, _conversations(sorted(live_ids)))
    with transaction.atomic():
        if gone:
            backend().remove(TICKETS, gone)
        if rows:
            backend().store(TICKETS, rows)
    return len(live)


def tickets_reindex_all(batch_size: int = 2000) -> int:
    """Rebuild the index of every ticket, in batches (``kefu search reindex``, after an analyser change)."""
    total = 0
    last_id = 0
    while True:
        ids = list(
            Ticket.objects.filter(pk__gt=last_id).order_by("pk").values_list("pk", flat=True)[:batch_size]
        )
        if not ids:
            return total
        total += tickets_index(ids)
        last_id = ids[-1]


def documents_index(docs: Iterable[Document]) -> None:
    """Add or replace documents (by kind and object id): their text, tags and scope.

    The caller hands over plain text (HTML already converted) and decides the scope that later
    ``documents_search`` filters match; the body is cut at 100,000 characters.
    """
    docs = list({(doc.kind, doc.object_id): doc for doc in docs}.values())
    if not docs:
        return
    now = timezone.now()
    rows = []
    with transaction.atomic():
        for doc in docs:
            stored, _created = SearchDocument.objects.update_or_create(
                kind=doc.kind,
                object_id=doc.object_id,
                defaults={
                    "language": doc.language,
                    "title": doc.title[:500],
                    "body": doc.body[:MAX_BODY_CHARS],
                    "tags": list(doc.tags),
                    "scope": dict(doc.scope),
                    "updated_at": now,
                },
            )
            rows.append(index_row(stored.pk, title=doc.title, tags=doc.tags, body=doc.body[:MAX_BODY_CHARS]))
        backend().store(DOCUMENTS, rows)


def documents_remove(kind: str, object_ids: Iterable[int]) -> None:
    """Take documents out of the index (unpublished, deleted or made private by their owner)."""
    with transaction.atomic():
        stored = SearchDocument.objects.filter(kind=kind, object_id__in=list(object_ids))
        ids = list(stored.values_list("pk", flat=True))
        if ids:
            backend().remove(DOCUMENTS, ids)
            SearchDocument.objects.filter(pk__in=ids).delete()


def documents_reindex_all(batch_size: int = 2000) -> int:
    """Rebuild the full-text rows of every stored document from its stored text (after an analyser change)."""
    total = 0
    last_id = 0
    while True:
        batch = list(SearchDocument.objects.filter(pk__gt=last_id).order_by("pk")[:batch_size])
        if not batch:
            return total
        rows = [index_row(doc.pk, title=doc.title, tags=doc.tags, body=doc.body) for doc in batch]
        with transaction.atomic():
            backend().store(DOCUMENTS, rows)
        total += len(batch)
        last_id = batch[-1].pk
