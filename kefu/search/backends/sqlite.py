"""SQLite FTS5: a virtual table per index, one column per field, ranked by FTS5's bm25() with weights."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection
from django.db.models.expressions import RawSQL

from kefu.search.analysis import QueryTerms
from kefu.search.backends.base import FIELDS, WEIGHTS, IndexRow, Restriction

_BM25_WEIGHTS = ", ".join(str(WEIGHTS[name]) for name in FIELDS)


def _quote(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def match_expression(terms: QueryTerms) -> str:
    """The FTS5 query: any word in the word columns or any bigram in the bigram columns.

    Every term is a quoted string, so nothing a user types is read as FTS5 syntax (NEAR, *, ^, AND …).
    """
    parts = []
    if terms.words:
        parts.append("{title tags body} : (" + " OR ".join(map(_quote, terms.words)) + ")")
    if terms.grams:
        parts.append("{title_grams body_grams} : (" + " OR ".join(map(_quote, terms.grams)) + ")")
    return " OR ".join(parts)


class SQLiteBackend:
    def store(self, index: str, rows: Iterable[IndexRow]) -> None:
        table = f"search_{index}_fts"
        rows = list(rows)
        columns = ", ".join(FIELDS)
        marks = ", ".join(["%s"] * len(FIELDS))
        with connection.cursor() as cursor:
            cursor.executemany(f"DELETE FROM {table} WHERE rowid = %s", [(row.id,) for row in rows])
            cursor.executemany(
                f"INSERT INTO {table}(rowid, {columns}) VALUES (%s, {marks})",
                [(row.id, *(row.fields.get(name, "") for name in FIELDS)) for row in rows],
            )

    def remove(self, index: str, ids: Iterable[int]) -> None:
        table = f"search_{index}_fts"
        with connection.cursor() as cursor:
            cursor.executemany(f"DELETE FROM {table} WHERE rowid = %s", [(pk,) for pk in ids])

    def rank(
        self, index: str, terms: QueryTerms, *, restriction: Restriction, limit: int
    ) -> list[tuple[int, float]]:
        table = f"search_{index}_fts"
        join = restriction.join.format(id=f"{table}.rowid")
        where = f"AND {restriction.where}" if restriction.where else ""
        sql = (
            f"SELECT {table}.rowid, -bm25({table}, {_BM25_WEIGHTS}) AS score FROM {table} {join} "
            f"WHERE {table} MATCH %s {where} ORDER BY score DESC, {table}.rowid DESC LIMIT %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [match_expression(terms), *restriction.params, limit])
            return [(row[0], float(row[1])) for row in cursor.fetchall()]

    def matching_ids(self, index: str, terms: QueryTerms) -> RawSQL:
        table = f"search_{index}_fts"
        return RawSQL(f"SELECT rowid FROM {table} WHERE {table} MATCH %s", [match_expression(terms)])

    def prefixed(self, index: str, prefix: str, *, restriction: Restriction, limit: int) -> list[int]:
        table = f"search_{index}_fts"
        join = restriction.join.format(id=f"{table}.rowid")
        where = f"AND {restriction.where}" if restriction.where else ""
        sql = (
            f"SELECT {table}.rowid FROM {table} {join} WHERE {table} MATCH %s {where} "
            f"ORDER BY bm25({table}, {_BM25_WEIGHTS}), {table}.rowid DESC LIMIT %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, ["{title tags} : " + _quote(prefix) + " *", *restriction.params, limit])
            return [row[0] for row in cursor.fetchall()]

    def vocabulary(self, index: str, first: str, length: int) -> list[str]:
        table = f"search_{index}_fts"
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT term FROM {table}_vocab WHERE term >= %s AND term < %s "
                "AND length(term) BETWEEN %s AND %s AND col IN ('title', 'tags', 'body') LIMIT 5000",
                [first, first + "\uffff", length - 2, length + 2],
            )
            return sorted({row[0] for row in cursor.fetchall()})


BACKEND = SQLiteBackend()
