"""The rule runner: workflow rules fire on their trigger, act through the services as the rule, are logged."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kefu.automation.criteria import clean
from kefu.automation.models import RuleRun, Trigger
from kefu.automation.tests.factories import WorkflowRuleFactory
from kefu.core.actors import Actor, Source
from kefu.org.tests.factories import DepartmentFactory
from kefu.tickets.history_text import history_entries
from kefu.tickets.inputs import CommentInput, MessageInput, ReplyInput
from kefu.tickets.models import Priority, Ticket, TicketEvent
from kefu.tickets.rules import MAX_DEPTH
from kefu.tickets.services import ticket_comment, ticket_receive, ticket_reply, ticket_update

pytestmark = pytest.mark.django_db


def criteria(*conditions: dict) -> dict:
    cleaned, errors = clean({"all": list(conditions)})
    assert errors == {}
    return cleaned


def hot_phones(**overrides) -> None:
    values = {
        "name": "Hot phones",
        "criteria": criteria({"field": "subject", "op": "contains", "value": "发热"}),
        "actions": [{"type": "set_field", "field": "priority", "value": Priority.objects.get(name="高").pk}],
    }
    values.update(overrides)
    return WorkflowRuleFactory(**values)


def test_a_matching_rule_changes_the_new_ticket_and_the_history_names_it(create_ticket, exchange_team):
    rule = hot_phones(
        actions=[
            {"type": "set_field", "field": "priority", "value": Priority.objects.get(name="高").pk},
            {"type": "assign", "team_id": exchange_team.pk},
            {"type": "add_tags", "tags": ["发热"]},
            {"type": "comment", "body": "自动升级：手机发热"},
        ]
    )
    ticket = create_ticket(subject="手机发热严重")
    ticket.refresh_from_db()
    assert (ticket.priority.name, ticket.team_id) == ("高", exchange_team.pk)
    assert [tag.name for tag in ticket.tags.all()] == ["发热"]
    assert ticket.comments.get().body_text == "自动升级：手机发热"
    by_rule = TicketEvent.objects.filter(ticket=ticket, actor_kind="rule").order_by("id")
    assert {(event.actor_id, event.actor_name, event.source) for event in by_rule} == {
        (rule.pk, "Hot phones", "automation")
    }
    created = TicketEvent.objects.get(ticket=ticket, action="ticket.created")
    assert {event.caused_by for event in by_rule} == {created.change_set}
    texts = [
        entry.text for entry in history_entries(TicketEvent.objects.filter(ticket=ticket).order_by("id"))
    ]
    assert texts[1:] == [
        "Rule “Hot phones” changed priority from Medium to High",
        "Rule “Hot phones” set team to 换货组",
        "Rule “Hot phones” added the tag 发热",
        "Rule “Hot phones” added an internal comment",
    ]
    run = RuleRun.objects.get()
    assert (run.workflow_rule_id, run.ticket_id, run.outcome, run.depth) == (rule.pk, ticket.pk, "applied", 1)
    assert [step["type"] for step in run.actions] == ["set_field", "assign", "add_tags", "comment"]


def test_a_rule_that_does_not_match_does_nothing(create_ticket):
    hot_phones()
    ticket = create_ticket(subject="打印机坏了")
    assert ticket.priority.name == "中"
    assert RuleRun.objects.count() == 0
    assert not TicketEvent.objects.filter(actor_kind="rule").exists()


def test_disabled_rules_and_other_departments_are_skipped(create_ticket):
    hot_phones(enabled=False)
    hot_phones(department=DepartmentFactory())
    ticket = create_ticket(subject="手机发热")
    assert ticket.priority.name == "中"
    assert RuleRun.objects.count() == 0


def test_a_rule_saved_later_is_seen_by_the_next_change(create_ticket):
    first = create_ticket(subject="手机发热")
    hot_phones()
    second = create_ticket(subject="手机发热")
    assert (
        Ticket.objects.get(pk=first.pk).priority.name,
        Ticket.objects.get(pk=second.pk).priority.name,
    ) == ("中", "高")


def test_updated_trigger_narrowed_to_fields(create_ticket, agent):
    WorkflowRuleFactory(
        name="Tag urgent ones",
        trigger=Trigger.UPDATED,
        trigger_fields=["priority"],
        criteria=criteria({"field": "priority", "op": "changed_to", "value": "紧急"}),
        actions=[{"type": "add_tags", "tags": ["加急"]}],
    )
    ticket = create_ticket()
    actor = Actor.agent(agent.user)
    ticket_update(actor=actor, source=Source.WEB, ticket=ticket, changes={"subject": "新标题"})
    assert not ticket.tags.exists()
    ticket_update(actor=actor, source=Source.WEB, ticket=ticket, changes={"priority": "紧急"})
    assert [tag.name for tag in ticket.tags.all()] == ["加急"]


@pytest.mark.parametrize(
    ("trigger", "act"),
    [
        (
            Trigger.CUSTOMER_MESSAGE,
            lambda t, a: ticket_receive(
                actor=Actor.system(), source=Source.EMAIL, ticket=t, data=MessageInput(body="还是不行")
            ),
        ),
        (
            Trigger.AGENT_REPLY,
            lambda t, a: ticket_reply(
                actor=Actor.agent(a.user), source=Source.WEB, ticket=t, data=ReplyInput(body="请重启")
            ),
        ),
        (
            Trigger.COMMENT,
            lambda t, a: ticket_comment(
                actor=Actor.agent(a.user), source=Source.WEB, ticket=t, data=CommentInput(body="看一下")
            ),
        ),
        (
            Trigger.STATUS_CHANGED,
            lambda t, a: ticket_update(
                actor=Actor.agent(a.user), source=Source.WEB, ticket=t, changes={"status": "处理中"}
            ),
        ),
        (
            Trigger.ASSIGNED,
            lambda t, a: ticket_update(
                actor=Actor.agent(a.user), source=Source.WEB, ticket=t, changes={"assignee_id": a.user.pk}
            ),
        ),
    ],
    ids=lambda value: value.value if isinstance(value, Trigger) else "",
)
def test_each_trigger_fires_on_its_change_only(create_ticket, agent, trigger, act):
    WorkflowRuleFactory(trigger=trigger, actions=[{"type": "add_tags", "tags": [trigger.value]}])
    ticket = create_ticket()
    assert not ticket.tags.exists()
    act(ticket, agent)
    assert [tag.name for tag in Ticket.objects.get(pk=ticket.pk).tags.all()] == [trigger.value]


def test_stop_ends_the_run(create_ticket):
    hot_phones(name="First", order=1, actions=[{"type": "add_tags", "tags": ["一"]}, {"type": "stop"}])
    hot_phones(name="Second", order=2, actions=[{"type": "add_tags", "tags": ["二"]}])
    ticket = create_ticket(subject="手机发热")
    assert [tag.name for tag in ticket.tags.all()] == ["一"]


def test_rules_run_in_order_and_see_each_others_changes(create_ticket):
    hot_phones(name="Raise", order=2)
    WorkflowRuleFactory(
        name="Tag high ones",
        order=3,
        criteria=criteria({"field": "priority", "op": "is", "value": "高"}),
        actions=[{"type": "add_tags", "tags": ["高优先"]}],
    )
    ticket = create_ticket(subject="手机发热")
    assert [tag.name for tag in ticket.tags.all()] == ["高优先"]


def test_a_failing_rule_is_undone_alone_and_logged(create_ticket, exchange_team):
    broken = hot_phones(
        name="Broken",
        order=1,
        actions=[
            {"type": "add_tags", "tags": ["先加"]},
            {"type": "set_field", "field": "team_id", "value": 999999},
        ],
    )
    hot_phones(name="Fine", order=2)
    ticket = create_ticket(subject="手机发热")
    ticket.refresh_from_db()
    assert not ticket.tags.exists()
    assert ticket.priority.name == "高"
    run = RuleRun.objects.get(workflow_rule=broken)
    assert run.outcome == "error"
    assert run.error == "The ticket is not valid. team_id: Unknown id 999999."


def test_loop_guard_stops_two_rules_flipping_a_field(create_ticket, agent):
    high, low = Priority.objects.get(name="高"), Priority.objects.get(name="低")
    flip = WorkflowRuleFactory(
        name="High to low",
        trigger=Trigger.UPDATED,
        trigger_fields=["priority"],
        criteria=criteria({"field": "priority", "op": "is", "value": high.pk}),
        actions=[{"type": "set_field", "field": "priority", "value": low.pk}],
    )
    flop = WorkflowRuleFactory(
        name="Low to high",
        trigger=Trigger.UPDATED,
        trigger_fields=["priority"],
        criteria=criteria({"field": "priority", "op": "is", "value": low.pk}),
        actions=[{"type": "set_field", "field": "priority", "value": high.pk}],
    )
    ticket = create_ticket()
    ticket_update(actor=Actor.agent(agent.user), source=Source.WEB, ticket=ticket, changes={"priority": "高"})
    runs = RuleRun.objects.order_by("-id")
    # The chain alternates rules one level deeper each time (each run is logged once its actions, and
    # the changes they caused, are done); at the limit the rules still act but trigger nothing more.
    assert [(run.workflow_rule_id, run.depth, run.outcome) for run in runs] == [
        (flip.pk, 1, "applied"),
        (flop.pk, 2, "applied"),
        (flip.pk, 3, "applied"),
        (flop.pk, 4, "applied"),
        (flop.pk, MAX_DEPTH, "depth_limit"),
        (flip.pk, MAX_DEPTH, "depth_limit"),
    ]
    ticket.refresh_from_db()
    assert ticket.priority == high


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_no_rule_for_the_trigger_costs_no_query(create_ticket, agent):
    """Enabled rules are loaded once per process (until a rule changes), grouped by trigger."""
    WorkflowRuleFactory(trigger=Trigger.COMMENT, actions=[{"type": "add_tags", "tags": ["x"]}])
    ticket = create_ticket()
    ticket_update(
        actor=Actor.agent(agent.user), source=Source.WEB, ticket=ticket, changes={"subject": "预热缓存"}
    )
    with CaptureQueriesContext(connection) as queries:
        ticket_update(
            actor=Actor.agent(agent.user), source=Source.WEB, ticket=ticket, changes={"subject": "第二次"}
        )
    assert [q["sql"] for q in queries.captured_queries if "automation_" in q["sql"]] == []
