"""What a full-text backend offers."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from django.db.models.expressions import RawSQL


class SearchBackend(Protocol):
    def store(self, documents: Iterable[tuple[int, str]]) -> None:
        """Replace the stored (ticket id, segmented text) documents."""

    def remove(self, ticket_ids: Iterable[int]) -> None: ...

    def matching_ids(self, terms: list[str]) -> RawSQL:
        """A subquery selecting the ids of tickets whose document has every term."""
