"""The rule hook: a registered runner reacts to each change-set inside its transaction, through the services.

What a rule changes is a change-set of its own, caused by the one that triggered it; a failing runner is
undone alone; a chain of rule-caused changes stops at ``MAX_DEPTH``; with no runner nothing happens.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kefu.core.actors import Actor, Source
from kefu.core.event_types import EventType
from kefu.core.models import OutboxEvent
from kefu.tickets.models import Priority, Ticket, TicketEvent
from kefu.tickets.rules import (
    MAX_DEPTH,
    register_rule_runner,
    registered_rule_runners,
    unregister_rule_runner,
)
from kefu.tickets.services import ticket_update
from kefu.tickets.services.changes import RecordedChange

pytestmark = pytest.mark.django_db

RULE = Actor.rule(1, "VIP 升级")


@pytest.fixture
def runners() -> Iterator[Callable[..., None]]:
    """Register runners for one test, alone: the installed ones (the automation app's) step aside for it and
    come back afterwards, and the test's own are unregistered, whatever happens."""
    installed = registered_rule_runners()
    for registration in installed:
        unregister_rule_runner(registration.runner)
    registered: list[Callable[[RecordedChange], None]] = []

    def register(
        runner: Callable[[RecordedChange], None], wants: Callable[[RecordedChange], bool] | None = None
    ) -> None:
        registered.append(runner)
        register_rule_runner(runner, wants=wants)

    yield register
    for runner in registered:
        unregister_rule_runner(runner)
    assert registered_rule_runners() == ()
    for registration in installed:
        register_rule_runner(registration.runner, wants=registration.wants)


@pytest.fixture
def ticket(create_ticket) -> Ticket:
    return create_ticket()


def _rename(ticket: Ticket, agent) -> Ticket:
    return ticket_update(
        actor=Actor.agent(agent.user), source=Source.WEB, ticket=ticket, changes={"subject": "打印机离线"}
    )


def _raise_priority(change: RecordedChange) -> None:
    """A rule: when an agent changes a ticket, make it high priority."""
    if change.actor.is_agent:
        ticket_update(actor=RULE, source=Source.AUTOMATION, ticket=change.ticket, changes={"priority": "高"})


def _change_sets(ticket: Ticket) -> list[tuple[str, str, str, list[str]]]:
    """(change_set, caused_by, actor kind, fields) of each change-set after the creation, in order."""
    sets: dict[str, tuple[str, str, str, list[str]]] = {}
    for row in TicketEvent.objects.filter(ticket=ticket).exclude(action="ticket.created").order_by("id"):
        entry = sets.setdefault(row.change_set, (row.change_set, row.caused_by, row.actor_kind, []))
        entry[3].append(row.field)
    return list(sets.values())


def test_a_rules_change_is_a_change_set_caused_by_the_one_that_triggered_it(
    ticket, agent, runners, published
):
    runners(_raise_priority)
    changed = _rename(ticket, agent)
    # The caller gets the ticket as the rules left it.
    assert (changed.subject, changed.priority.name) == ("打印机离线", "高")
    assert Ticket.objects.get(pk=ticket.pk).priority.name == "高"
    (trigger, trigger_cause, trigger_actor, trigger_fields), (rule_set, cause, rule_actor, rule_fields) = (
        _change_sets(ticket)
    )
    assert (trigger_cause, trigger_actor, trigger_fields) == ("", "agent", ["subject"])
    assert (cause, rule_actor, rule_fields) == (trigger, "rule", ["priority"])
    rule_row = TicketEvent.objects.get(ticket=ticket, change_set=rule_set)
    medium, high = Priority.objects.get(name="中"), Priority.objects.get(name="高")
    assert (rule_row.actor_id, rule_row.actor_name, rule_row.source) == (1, "VIP 升级", "automation")
    assert (rule_row.old_value, rule_row.new_value) == (
        {"id": medium.pk, "name": "中"},
        {"id": high.pk, "name": "高"},
    )
    updates = published(EventType.TICKET_UPDATED)
    # One published event per change-set (their order: see the test below).
    assert sorted((p["change_set"], p["caused_by"], p["actor"]["kind"]) for p in updates) == sorted(
        [(trigger, None, "agent"), (rule_set, trigger, "rule")]
    )


def test_the_outbox_announces_a_cause_before_its_effects(ticket, agent, runners, published):
    runners(_raise_priority)
    _rename(ticket, agent)
    updates = published(EventType.TICKET_UPDATED)
    assert [(p["actor"]["kind"], p["caused_by"]) for p in updates] == [
        ("agent", None),
        ("rule", updates[0]["change_set"]),
    ]


def test_rules_run_on_a_new_ticket_too(create_ticket, runners, published):
    seen: list[tuple[str, str | None]] = []
    runners(lambda change: seen.append((change.event_type.value, change.caused_by)))
    ticket = create_ticket()
    [created] = published(EventType.TICKET_CREATED)
    assert seen == [("ticket.created", None)]
    assert created["ticket_id"] == ticket.pk


def test_a_failing_runner_is_undone_alone(ticket, agent, runners, published, caplog):
    def half_done_then_fails(change: RecordedChange) -> None:
        if change.actor.is_agent:
            ticket_update(
                actor=RULE, source=Source.AUTOMATION, ticket=change.ticket, changes={"category": "半途"}
            )
            raise RuntimeError("rule broke")

    runners(half_done_then_fails)
    runners(_raise_priority)  # a later runner still runs
    with caplog.at_level(logging.ERROR, logger="kefu.tickets.rules"):
        changed = _rename(ticket, agent)
    assert "rule broke" in caplog.text
    row = Ticket.objects.get(pk=ticket.pk)
    # The triggering change stands, the failing rule left nothing, the other rule applied.
    assert (row.subject, row.category, row.priority.name) == ("打印机离线", "", "高")
    assert (changed.subject, changed.category) == ("打印机离线", "")
    (trigger, _cause, _actor, fields), (_rule_set, cause, actor, rule_fields) = _change_sets(ticket)
    assert (fields, cause, actor, rule_fields) == (["subject"], trigger, "rule", ["priority"])
    assert not TicketEvent.objects.filter(field="category").exists()
    assert sorted(p["changes"][0]["field"] for p in published(EventType.TICKET_UPDATED)) == [
        "priority",
        "subject",
    ]


def test_a_rule_that_keeps_retriggering_itself_stops_at_the_depth_limit(ticket, agent, runners, caplog):
    low, high = Priority.objects.get(name="低"), Priority.objects.get(name="高")

    def flip(change: RecordedChange) -> None:
        target = low if change.ticket.priority_id == high.pk else high
        ticket_update(
            actor=RULE, source=Source.AUTOMATION, ticket=change.ticket, changes={"priority": target.pk}
        )

    runners(flip)
    with caplog.at_level(logging.WARNING, logger="kefu.tickets.rules"):
        _rename(ticket, agent)
    sets = _change_sets(ticket)
    assert len(sets) == 1 + MAX_DEPTH
    # A chain: each rule change-set was caused by the one before it.
    assert [cause for _set, cause, _actor, _fields in sets] == ["", *[s[0] for s in sets[:-1]]]
    assert [actor for _set, _cause, actor, _fields in sets] == ["agent"] + ["rule"] * MAX_DEPTH
    assert f"rules stopped at depth {MAX_DEPTH}" in caplog.text
    assert OutboxEvent.objects.filter(event_type=EventType.TICKET_UPDATED).count() == 1 + MAX_DEPTH


def test_without_a_runner_nothing_else_happens(ticket, agent, published, runners):
    assert registered_rule_runners() == ()
    _rename(ticket, agent)
    [(_set, cause, actor, fields)] = _change_sets(ticket)
    assert (cause, actor, fields) == ("", "agent", ["subject"])
    assert Ticket.objects.get(pk=ticket.pk).priority.name == "中"
    assert len(published(EventType.TICKET_UPDATED)) == 1


def _savepoints(queries: CaptureQueriesContext) -> int:
    return sum(query["sql"].upper().startswith("SAVEPOINT") for query in queries.captured_queries)


def test_a_runner_that_does_not_want_a_change_is_not_called_and_costs_no_savepoint(
    ticket, agent, runners, published
):
    with CaptureQueriesContext(connection) as without_runner:
        ticket = _rename(ticket, agent)
    called: list[str] = []
    runners(lambda change: called.append(change.change_set), wants=lambda change: False)
    with CaptureQueriesContext(connection) as with_unwanting_runner:
        ticket_update(
            actor=Actor.agent(agent.user), source=Source.WEB, ticket=ticket, changes={"subject": "打印机在线"}
        )
    assert called == []
    assert _savepoints(with_unwanting_runner) == _savepoints(without_runner)

    runners(lambda change: called.append(change.change_set), wants=lambda change: True)
    with CaptureQueriesContext(connection) as with_wanting_runner:
        _rename(ticket, agent)
    assert len(called) == 1
    assert _savepoints(with_wanting_runner) == _savepoints(without_runner) + 1
