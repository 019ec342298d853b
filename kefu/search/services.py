"""Keeping the full-text index in step with tickets."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from kefu.core.html import html_to_text
from kefu.search.backends import backend
from kefu.search.segmentation import segment_document
from kefu.tickets.models import Comment, Thread, Ticket


def _document_texts(ticket_ids: list[int]) -> dict[int, list[str]]:
    texts: dict[int, list[str]] = {pk: [] for pk in ticket_ids}
    for pk, subject, description in Ticket.objects.filter(pk__in=ticket_ids).values_list(
        "id", "subject", "description"
    ):
        texts[pk] += [subject, html_to_text(description)]
    for pk, body in Thread.objects.filter(ticket_id__in=ticket_ids).values_list("ticket_id", "body_text"):
        texts[pk].append(body)
    for pk, body in Comment.objects.filter(ticket_id__in=ticket_ids).values_list("ticket_id", "body_text"):
        texts[pk].append(body)
    return texts


def tickets_index(ticket_ids: Iterable[int]) -> int:
    """(Re)index these tickets from the database; deleted or trashed ones leave the index.

    Texts are read and segmented first, then written in one transaction: one commit for the whole batch
    (on SQLite, autocommit would make each row its own), and no moment at which a ticket is in the
    middle of being replaced and found by nothing.
    """
    ticket_ids = list(ticket_ids)
    live = set(Ticket.objects.filter(pk__in=ticket_ids, deleted_at__isnull=True).values_list("id", flat=True))
    gone = [pk for pk in ticket_ids if pk not in live]
    texts = _document_texts(sorted(live))
    documents = [(pk, segment_document("\n".join(parts))) for pk, parts in texts.items()]
    with transaction.atomic():
        if gone:
            backend().remove(gone)
        if documents:
            backend().store(documents)
    return len(live)


def tickets_reindex_all(batch_size: int = 2000) -> int:
    """Rebuild the index of every ticket, in batches (``kefu search reindex``)."""
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
