"""PostgreSQL full text: a tsvector per ticket under the 'simple' configuration, with a GIN index."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection
from django.db.models.expressions import RawSQL

TABLE = "search_ticket_document"


class PostgreSQLBackend:
    def store(self, documents: Iterable[tuple[int, str]]) -> None:
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {TABLE} (ticket_id, document) VALUES (%s, to_tsvector('simple', %s)) "
                "ON CONFLICT (ticket_id) DO UPDATE SET document = EXCLUDED.document",
                list(documents),
            )

    def remove(self, ticket_ids: Iterable[int]) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE} WHERE ticket_id = ANY(%s)", [list(ticket_ids)])

    def matching_ids(self, terms: list[str]) -> RawSQL:
        return RawSQL(
            f"SELECT ticket_id FROM {TABLE} WHERE document @@ plainto_tsquery('simple', %s)",
            [" ".join(terms)],
        )


BACKEND = PostgreSQLBackend()
