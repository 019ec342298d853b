"""Full-text queries: ranked documents for the help center and the KB, tickets for the console and API."""

from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db import connection
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from kefu.contacts.models import Account, Contact
from kefu.contacts.selectors import contact_list
from kefu.core.errors import NotFound
from kefu.core.pagination import BadCursor, Page
from kefu.org.models import User
from kefu.org.selectors import agent_access, helpdesk_settings
from kefu.search.analysis import QueryTerms, normalise, query_terms, stem, terms
from kefu.search.backends import backend
from kefu.search.backends.base import Restriction
from kefu.search.documents import Hit
from kefu.search.highlight import mark, snippet
from kefu.search.models import DictionaryEntry, SearchDocument, SearchMiss
from kefu.search.query import prepare
from kefu.tickets.filters import number_match
from kefu.tickets.models import Ticket
from kefu.tickets.selectors import visible_tickets

T = TypeVar("T")
COUNT_LIMIT = 100
TICKETS = "ticket"
DOCUMENTS = "document"
MAX_LIMIT = 100
_SCOPE_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,39}$")


def _document_restriction(kind: str, filters: dict[str, list[Any]] | None) -> Restriction:
    """Documents of ``kind`` whose scope value for every filter key is one of the allowed values."""
    where = ["d.kind = %s"]
    params: list[object] = [kind]
    for key, allowed in (filters or {}).items():
        if not _SCOPE_KEY.match(key):
            raise ValueError(f"Not a scope key: {key!r}")
        values = [str(value) for value in allowed]
        if not values:
            where.append("1 = 0")
            continue
        marks = ", ".join(["%s"] * len(values))
        if connection.vendor == "postgresql":
            where.append(f"(d.scope ->> %s) IN ({marks})")
            params += [key, *values]
        else:
            where.append(f"CAST(json_extract(d.scope, %s) AS TEXT) IN ({marks})")
            params += [f'$."{key}"', *values]
    return Restriction(join="JOIN search_document d ON d.id = {id}", where=" AND ".join(where), params=params)


def documents_search(
    kind: str, query: str, *, filters: dict[str, list[Any]] | None = None, limit: int = 10
) -> list[Hit]:
    """The documents of ``kind`` that best match ``query``, best first, within ``filters``.

    Any query word may match (a customer's question has words the answer lacks); relevance orders
    them (see docs/search.md). ``filters`` maps scope keys to the allowed values: the knowledge base
    passes e.g. ``{"visibility": ["public"], "brand": [3]}`` for an anonymous visitor.
    """
    found = prepare(DOCUMENTS, query)
    if not found:
        return []
    ranked = backend().rank(
        DOCUMENTS,
        found,
        restriction=_document_restriction(kind, filters),
        limit=max(1, min(limit, MAX_LIMIT)),
    )
    stored = SearchDocument.objects.in_bulk([pk for pk, _score in ranked])
    matched = set(found.all)
    return [
        Hit(
            object_id=stored[pk].object_id,
            score=round(score, 6),
            title_html=mark(stored[pk].title, matched),
            snippet_html=snippet(stored[pk].body, matched),
        )
        for pk, score in ranked
        if pk in stored
    ]


def _prefix_term(prefix: str) -> str:
    """The last word being typed, as the index spells the start of such words."""
    found = [term for term in terms(prefix, query=True) if not term.gram]
    if not found:
        return ""
    last = normalise(prefix[found[-1].start : found[-1].end])
    stemmed = stem(last)
    return stemmed if last.startswith(stemmed) else last


