"""SQLite FTS5: one virtual table keyed by ticket id, words separated by spaces (see segmentation)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection
from django.db.models.expressions import RawSQL

TABLE = "search_ticket_fts"


def _quote(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


class SQLiteBackend:
    def store(self, documents: Iterable[tuple[int, str]]) -> None:
        documents = list(documents)
        with connection.cursor() as cursor:
            cursor.executemany(f"DELETE FROM {TABLE} WHERE rowid = %s", [(pk,) for pk, _text in documents])
            cursor.executemany(f"INSERT INTO {TABLE}(rowid, body) VALUES (%s, %s)", documents)

    def remove(self, ticket_ids: Iterable[int]) -> None:
        with connection.cursor() as cursor:
            cursor.executemany(f"DELETE FROM {TABLE} WHERE rowid = %s", [(pk,) for pk in ticket_ids])

    def matching_ids(self, terms: list[str]) -> RawSQL:
        return RawSQL(f"SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH %s", [" ".join(map(_quote, terms))])


BACKEND = SQLiteBackend()
