"""Rows of the full-text indexes, built from plain values (no ORM here: migrations use it too)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from kefu.core.html import html_to_text
from kefu.search.analysis import analyse
from kefu.search.backends.base import IndexRow


def index_row(pk: int, *, title: str, tags: Sequence[str], body: str) -> IndexRow:
    """Title, tags and body analysed into the five fields of an index row."""
    title_terms = analyse(title)
    tag_terms = analyse("\n".join(tags))
    body_terms = analyse(body)
    return IndexRow(
        id=pk,
        fields={
            "title": title_terms.words,
            "tags": tag_terms.words,
            "body": body_terms.words,
            "title_grams": f"{title_terms.grams} {tag_terms.grams}".strip(),
            "body_grams": body_terms.grams,
        },
    )


def ticket_rows_from(tickets: Iterable[Any], bodies: dict[int, list[str]]) -> list[IndexRow]:
    """Index rows of tickets (with their tags prefetched): subject, tags, description and conversation."""
    return [
        index_row(
            ticket.pk,
            title=ticket.subject,
            tags=[tag.name for tag in ticket.tags.all()],
            body="\n".join([html_to_text(ticket.description), *bodies.get(ticket.pk, [])]),
        )
        for ticket in tickets
    ]