def documents_suggest(
    kind: str, prefix: str, *, filters: dict[str, list[Any]] | None = None, limit: int = 8
) -> list[str]:
    """Titles to offer while someone types: those with a word starting as the last word typed does,
    ranked by the whole text typed so far."""
    last = _prefix_term(prefix[:200])
    if not last:
        return []
    limit = max(1, min(limit, MAX_LIMIT))
    restriction = _document_restriction(kind, filters)
    ids = backend().prefixed(DOCUMENTS, last, restriction=restriction, limit=limit * 2)
    earlier = (
        query_terms(prefix[: len(prefix) - len(last)]) if len(prefix) > len(last) else QueryTerms((), ())
    )
    if earlier:
        ranked = backend().rank(DOCUMENTS, earlier, restriction=restriction, limit=MAX_LIMIT)
        order = {pk: position for position, (pk, _score) in enumerate(ranked)}
        ids.sort(key=lambda pk: order.get(pk, MAX_LIMIT))
    titles = SearchDocument.objects.in_bulk(ids)
    return list(dict.fromkeys(titles[pk].title for pk in ids if pk in titles))[:limit]


def filter_tickets_by_text(queryset: QuerySet[Ticket], query: str) -> QuerySet[Ticket]:
    """Keep the tickets whose subject or conversation contains every word of ``query``."""
    found = prepare(TICKETS, query)
    if not found:
        return queryset
    return queryset.filter(pk__in=backend().matching_ids(TICKETS, found))


@dataclass
class SearchGroup(Generic[T]):
    """Some results of one kind and how many there are, counted up to ``COUNT_LIMIT``."""

    items: list[T]
    count: int

    @property
    def count_is_capped(self) -> bool:
        return self.count > COUNT_LIMIT


@dataclass
class SearchResults:
    tickets: SearchGroup[Ticket]
    contacts: SearchGroup[Contact]
    accounts: SearchGroup[Account]

    @property
    def total(self) -> int:
        return self.tickets.count + self.contacts.count + self.accounts.count


def _group(queryset: QuerySet[Any], limit: int) -> SearchGroup[Any]:
    # Counting stops after COUNT_LIMIT + 1 rows, so a word found in a million tickets costs no more.
    count = queryset.order_by().values("pk")[: COUNT_LIMIT + 1].count()
    return SearchGroup(items=list(queryset[:limit]) if count else [], count=count)


def ticket_number_in(query: str, prefix: str) -> int | None:
    """The ticket number ``query`` names, written with or without the installation's prefix or a ``#``."""
    text = query.strip()
    if prefix and text.casefold().startswith(prefix.casefold()):
        text = text[len(prefix) :]
    text = text.strip().lstrip("#")
    if text.isascii() and text.isdigit() and len(text) < 19:
        return int(text)
    return None


RANK_WINDOW = 200
MAX_RANK_WINDOW = 5000


def rank_tickets(queryset: QuerySet[Ticket], query: str, *, limit: int, offset: int = 0) -> list[Ticket]:
    """Tickets of ``queryset`` matching ``query``, most relevant first (newest first among equals).

    The index ranks every ticket; the best few hundred are then narrowed to ``queryset`` (what the user
    may see, under the list's filters), widening the window while it yields too few, up to 5,000 ranks.
    """
    return _rank_tickets(queryset, prepare(TICKETS, query), limit=limit, offset=offset)


def _rank_tickets(queryset: QuerySet[Ticket], found: QueryTerms, *, limit: int, offset: int) -> list[Ticket]:
    if not found:
        return []
    wanted = offset + limit
    window = max(RANK_WINDOW, wanted * 4)
    while True:
        ranked = backend().rank(TICKETS, found, restriction=Restriction(), limit=window)
        order = {pk: position for position, (pk, _score) in enumerate(ranked)}
        allowed = list(queryset.filter(pk__in=list(order)))
        if len(allowed) >= wanted or len(ranked) < window or window >= MAX_RANK_WINDOW:
            break
        window = min(window * 4, MAX_RANK_WINDOW)
    allowed.sort(key=lambda ticket: order[ticket.pk])
    return allowed[offset:wanted]


