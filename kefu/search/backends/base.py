"""What a full-text backend offers, and the weights both backends rank with.

An index is a table of (id, fields) where each field holds space-separated terms from
``kefu.search.analysis``: ``title``, ``tags`` and ``body`` hold words, ``title_grams`` and ``body_grams``
hold Chinese character bigrams. The documents index and the tickets index have the same layout, so one
query builder and one ranking serve both.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from django.db.models.expressions import RawSQL

from kefu.search.analysis import QueryTerms

FIELDS = ("title", "tags", "body", "title_grams", "body_grams")

# Relative weights of a match in each field: a title word counts five times a body word; a bigram counts
# half of the word it may be part of (it only catches words that jieba cut differently).
WEIGHTS = {"title": 5.0, "tags": 3.0, "body": 1.0, "title_grams": 2.5, "body_grams": 0.5}


@dataclass(frozen=True)
class IndexRow:
    """One row to store: its id and the analysed text of each field (missing fields are empty)."""

    id: int
    fields: dict[str, str]


@dataclass(frozen=True)
class Restriction:
    """SQL that narrows a ranked search: a JOIN on ``{id}`` (the index's id column) and conditions."""

    join: str = ""
    where: str = ""
    params: Sequence[object] = ()


class SearchBackend(Protocol):
    def store(self, index: str, rows: Iterable[IndexRow]) -> None:
        """Replace the stored rows with these ids."""

    def remove(self, index: str, ids: Iterable[int]) -> None: ...

    def rank(
        self, index: str, terms: QueryTerms, *, restriction: Restriction, limit: int
    ) -> list[tuple[int, float]]:
        """The best ``limit`` (id, score) pairs matching any term, best first (higher score is better)."""

    def matching_ids(self, index: str, terms: QueryTerms) -> RawSQL:
        """A subquery selecting the ids of rows matching any term."""

    def prefixed(self, index: str, prefix: str, *, restriction: Restriction, limit: int) -> list[int]:
        """Ids of rows whose title has a word starting with ``prefix``, best first."""

    def vocabulary(self, index: str, first: str, length: int) -> list[str]:
        """Stored Latin words of about ``length`` letters starting with ``first`` (for typo correction)."""
