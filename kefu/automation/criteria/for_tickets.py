"""The criteria engine as the tickets app sees it (``kefu.tickets.criteria``): registered when the app loads.

The ticket lists (console filter bar, API filters, saved views) compile their definitions with this very
engine, the one workflow and time rules evaluate; see ``kefu.tickets.criteria`` for why it is a seam.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from kefu.automation.criteria.clean import clean
from kefu.automation.criteria.evaluate import compile_q
from kefu.automation.criteria.fields import Field, get_field
from kefu.automation.criteria.operators import OPERATORS


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

    def describe(self, criteria: dict[str, Any]) -> str:
        """One line in the viewer's language: "Priority is 高 and (Tags contains VIP or …)"."""
        labels: dict[str, dict[str, str]] = {}

        def value_text(field: Field | None, value: Any) -> str:
            if isinstance(value, list):
                return ", ".join(value_text(field, item) for item in value)
            if value == "me" and field is not None and field.key == "assignee_id":
                return _("me")
            if field is not None and field.choices is not None:
                if field.key not in labels:
                    labels[field.key] = {str(code): str(label) for code, label in field.choices()}
                return labels[field.key].get(str(value), str(value))
            return str(value)

        def condition(item: dict[str, Any]) -> str:
            field = get_field(item["field"])
            operator = OPERATORS.get(item["op"])
            words = [
                str(field.label) if field else item["field"],
                str(operator.label) if operator else item["op"],
            ]
            if "value" in item:
                words.append(value_text(field, item["value"]))
            return " ".join(words)

        def group(node: dict[str, Any], *, top: bool) -> str:
            ((key, items),) = node.items()
            parts = [condition(item) if "field" in item else group(item, top=False) for item in items]
            text = (_(" and ") if key == "all" else _(" or ")).join(parts)
            return text if top or len(parts) < 2 else f"({text})"

        return group(criteria, top=True) if criteria else ""


def register() -> None:
    from kefu.tickets.criteria import register_criteria_engine

    register_criteria_engine(TicketListEngine())
