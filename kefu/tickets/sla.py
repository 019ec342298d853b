"""The SLA state a ticket carries: what the tickets app knows of SLAs without importing the SLA app.

The SLA app (``kefu.sla``) computes the timers and writes their result onto the ticket through
``services.sla.ticket_sla_write``: the running due dates (columns, so that the Overdue and Due today views
are plain indexed filters), ``sla_policy_id``, ``sla_paused`` and the ``sla`` column, per target::

    {"first_response": {"due_at": "2026-12-07T10:00:00+00:00", "met": null, "breached": false,
                        "business": true, "minutes": 60.0}, …, "calendar": {"id": 3}}

``due_at`` is ``null`` while the ticket is on hold (``sla_paused``). A target's ``breached`` is what the
SLA app recorded; :func:`sla_targets` also calls a running target breached once its due date has passed,
so that a reader never waits for the escalation sweep to know a ticket is late.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_datetime

TARGETS = ("first_response", "next_response", "resolution")
DUE_COLUMNS = {target: f"{target}_due_at" for target in TARGETS}
SLA_COLUMNS = frozenset({*DUE_COLUMNS.values(), "sla_policy_id", "sla_paused", "sla"})


def sla_targets(ticket: Any, now: dt.datetime | None = None) -> dict[str, dict[str, Any]]:
    """``{target: {"due_at", "met", "breached"}}`` for the targets the ticket's policy sets."""
    state = ticket.sla or {}
    now = now or timezone.now()
    found: dict[str, dict[str, Any]] = {}
    for target in TARGETS:
        entry = state.get(target)
        if not isinstance(entry, dict):
            continue
        due = parse_datetime(entry["due_at"]) if entry.get("due_at") else None
        if ticket.sla_paused:
            due = None
        met = entry.get("met")
        breached = bool(entry.get("breached")) or (met is None and due is not None and due <= now)
        found[target] = {"due_at": due, "met": met, "breached": breached}
    return found
