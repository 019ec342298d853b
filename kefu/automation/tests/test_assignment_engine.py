"""Assignment rules hand new tickets out: in the configured order, alphabetically for a team or the whole
department, by load, by skill; skipping the away and the full; falling back; the history names the rule.

These run sequentially (SQLite and PostgreSQL); test_assignment_concurrency.py creates in parallel.
"""

from __future__ import annotations

import pytest

from kefu.automation.assignment.engine import UNASSIGNED_TAG
from kefu.automation.models import AssignmentRule
from kefu.automation.tests.routing_factories import AssignmentRuleFactory, SkillFactory
from kefu.core.actors import Actor, Source
from kefu.org.models import Agent
from kefu.org.tests.factories import AgentFactory, DepartmentFactory, TeamFactory
from kefu.tickets.models import TicketEvent
from kefu.tickets.services import ticket_set_status, ticket_update

pytestmark = pytest.mark.django_db


@pytest.fixture
def trio(department) -> list[Agent]:
    """Added in the order 小张, 小王, 小李 (not alphabetical by their English names)."""
    return [
        AgentFactory(user__name=name, user__email=f"{email}@kefu.test", departments=[department])
        for name, email in (("Zhang", "zhang"), ("Wang", "wang"), ("Li", "li"))
    ]


def _names(tickets) -> list[str]:
    return [ticket.assignee.name if ticket.assignee else None for ticket in tickets]


def _create(create_ticket, count: int, **fields) -> list:
    tickets = [create_ticket(subject=f"打印机 {index}", **fields) for index in range(count)]
    for ticket in tickets:
        ticket.refresh_from_db()
    return tickets


def test_round_robin_follows_the_configured_order_and_the_history_names_the_rule(
    create_ticket, department, trio
):
    rule = AssignmentRuleFactory(name="售后轮流", department=department, agents=trio)

    tickets = _create(create_ticket, 7)

    assert _names(tickets) == ["Zhang", "Wang", "Li", "Zhang", "Wang", "Li", "Zhang"]
    event = TicketEvent.objects.get(ticket=tickets[0], field="assignee")
    assert (event.actor_kind, event.actor_id, event.actor_name, event.source) == (
        "rule",
        rule.pk,
        "售后轮流",
        "automation",
    )
    assert event.new_value == {"id": trio[0].user_id, "name": "Zhang"}
    rule.pointer.refresh_from_db()
    assert (rule.pointer.last_user_id, rule.pointer.turns) == (trio[0].user_id, 7)


def test_all_agents_of_the_department_take_turns_alphabetically(create_ticket, department, trio, other_agent):
    AssignmentRuleFactory(department=department)

    assert _names(_create(create_ticket, 4)) == ["Li", "Wang", "Zhang", "Li"]


def test_a_teams_members_take_turns_alphabetically_and_the_ticket_joins_the_team(
    create_ticket, department, trio
):
    team = TeamFactory(department=department, name="换货组")
    for agent in trio[:2]:
        agent.teams.add(team)
    AssignmentRuleFactory(department=department, team=team)

    tickets = _create(create_ticket, 3)

    assert _names(tickets) == ["Wang", "Zhang", "Wang"]
    assert {ticket.team_id for ticket in tickets} == {team.pk}


def test_load_balanced_gives_the_ticket_to_the_fewest_open_ties_in_turn_order(
    create_ticket, department, trio
):
    zhang, wang, li = trio
    for agent, count in ((zhang, 2), (li, 1)):
        for _ in range(count):
            create_ticket(assignee_id=agent.user_id)
    closed = create_ticket(assignee_id=wang.user_id)
    ticket_set_status(actor=Actor.system(), source=Source.IMPORT, ticket=closed, status="已关闭")
    AssignmentRuleFactory(department=department, type=AssignmentRule.Type.LOAD_BALANCED, agents=trio)

    # Open: 张 2, 王 0 (its closed ticket does not count), 李 1. Then 2-1-1: of the tied, 李 comes after
    # 王 (who had the last turn); 2-1-2 → 王; 2-2-2: all tied, the turn after 王 is 李's again.
    assert _names(_create(create_ticket, 4)) == ["Wang", "Li", "Wang", "Li"]


def test_skills_rule_gives_tickets_only_to_agents_with_every_required_skill(create_ticket, department, trio):
    zhang, wang, li = trio
    repair = SkillFactory(name="手机维修", agents=[zhang, li])
    english = SkillFactory(name="英语", agents=[zhang, wang, li])
    AssignmentRuleFactory(
        department=department,
        type=AssignmentRule.Type.SKILLS,
        agents=trio,
        skills=[repair, english],
        criteria={"all": [{"field": "subject", "op": "contains", "value": "发热"}]},
    )

    tickets = [create_ticket(subject=f"手机发热 {index}") for index in range(3)]

    assert _names([t.__class__.objects.get(pk=t.pk) for t in tickets]) == ["Zhang", "Li", "Zhang"]


