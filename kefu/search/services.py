"""Keeping the full-text indexes in step with tickets and with the documents other apps hand us."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from kefu.core.actors import Actor, Source
from kefu.core.audit import audit_record
from kefu.core.errors import ValidationFailed
from kefu.org import permissions
from kefu.org.services.common import require_permission
from kefu.search.analysis import normalise
from kefu.search.backends import backend
from kefu.search.dictionary import refresh as refresh_dictionary
from kefu.search.documents import Document
from kefu.search.indexing import index_row, ticket_rows_from
from kefu.search.models import DictionaryEntry, SearchDocument, SearchMiss
from kefu.tickets.models import Comment, Thread, Ticket

TICKETS = "ticket"
DOCUMENTS = "document"
MAX_BODY_CHARS = 100_000


def _conversations(ticket_ids: list[int]) -> dict[int, list[str]]:
    texts: dict[int, list[str]] = {pk: [] for pk in ticket_ids}
    # A scheduled reply is not part of the conversation until it has gone (its sending re-indexes).
    sent = Thread.objects.filter(ticket_id__in=ticket_ids, scheduled=False)
    for pk, body in sent.values_list("ticket_id", "body_text"):
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
    refresh_dictionary()
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
    refresh_dictionary()
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
    refresh_dictionary()
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


def search_reindex_all() -> tuple[int, int]:
    """Rebuild both indexes (tickets, documents) after the analyser or the dictionary changed."""
    return tickets_reindex_all(), documents_reindex_all()


# The administrator's dictionary.

MAX_SPELLINGS = 20
MAX_SPELLING_CHARS = 50


def _clean_spellings(raw: Sequence[str], *, entry_id: int | None) -> list[str]:
    spellings: list[str] = []
    seen: set[str] = set()
    for value in raw:
        spelling = " ".join(str(value).split())
        key = normalise(spelling)
        if not spelling or key in seen:
            continue
        if len(spelling) > MAX_SPELLING_CHARS:
            raise ValidationFailed(
                fields={"terms": _("Each spelling has at most %(n)d characters.") % {"n": MAX_SPELLING_CHARS}}
            )
        if not any(ch.isalnum() for ch in spelling):
            raise ValidationFailed(
                fields={"terms": _("“%(term)s” has no letters or digits.") % {"term": spelling}}
            )
        seen.add(key)
        spellings.append(spelling)
    if not spellings:
        raise ValidationFailed(fields={"terms": _("Enter at least one word.")})
    if len(spellings) > MAX_SPELLINGS:
        raise ValidationFailed(
            fields={"terms": _("An entry has at most %(n)d spellings.") % {"n": MAX_SPELLINGS}}
        )
    others = (
        DictionaryEntry.objects.all() if entry_id is None else DictionaryEntry.objects.exclude(pk=entry_id)
    )
    for other in others.values_list("terms", flat=True):
        taken = seen & {normalise(term) for term in other}
        if taken:
            raise ValidationFailed(
                fields={"terms": _("“%(term)s” is already in another entry.") % {"term": sorted(taken)[0]}}
            )
    return spellings


def dictionary_entry_create(
    *, actor: Actor, source: Source, terms: Sequence[str], note: str = ""
) -> DictionaryEntry:
    """Teach the search a product term (one spelling) or spellings that mean the same (several)."""
    require_permission(actor, permissions.SETTINGS_MANAGE)
    spellings = _clean_spellings(terms, entry_id=None)
    with transaction.atomic():
        entry = DictionaryEntry.objects.create(terms=spellings, note=note.strip()[:200])
        audit_record(actor=actor, source=source, action="search.dictionary_entry_created", obj=entry,
                     changes={"terms": ", ".join(spellings)})  # fmt: skip
    return entry


def dictionary_entry_update(
    *, actor: Actor, source: Source, entry: DictionaryEntry, terms: Sequence[str], note: str | None = None
) -> DictionaryEntry:
    require_permission(actor, permissions.SETTINGS_MANAGE)
    spellings = _clean_spellings(terms, entry_id=entry.pk)
    with transaction.atomic():
        entry.terms = spellings
        if note is not None:
            entry.note = note.strip()[:200]
        entry.save()
        audit_record(actor=actor, source=source, action="search.dictionary_entry_updated", obj=entry,
                     changes={"terms": ", ".join(spellings)})  # fmt: skip
    return entry


def dictionary_entry_delete(*, actor: Actor, source: Source, entry: DictionaryEntry) -> None:
    require_permission(actor, permissions.SETTINGS_MANAGE)
    with transaction.atomic():
        audit_record(actor=actor, source=source, action="search.dictionary_entry_deleted", obj=entry,
                     changes={"terms": ", ".join(entry.terms)})  # fmt: skip
        entry.delete()


# Queries that found nothing.

MAX_MISS_CHARS = 200


def search_miss_record(*, area: str, query: str, language: str = "", now: dt.datetime | None = None) -> None:
    """Count a search that found nothing (``area``: "helpcenter", "widget", "console" …).

    Spelling variants of one query count together (case, width and spaces folded). Called by whoever
    showed the empty result, after ``documents_search`` returned nothing.
    """
    text = " ".join(normalise(query).split())[:MAX_MISS_CHARS]
    if not text or not any(ch.isalnum() for ch in text):
        return
    now = now or timezone.now()
    key = {"area": area[:40], "query": text, "language": language[:16]}
    updated = SearchMiss.objects.filter(**key).update(count=F("count") + 1, last_seen_at=now)
    if updated:
        return
    try:
        with transaction.atomic():
            SearchMiss.objects.create(**key, first_seen_at=now, last_seen_at=now)
    except IntegrityError:
        SearchMiss.objects.filter(**key).update(count=F("count") + 1, last_seen_at=now)


def search_misses_clear(*, actor: Actor, source: Source, ids: Iterable[int] | None = None) -> int:
    """Forget logged misses (those written up as articles), or all of them."""
    require_permission(actor, permissions.SETTINGS_MANAGE)
    misses = SearchMiss.objects.all() if ids is None else SearchMiss.objects.filter(pk__in=list(ids))
    deleted, _rows = misses.delete()
    return deleted