def search_tickets(user: User | None, query: str, prefix: str, *, limit: int) -> SearchGroup[Ticket]:
    """Tickets ``user`` may see: the one whose number is ``query`` first, then the most relevant."""
    visible = visible_tickets(user).select_related("status", "priority", "contact")
    numbered = number_match(query, prefix)
    exact = list(visible.filter(numbered)) if numbered is not None else []
    found = prepare(TICKETS, query)
    ranked = [
        ticket for ticket in _rank_tickets(visible, found, limit=limit, offset=0) if ticket not in exact
    ]
    items = (exact + ranked)[:limit]
    count = len(exact)
    if found:
        matching = visible.filter(pk__in=backend().matching_ids(TICKETS, found))
        count += (
            matching.exclude(pk__in=[t.pk for t in exact]).order_by().values("pk")[: COUNT_LIMIT + 1].count()
        )
    return SearchGroup(items=items, count=count)


def search_everything(user: User | None, query: str, *, prefix: str, limit: int) -> SearchResults:
    """The global search: tickets, contacts and accounts, scoped as the API scopes them.

    Tickets come from ``visible_tickets``; contacts and accounts are shared by every department, but
    only agents see them at all.
    """
    is_agent = agent_access(user).is_agent
    contacts = contact_list(q=query).order_by("name", "id") if is_agent else Contact.objects.none()
    accounts = Account.objects.filter(name__icontains=query).order_by("name", "id")
    return SearchResults(
        tickets=search_tickets(user, query, prefix, limit=limit),
        contacts=_group(contacts, limit),
        accounts=_group(accounts if is_agent else Account.objects.none(), limit),
    )


MAX_RELEVANCE_OFFSET = 1000


def _relevance_cursor(offset: int) -> str:
    raw = json.dumps(["relevance", offset], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _relevance_offset(cursor: str | None) -> int:
    if not cursor:
        return 0
    try:
        kind, offset = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if kind != "relevance" or isinstance(offset, bool) or not isinstance(offset, int):
            raise ValueError
        if not 0 <= offset <= MAX_RELEVANCE_OFFSET:
            raise ValueError
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
        raise BadCursor(
            _("The cursor is not valid for this list."), fields={"cursor": _("Not a valid cursor.")}
        ) from None
    return offset


def relevance_page(queryset: QuerySet[Ticket], query: str, *, limit: int, cursor: str | None) -> Page[Ticket]:
    """A page of ``queryset`` ranked by relevance to ``query`` (``sort=relevance`` in the API).

    The ticket whose number ``query`` is comes first. Ranks are positions, so the cursor is an offset;
    the first 1,000 ranked tickets can be paged through (past that, a narrower query serves better
    than a deeper page).
    """
    offset = _relevance_offset(cursor)
    numbered = number_match(query, helpdesk_settings().ticket_number_prefix)
    exact = list(queryset.filter(numbered)) if numbered is not None else []
    ranked = [t for t in rank_tickets(queryset, query, limit=offset + limit + 1) if t not in exact]
    rows = (exact + ranked)[offset : offset + limit + 1]
    has_more = len(rows) > limit and offset + limit <= MAX_RELEVANCE_OFFSET
    return Page(items=rows[:limit], next_cursor=_relevance_cursor(offset + limit) if has_more else None)


def dictionary_entries() -> QuerySet[DictionaryEntry]:
    """The administrator's dictionary, oldest entry first."""
    return DictionaryEntry.objects.order_by("pk")


def dictionary_entry_get(entry_id: int) -> DictionaryEntry:
    entry = DictionaryEntry.objects.filter(pk=entry_id).first()
    if entry is None:
        raise NotFound(_("No such dictionary entry."))
    return entry


def search_misses(*, area: str | None = None, limit: int = 100) -> list[SearchMiss]:
    """The most frequent queries that found nothing (most recent first among equals)."""
    misses = SearchMiss.objects.all()
    if area:
        misses = misses.filter(area=area)
    return list(misses.order_by("-count", "-last_seen_at", "-pk")[: max(1, min(limit, 500))])