def test_away_agents_are_skipped_only_when_the_rule_says_so(create_ticket, department, trio):
    zhang, _wang, li = trio
    Agent.objects.filter(pk__in=[zhang.pk, li.pk]).update(availability=Agent.Availability.ONLINE)
    rule = AssignmentRuleFactory(department=department, agents=trio)

    assert _names(_create(create_ticket, 3)) == ["Zhang", "Wang", "Li"]

    rule.skip_unavailable = True
    rule.save()
    assert _names(_create(create_ticket, 3)) == ["Zhang", "Li", "Zhang"]


def test_a_full_agent_is_passed_over_and_with_everyone_full_the_ticket_is_flagged(
    create_ticket, department, trio
):
    AssignmentRuleFactory(department=department, agents=trio[:2], cap=2)

    tickets = _create(create_ticket, 5)

    assert _names(tickets) == ["Zhang", "Wang", "Zhang", "Wang", None]
    assert [tag.name for tag in tickets[4].tags.all()] == [UNASSIGNED_TAG]
    assert not tickets[3].tags.exists()


def test_fallbacks_to_an_agent_or_a_team(create_ticket, department, trio):
    zhang, _wang, li = trio
    team = TeamFactory(department=department, name="值班组")
    AssignmentRuleFactory(
        department=department,
        agents=[zhang],
        cap=1,
        fallback=AssignmentRule.Fallback.AGENT,
        fallback_agent=li.user,
    )
    first, second, third = _create(create_ticket, 3)
    assert _names([first, second, third]) == ["Zhang", "Li", "Li"]

    AssignmentRule.objects.update(fallback=AssignmentRule.Fallback.TEAM, fallback_team=team)
    (fourth,) = _create(create_ticket, 1)
    assert (fourth.assignee_id, fourth.team_id) == (None, team.pk)


def test_the_first_matching_enabled_rule_of_the_department_decides(create_ticket, department, trio):
    zhang, wang, li = trio
    AssignmentRuleFactory(department=department, agents=[li], order=0, enabled=False)
    AssignmentRuleFactory(
        department=department,
        agents=[zhang],
        order=1,
        criteria={"all": [{"field": "subject", "op": "contains", "value": "发热"}]},
    )
    AssignmentRuleFactory(department=department, agents=[wang], order=2)

    hot = create_ticket(subject="手机发热严重")
    other = create_ticket(subject="发票抬头错误")

    hot.refresh_from_db()
    other.refresh_from_db()
    assert _names([hot, other]) == ["Zhang", "Wang"]


def test_a_ticket_created_with_an_assignee_keeps_it(create_ticket, department, trio):
    AssignmentRuleFactory(department=department, agents=trio)

    ticket = create_ticket(assignee_id=trio[2].user_id)

    ticket.refresh_from_db()
    assert ticket.assignee_id == trio[2].user_id
    assert not TicketEvent.objects.filter(ticket=ticket, actor_kind="rule").exists()


def test_a_ticket_moved_to_another_department_is_handed_out_there(create_ticket, department, trio):
    billing = DepartmentFactory(code="billing", name="财务", name_en="Billing")
    cashier = AgentFactory(user__name="Cashier", departments=[billing])
    AssignmentRuleFactory(department=billing, agents=[cashier])
    ticket = create_ticket()
    ticket.refresh_from_db()
    assert ticket.assignee_id is None

    ticket_update(
        actor=Actor.system(), source=Source.IMPORT, ticket=ticket, changes={"department_id": billing.pk}
    )

    ticket.refresh_from_db()
    assert (ticket.department_id, ticket.assignee_id) == (billing.pk, cashier.user_id)


def test_direct_rules_send_to_one_team_or_one_agent(create_ticket, department, trio):
    team = TeamFactory(department=department, name="换货组")
    AssignmentRuleFactory(
        department=department,
        type=AssignmentRule.Type.DIRECT,
        team=team,
        criteria={"all": [{"field": "subject", "op": "contains", "value": "换货"}]},
    )
    AssignmentRuleFactory(department=department, type=AssignmentRule.Type.DIRECT, agents=[trio[1]])

    exchange = create_ticket(subject="我要换货")
    other = create_ticket(subject="咨询")

    exchange.refresh_from_db()
    other.refresh_from_db()
    assert (exchange.team_id, exchange.assignee_id) == (team.pk, None)
    assert (other.team_id, other.assignee_id) == (None, trio[1].user_id)


def test_deactivated_agents_and_agents_who_left_the_department_never_take_a_turn(
    create_ticket, department, trio
):
    zhang, wang, _li = trio
    AssignmentRuleFactory(department=department, agents=trio)
    zhang.user.is_active = False
    zhang.user.save()
    wang.departments.clear()

    assert _names(_create(create_ticket, 2)) == ["Li", "Li"]
