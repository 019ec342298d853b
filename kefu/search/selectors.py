"""Full-text queries."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db.models import Case, Q, QuerySet, Value, When

from kefu.contacts.models import Account, Contact
from kefu.contacts.selectors import contact_list
from kefu.org.models import User
from kefu.org.selectors import agent_access
from kefu.search.backends import backend
from kefu.search.segmentation import query_terms
from kefu.tickets.models import Ticket
from kefu.tickets.selectors import visible_tickets

T = TypeVar("T")
COUNT_LIMIT = 100


def filter_tickets_by_text(queryset: QuerySet[Ticket], query: str) -> QuerySet[Ticket]:
    """Keep the tickets whose subject or conversation contains every word of ``query``."""
    terms = query_terms(query)
    if not terms:
        return queryset
    return queryset.filter(pk__in=backend().matching_ids(terms))


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
    terms = query_terms(query)
    if terms:
        conditions |= Q(pk__in=backend().matching_ids(terms))
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
