"""``{"type": "assign", "assignment_rule_id": …}``: a workflow rule hands a ticket out by an assignment rule.

Extends the registry's ``assign`` action (``register_action(..., replace=True)``): ``agent_id`` and
``team_id`` keep working; ``assignment_rule_id`` (an id or the rule's name) takes the rule's next turn,
whatever the rule's own criteria — the workflow rule's criteria already chose the ticket.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from kefu.automation.actions import ActionContext, Step, register_action
from kefu.automation.actions.assign import Assign
from kefu.automation.assignment.engine import assign_by_rule, preview
from kefu.automation.models import AssignmentRule
from kefu.tickets.models import Ticket

KEY = "assignment_rule_id"


def _rule(value: Any) -> AssignmentRule | None:
    if isinstance(value, bool) or not isinstance(value, int | str):
        return None
    if isinstance(value, int) or value.isdigit():
        return AssignmentRule.objects.filter(pk=int(value)).first()
    return AssignmentRule.objects.filter(name=value).order_by("id").first()


class AssignByRule(Assign):
    def clean(self, data: dict[str, Any], path: str, errors: dict[str, str]) -> dict[str, Any] | None:
        if KEY not in data:
            return super().clean(data, path, errors)
        if set(data) - {"type", KEY}:
            errors[path] = _("Give either %(rule)s, or agent_id / team_id.") % {"rule": KEY}
            return None
        rule = _rule(data[KEY])
        if rule is None:
            errors[f"{path}.{KEY}"] = _("Unknown id %(id)s.") % {"id": data[KEY]}
            return None
        return {KEY: rule.pk}

    def plan(self, ticket: Ticket, data: dict[str, Any]) -> list[Step]:
        if KEY not in data:
            return super().plan(ticket, data)
        rule = AssignmentRule.objects.filter(pk=data[KEY]).first()
        if rule is None:
            return []
        decision = preview(rule)
        steps = []
        if decision.team_id is not None and decision.team_id != ticket.team_id:
            steps.append({"field": "team_id", "old": ticket.team_id, "new": decision.team_id})
        if decision.assignee_id is not None and decision.assignee_id != ticket.assignee_id:
            steps.append({"field": "assignee_id", "old": ticket.assignee_id, "new": decision.assignee_id})
        return steps

    def apply(self, ticket: Ticket, data: dict[str, Any], context: ActionContext) -> None:
        if KEY not in data:
            super().apply(ticket, data, context)
            return
        rule = AssignmentRule.objects.filter(pk=data[KEY]).first()
        if rule is not None:
            assign_by_rule(rule, ticket, actor=context.actor, source=context.source)


register_action(AssignByRule(), replace=True)
