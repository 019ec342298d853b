"""Reading rules and their execution log: lists with their counts in a fixed number of queries."""

from __future__ import annotations

from typing import TypeVar

from django.db.models import Count, Max, Q, QuerySet

from kefu.automation.models import RuleRun, TimeRule, WorkflowRule
from kefu.automation.models.base import RuleBase

R = TypeVar("R", bound=RuleBase)


def _runs_field(model: type[RuleBase]) -> str:
    return "time_rule" if model is TimeRule else "workflow_rule"


def rule_list(model: type[R]) -> QuerySet[R]:
    """Every rule of the kind in order, with ``runs_count``, ``errors_count`` and ``last_run_at``."""
    return (
        model.objects.select_related("department")
        .annotate(
            runs_count=Count("runs"),
            errors_count=Count("runs", filter=Q(runs__outcome=RuleRun.Outcome.ERROR)),
            last_run_at=Max("runs__created_at"),
        )
        .order_by("order", "id")
    )


def rule_get(model: type[R], rule_id: int) -> R | None:
    return rule_list(model).filter(pk=rule_id).first()


def rule_runs(rule: RuleBase, *, limit: int = 50) -> list[RuleRun]:
    """The rule's latest runs, newest first, with their tickets."""
    field = _runs_field(type(rule))
    return list(
        RuleRun.objects.filter(**{field: rule})
        .select_related("ticket")
        .order_by("-created_at", "-id")[:limit]
    )


def ticket_rule_runs(ticket_id: int, *, limit: int = 100) -> list[RuleRun]:
    """What rules did on one ticket, newest first (the ticket's automation log)."""
    return list(
        RuleRun.objects.filter(ticket_id=ticket_id)
        .select_related("workflow_rule", "time_rule")
        .order_by("-created_at", "-id")[:limit]
    )


__all__ = ["WorkflowRule", "rule_get", "rule_list", "rule_runs", "ticket_rule_runs"]
