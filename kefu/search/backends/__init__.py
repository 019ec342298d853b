"""Full-text backends: one per database vendor, chosen from the connection at call time."""

from __future__ import annotations

from django.db import connection

from kefu.search.backends import postgresql, sqlite
from kefu.search.backends.base import SearchBackend


def backend() -> SearchBackend:
    return postgresql.BACKEND if connection.vendor == "postgresql" else sqlite.BACKEND
