"""The criteria engine as the tickets app sees it (``kefu.tickets.criteria``): registered when the app loads.

The ticket lists (console filter bar, API filters, saved views) compile their definitions with this very
engine, the one workflow and time rules evaluate; see ``kefu.tickets.criteria`` for why it is a seam.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q

from kefu.automation.criteria.clean import clean
from kefu.automation.criteria.evaluate import compile_q


class TicketListEngine:
    def clean(
        self, criteria: Any, *, allow_changes: bool = True, root: str = "criteria"
    ) -> tuple[dict[str, Any], dict[str, str]]:
        return clean(criteria, allow_changes=allow_changes, root=root)

    def compile_q(self, criteria: dict[str, Any], *, now: dt.datetime | None = None) -> Q:
        return compile_q(criteria, now=now)

    def builder_catalog(self) -> dict[str, Any]:
        from kefu.automation.workflow.builder import builder_catalog

        return builder_catalog(allow_changes=False)


def register() -> None:
    from kefu.tickets.criteria import register_criteria_engine

    register_criteria_engine(TicketListEngine())
