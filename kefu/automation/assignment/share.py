"""“Share out this agent's open tickets”: when someone goes away, their open tickets go to the others.

Each open ticket of the agent is handed out again by the first of its department's rules that matches,
with the agent left out of the pool. A ticket that no rule matches stays with the agent (nobody was
configured to take it, and an unowned ticket would be lost); one whose rule finds nobody gets that rule's
fallback. Every ticket is its own transaction: one refused ticket does not undo the others.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from kefu.automation.assignment.engine import assign_by_rule, department_rules, matching_rule
from kefu.automation.assignment.pool import agent_open_tickets
from kefu.core.actors import Actor, Source
from kefu.core.audit import audit_record
from kefu.core.errors import NotFound
from kefu.org import permissions
from kefu.org.models import Agent
from kefu.org.services.common import require_permission
from kefu.tickets.models import Ticket


@dataclass
class ShareOutResult:
    """How the agent's open tickets were shared out: ``{user_id: count}`` and what stayed or was flagged."""

    reassigned: dict[int, int] = field(default_factory=dict)
    to_teams: int = 0
    flagged: int = 0
    kept: int = 0

    @property
    def moved(self) -> int:
        return sum(self.reassigned.values()) + self.to_teams + self.flagged


def agent_tickets_share_out(*, actor: Actor, source: Source, agent_id: int) -> ShareOutResult:
    """Hand the open tickets of the agent (a user id) to others through their departments' rules."""
    require_permission(actor, permissions.AGENT_MANAGE)
    agent = Agent.objects.select_related("user").filter(user_id=agent_id).first()
    if agent is None:
        raise NotFound(_("No such agent."))
    result = ShareOutResult()
    for ticket_id in agent_open_tickets(agent_id):
        ticket = Ticket.objects.get(pk=ticket_id)
        rule = matching_rule(ticket, department_rules(ticket.department_id))
        if rule is None:
            result.kept += 1
            continue
        decision = assign_by_rule(rule, ticket, exclude_user_id=agent_id)
        if decision.assignee_id is not None:
            result.reassigned[decision.assignee_id] = result.reassigned.get(decision.assignee_id, 0) + 1
        elif decision.flagged:
            result.flagged += 1
        else:
            result.to_teams += 1
    audit_record(
        actor=actor,
        source=source,
        action="agent.tickets_shared_out",
        obj=agent,
        changes={
            "reassigned": result.reassigned,
            "to_teams": result.to_teams,
            "flagged": result.flagged,
            "kept": result.kept,
        },
    )
    return result
