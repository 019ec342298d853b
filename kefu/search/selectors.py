"""Full-text queries: ranked documents for the help center and the KB, tickets for the console and API."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db import connection
from django.db.models import Case, Q, QuerySet, Value, When

from kefu.contacts.models import Account, Contact
from kefu.contacts.selectors import contact_list
from kefu.org.models import User
from kefu.org.selectors import agent_access
from kefu.search.analysis import QueryTerms, normalise, query_terms, stem, terms
from kefu.search.backends import backend
from kefu.search.backends.base import Restriction
from kefu.search.documents import Hit
from kefu.search.highlight import mark, snippet
from kefu.search.models import SearchDocument
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
    found = query_terms(query)
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
    found = query_terms(query)
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


def search_tickets(user: User | None, query: str, prefix: str) -> QuerySet[Ticket]:
    """Tickets ``user`` may see whose number is ``query`` or whose text has every word of it."""
    visible = visible_tickets(user)
    conditions = Q(pk__in=[])
    number = ticket_number_in(query, prefix)
    if number is not None:
        conditions |= Q(number=number)
    found = query_terms(query)
    if found:
        conditions |= Q(pk__in=backend().matching_ids(TICKETS, found))
    exact_first = (
        Case(When(number=number, then=Value(0)), default=Value(1)) if number is not None else Value(1)
    )
    return (
        visible.filter(conditions)
        .select_related("status", "priority", "contact")
        .order_by(exact_first, "-updated_at", "-pk")
    )


def search_everything(user: User | None, query: str, *, prefix: str, limit: int) -> SearchResults:
    """The global search: tickets, contacts and accounts, scoped as the API scopes them.

    Tickets come from ``visible_tickets``; contacts and accounts are shared by every department, but
    only agents see them at all.
    """
    is_agent = agent_access(user).is_agent
    contacts = contact_list(q=query).order_by("name", "id") if is_agent else Contact.objects.none()
    accounts = Account.objects.filter(name__icontains=query).order_by("name", "id")
    return SearchResults(
        tickets=_group(search_tickets(user, query, prefix), limit),
        contacts=_group(contacts, limit),
        accounts=_group(accounts if is_agent else Account.objects.none(), limit),
    )
