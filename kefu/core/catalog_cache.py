"""Per-process caches of catalogue data, invalidated across processes by one version number.

Statuses, priorities, custom-field definitions and help-desk settings are read by nearly every write and
change a few times a year. Each process keeps what it loaded, tagged with the catalogue version it saw
(the single ``CatalogVersion`` row). The version is read again at the start of every request and task,
and otherwise at most every ``RECHECK_SECONDS``, so a change made by another process is seen by the next
request or task there. A change bumps the version in the transaction that makes it (``catalog_changed``;
the owning apps connect it to their models' save and delete signals, so admin, services and factories
all count), and nothing is cached from inside that transaction until it ends.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from django.db import transaction
from django.db.models import F

from kefu.core.models import CatalogVersion

T = TypeVar("T")

RECHECK_SECONDS = 2.0
_DIRTY_ATTRIBUTE = "_kefu_catalog_changed"

_values: dict[Hashable, tuple[int, Any]] = {}
_version = 0
_checked_at = -math.inf


def cached(key: Hashable, load: Callable[[], T]) -> T:
    """``load()``'s result, from this process's cache while the catalogue version is unchanged.

    Callers get the cached object itself: return immutable values, or copy before handing out.
    """
    connection = transaction.get_connection()
    if getattr(connection, _DIRTY_ATTRIBUTE, False):
        if connection.in_atomic_block:
            return load()  # this transaction changed the catalogue: what it sees is not committed
        setattr(connection, _DIRTY_ATTRIBUTE, False)
    version = _current_version()
    entry = _values.get(key)
    if entry is not None and entry[0] == version:
        return entry[1]
    value = load()
    _values[key] = (version, value)
    return value


def _current_version() -> int:
    global _version, _checked_at
    now = time.monotonic()
    if now - _checked_at >= RECHECK_SECONDS:
        _version = CatalogVersion.objects.filter(pk=1).values_list("version", flat=True).first() or 0
        _checked_at = now
    return _version


def recheck() -> None:
    """Read the version again before the next cached value is used (a request or task begins)."""
    global _checked_at
    _checked_at = -math.inf
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        setattr(connection, _DIRTY_ATTRIBUTE, False)


def forget() -> None:
    """Drop this process's cached values (after a commit that changed the catalogue; between tests)."""
    global _checked_at
    _values.clear()
    _checked_at = -math.inf
    setattr(transaction.get_connection(), _DIRTY_ATTRIBUTE, False)


def catalog_changed(**_signal_arguments: Any) -> None:
    """Bump the version inside the current transaction; other processes reload on their next check."""
    if not CatalogVersion.objects.filter(pk=1).update(version=F("version") + 1):
        CatalogVersion.objects.get_or_create(pk=1, defaults={"version": 1})
    _values.clear()
    global _checked_at
    _checked_at = -math.inf
    connection = transaction.get_connection()
    if connection.in_atomic_block:
        setattr(connection, _DIRTY_ATTRIBUTE, True)
        # Other threads of this process may have reloaded the old rows meanwhile.
        transaction.on_commit(forget)
