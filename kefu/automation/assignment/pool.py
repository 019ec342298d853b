"""Who may take a rule's tickets, in the order they take their turns.

The pool of a rule is its chosen agents in the configured order (``agent_ids``), else the members of its
team, else every agent of its department — those two alphabetically by name, as the seed says ("若选择
‘所有客服’或‘团队’,工单将按字母顺序分配"). A skills rule keeps only the agents who carry every required
skill. Deactivated users and agents who no longer work in the department never take a turn.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Q

from kefu.automation.models import AssignmentRule
from kefu.org.models import Agent
from kefu.org.selectors import agent_access
from kefu.tickets.models import StatusType, Ticket


@dataclass(frozen=True)
class Candidate:
    user_id: int
    name: str
    available: bool


def _alphabetical(agent: Agent) -> tuple[str, str]:
    return ((agent.user.name or agent.user.email).casefold(), agent.user.email)


def rule_pool(rule: AssignmentRule) -> list[Candidate]:
    """The rule's candidates in round-robin order (see the module's docstring)."""
    members = list(rule.members.order_by("position").values_list("user_id", flat=True))
    agents = Agent.objects.select_related("user").filter(user__is_active=True)
    if members:
        by_user = {agent.user_id: agent for agent in agents.filter(user_id__in=members)}
        ordered = [by_user[user_id] for user_id in members if user_id in by_user]
    else:
        scope = (
            agents.filter(teams=rule.team_id)
            if rule.team_id
            else agents.filter(departments=rule.department_id)
        )
        ordered = sorted(scope.distinct(), key=_alphabetical)
    if rule.type == AssignmentRule.Type.SKILLS:
        required = set(rule.skills.values_list("id", flat=True))
        if required:
            carrying = _carrying_all(required, [agent.pk for agent in ordered])
            ordered = [agent for agent in ordered if agent.pk in carrying]
    return [
        Candidate(
            agent.user_id,
            agent.user.name or agent.user.email,
            agent.availability == Agent.Availability.ONLINE,
        )
        for agent in ordered
        if agent_access(agent.user).can_see_department(rule.department_id)
    ]


def _carrying_all(skill_ids: set[int], agent_ids: Iterable[int]) -> set[int]:
    rows = (
        Agent.objects.filter(pk__in=list(agent_ids), skills__in=skill_ids)
        .values("pk")
        .annotate(n=Count("skills", distinct=True))
        .filter(n=len(skill_ids))
    )
    return {row["pk"] for row in rows}


def open_ticket_counts(user_ids: Iterable[int]) -> dict[int, int]:
    """How many tickets each agent has that are not closed (open or on hold), trash excluded."""
    ids = list(user_ids)
    if not ids:
        return {}
    rows = (
        Ticket.objects.filter(assignee_id__in=ids, deleted_at__isnull=True)
        .filter(~Q(status__status_type=StatusType.CLOSED))
        .values("assignee_id")
        .annotate(n=Count("id"))
    )
    counts = dict.fromkeys(ids, 0)
    counts.update({row["assignee_id"]: row["n"] for row in rows})
    return counts


def rotated(pool: list[Candidate], last_user_id: int | None) -> list[Candidate]:
    """The pool starting with the one after whoever had the last turn (from the top if they left it)."""
    ids = [candidate.user_id for candidate in pool]
    if last_user_id not in ids:
        return list(pool)
    start = ids.index(last_user_id) + 1
    return pool[start:] + pool[:start]


def agent_open_tickets(user_id: int) -> list[int]:
    """The ids of an agent's tickets that are not closed, oldest first (for sharing them out)."""
    return list(
        Ticket.objects.filter(assignee_id=user_id, deleted_at__isnull=True)
        .filter(~Q(status__status_type=StatusType.CLOSED))
        .order_by("created_at", "id")
        .values_list("id", flat=True)
    )
