"""What other apps hand to the search engine, and what they get back.

The knowledge base (and any later kind of public content) indexes ``Document``s of its own ``kind`` and
searches them through ``kefu.search.selectors.documents_search``; the search app never imports them.
``scope`` holds the values that decide who may find a document (visibility, brand, language …):
a search passes ``filters`` and only documents whose scope value is among the allowed ones come back.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Document:
    kind: str
    object_id: int
    language: str
    title: str
    body: str
    tags: tuple[str, ...] = ()
    scope: dict[str, str | int] = field(default_factory=dict)


@dataclass(frozen=True)
class Hit:
    """One result: the document's id, its relevance, and HTML-escaped title and snippet with <mark>s."""

    object_id: int
    score: float
    title_html: str
    snippet_html: str
