"""Database upkeep that keeps query plans good as the data grows.

SQLite has no autovacuum daemon that gathers statistics: without ``ANALYZE`` its planner guesses, and at
100,000 tickets it picks the department index for lists that the status index serves in a fraction of the
time (BENCHMARKS.md). PostgreSQL's autovacuum analyses on its own, so this is a no-op there.
"""

from __future__ import annotations

from django.db import connections


def database_optimize(*, using: str = "default", full: bool = False) -> bool:
    """Refresh SQLite's planner statistics; returns whether anything ran.

    ``full`` analyses every table (after a migration or a bulk load); otherwise ``PRAGMA optimize`` only
    re-analyses tables whose statistics have drifted, which is cheap enough for a daily job.
    """
    connection = connections[using]
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE" if full else "PRAGMA optimize")
    return True
