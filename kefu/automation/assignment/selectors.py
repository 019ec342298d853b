"""Reading assignment rules with their agents, skills and pointer in a fixed number of queries."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from kefu.automation.models import AssignmentRule, AssignmentRuleAgent


def assignment_rule_list(*, department_id: int | None = None) -> QuerySet[AssignmentRule]:
    rules = AssignmentRule.objects.select_related(
        "department", "team", "fallback_team", "fallback_agent", "pointer"
    )
    rules = rules.prefetch_related(
        Prefetch("members", queryset=AssignmentRuleAgent.objects.select_related("user").order_by("position")),
        "skills",
    )
    if department_id is not None:
        rules = rules.filter(department_id=department_id)
    return rules.order_by("department_id", "order", "id")


def assignment_rule_get(rule_id: int) -> AssignmentRule | None:
    return assignment_rule_list().filter(pk=rule_id).first()
