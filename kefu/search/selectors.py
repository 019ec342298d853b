"""Full-text queries."""

from __future__ import annotations

from django.db.models import QuerySet

from kefu.search.backends import backend
from kefu.search.segmentation import query_terms
from kefu.tickets.models import Ticket


def filter_tickets_by_text(queryset: QuerySet[Ticket], query: str) -> QuerySet[Ticket]:
    """Keep the tickets whose subject or conversation contains every word of ``query``."""
    terms = query_terms(query)
    if not terms:
        return queryset
    return queryset.filter(pk__in=backend().matching_ids(terms))
