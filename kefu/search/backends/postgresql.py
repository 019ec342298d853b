"""PostgreSQL full text: a tsvector per row with a GIN index, ranked by BM25-style weights.

The tsvector is written as a literal (not through ``to_tsvector``), so its lexemes are exactly the terms
of ``kefu.search.analysis``; fields are told apart by weight labels (title A, tags B, bigrams of the
title C, body D) and bigrams by a ``~`` in front of their lexeme. ``ts_rank_cd`` knows no inverse document
frequency, which a ranking over OR-ed words cannot do without (otherwise 问题 outweighs 发票), so the score
is the sum over query terms of idf(term) × ts_rank(weights, document, term): the same shape as the
bm25() of SQLite's FTS5 (a saturating, field-weighted term frequency times idf).
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from django.db import connection
from django.db.models.expressions import RawSQL

from kefu.search.analysis import QueryTerms
from kefu.search.backends.base import WEIGHTS, IndexRow, Restriction

GRAM = "~"
MAX_POSITION = 16383
MAX_POSITIONS_PER_LEXEME = 256
# Weight labels per field, and the multipliers ts_rank applies to them ({D, C, B, A}).
LABELS = {"title": "A", "tags": "B", "title_grams": "C", "body": "D", "body_grams": "D"}
# A bigram's contribution relative to a word's (the body's bigram weight over the body's word weight).
GRAM_FACTOR = WEIGHTS["body_grams"] / WEIGHTS["body"]
RANK_WEIGHTS = "{{{}, {}, {}, 1.0}}".format(
    WEIGHTS["body"] / WEIGHTS["title"],
    WEIGHTS["title_grams"] / WEIGHTS["title"] / GRAM_FACTOR,
    WEIGHTS["tags"] / WEIGHTS["title"],
)
DF_CAP = 20_000


def _lexeme(term: str) -> str:
    return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"


def tsvector_literal(fields: dict[str, str]) -> str:
    positions: dict[str, list[str]] = {}
    position = 0
    for name in ("title", "tags", "title_grams", "body", "body_grams"):
        label = LABELS[name]
        gram = name.endswith("_grams")
        for term in fields.get(name, "").split():
            position = min(position + 1, MAX_POSITION)
            entries = positions.setdefault(GRAM + term if gram else term, [])
            if len(entries) < MAX_POSITIONS_PER_LEXEME:
                entries.append(f"{position}{label}")
    return " ".join(f"{_lexeme(term)}:{','.join(entries)}" for term, entries in positions.items())


def _query_lexemes(terms: QueryTerms) -> list[tuple[str, float]]:
    return [(word, 1.0) for word in terms.words] + [(GRAM + gram, GRAM_FACTOR) for gram in terms.grams]


def _or_query(lexemes: list[tuple[str, float]]) -> str:
    return " | ".join(_lexeme(lexeme) for lexeme, _factor in lexemes)


class PostgreSQLBackend:
    def store(self, index: str, rows: Iterable[IndexRow]) -> None:
        table = f"search_{index}_vector"
        rows = list(rows)
        words = sorted(
            {
                word
                for row in rows
                for name in ("title", "tags", "body")
                for word in row.fields.get(name, "").split()
                if len(word) >= 4 and word.isascii() and word.isalpha()
            }
        )
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {table} (id, vector) VALUES (%s, %s::tsvector) "
                "ON CONFLICT (id) DO UPDATE SET vector = EXCLUDED.vector",
                [(row.id, tsvector_literal(row.fields)) for row in rows],
            )
            if words:
                # The Latin words seen, for typo correction (SQLite reads them from an fts5vocab table).
                cursor.execute(
                    "INSERT INTO search_vocabulary (index_name, term) SELECT %s, unnest(%s::text[]) "
                    "ON CONFLICT DO NOTHING",
                    [index, words],
                )

    def remove(self, index: str, ids: Iterable[int]) -> None:
        table = f"search_{index}_vector"
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {table} WHERE id = ANY(%s)", [list(ids)])

    def _idf(self, index: str, lexemes: list[tuple[str, float]]) -> list[float]:
        """Inverse document frequencies, each count capped (a word in 20,000 rows is common enough)."""
        table = f"search_{index}_vector"
        counts = ", ".join(
            f"(SELECT count(*) FROM (SELECT 1 FROM {table} WHERE vector @@ %s::tsquery LIMIT {DF_CAP}) s)"
            for _ in lexemes
        )
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT greatest(c.reltuples::bigint, 0), {counts} "
                "FROM pg_class c WHERE c.oid = %s::regclass",
                [*(_lexeme(lexeme) for lexeme, _f in lexemes), table],
            )
            row = cursor.fetchone()
            estimate, frequencies = int(row[0]), [int(value) for value in row[1:]]
            if estimate < 50_000:
                cursor.execute(f"SELECT count(*) FROM {table}")
                estimate = int(cursor.fetchone()[0])
        total = max(estimate, max(frequencies, default=0), 1)
        return [math.log(1 + (total - df + 0.5) / (df + 0.5)) for df in frequencies]

    def rank(
        self, index: str, terms: QueryTerms, *, restriction: Restriction, limit: int
    ) -> list[tuple[int, float]]:
        table = f"search_{index}_vector"
        lexemes = _query_lexemes(terms)
        if not lexemes:
            return []
        idf = self._idf(index, lexemes)
        score = " + ".join(
            f"{factor * weight!r} * ts_rank('{RANK_WEIGHTS}', v.vector, %s::tsquery, 1)"
            for (_lexeme_text, factor), weight in zip(lexemes, idf, strict=True)
        )
        join = restriction.join.format(id="v.id")
        where = f"AND {restriction.where}" if restriction.where else ""
        sql = (
            f"SELECT v.id, ({score}) AS score FROM {table} v {join} "
            f"WHERE v.vector @@ %s::tsquery {where} ORDER BY score DESC, v.id DESC LIMIT %s"
        )
        params = [
            *(_lexeme(lexeme) for lexeme, _f in lexemes),
            _or_query(lexemes),
            *restriction.params,
            limit,
        ]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [(row[0], float(row[1])) for row in cursor.fetchall()]

    def matching_ids(self, index: str, terms: QueryTerms) -> RawSQL:
        table = f"search_{index}_vector"
        return RawSQL(
            f"SELECT id FROM {table} WHERE vector @@ %s::tsquery", [_or_query(_query_lexemes(terms))]
        )

    def prefixed(self, index: str, prefix: str, *, restriction: Restriction, limit: int) -> list[int]:
        table = f"search_{index}_vector"
        join = restriction.join.format(id="v.id")
        where = f"AND {restriction.where}" if restriction.where else ""
        query = f"{_lexeme(prefix)}:*AB"
        sql = (
            f"SELECT v.id FROM {table} v {join} WHERE v.vector @@ %s::tsquery {where} "
            f"ORDER BY ts_rank('{RANK_WEIGHTS}', v.vector, %s::tsquery) DESC, v.id DESC LIMIT %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [query, *restriction.params, query, limit])
            return [row[0] for row in cursor.fetchall()]

    def vocabulary(self, index: str, first: str, length: int) -> list[str]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT term FROM search_vocabulary WHERE index_name = %s AND term >= %s AND term < %s "
                "AND length(term) BETWEEN %s AND %s LIMIT 5000",
                [index, first, first + "\uffff", length - 2, length + 2],
            )
            return sorted(row[0] for row in cursor.fetchall())


BACKEND = PostgreSQLBackend()
