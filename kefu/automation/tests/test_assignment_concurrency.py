"""Round-robin under parallel creation: no turn is handed out twice, no cap is exceeded.

The parallel tests need a database where concurrent writers really interleave and wait on row locks
(PostgreSQL: the rule's pointer row is locked with SELECT … FOR UPDATE until the creating transaction
commits). SQLite serialises every writing transaction, so there the same rotation is checked by the
sequential versions below, which run on both databases.
"""

from __future__ import annotations

import threading
from collections import Counter

import pytest
from django.conf import settings
from django.db import close_old_connections, connection

from kefu.automation.assignment.engine import UNASSIGNED_TAG
from kefu.automation.tests.routing_factories import AssignmentRuleFactory
from kefu.core.actors import Actor, Source
from kefu.org.tests.factories import AgentFactory
from kefu.tickets.inputs import ContactRef, TicketCreateInput
from kefu.tickets.models import Ticket
from kefu.tickets.services import ticket_create

ON_SQLITE = settings.DATABASES["default"]["ENGINE"].endswith("sqlite3")
postgresql_only = pytest.mark.skipif(
    ON_SQLITE,
    reason="parallel writers need PostgreSQL row locks; SQLite serialises writes (see the sequential tests)",
)

NAMES = ("小张", "小王", "小李", "小赵", "小刘")


@pytest.fixture
def five(department):
    """Five agents, in the order the rule lists them (not their alphabetical order)."""
    return [
        AgentFactory(user__name=name, user__email=f"rr{index}@kefu.test", departments=[department])
        for index, name in enumerate(NAMES)
    ]


def _create(department, label: str) -> None:
    ticket_create(
        actor=Actor.system(),
        source=Source.API,
        data=TicketCreateInput(
            subject=f"并发 {label}",
            description="同时提交",
            department_id=department.pk,
            contact=ContactRef(email="parallel@example.cn"),
        ),
    )


def _in_parallel(department, clients: int, per_client: int) -> list[BaseException]:
    errors: list[BaseException] = []

    def client(worker: int) -> None:
        try:
            for index in range(per_client):
                _create(department, f"{worker}-{index}")
        except BaseException as exc:
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=client, args=(worker,)) for worker in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def _assignees_by_number() -> list[int | None]:
    return list(Ticket.objects.order_by("number").values_list("assignee_id", flat=True))


def _assert_rotation(five, count: int) -> None:
    order = [agent.user_id for agent in five]
    assignees = _assignees_by_number()
    assert len(assignees) == count
    # Ticket numbers and turns are both taken inside the creating transaction, in the same order.
    assert assignees == [order[index % 5] for index in range(count)]
    spread = Counter(assignees)
    assert max(spread.values()) - min(spread.values()) <= 1
    assert set(spread) == set(order)


def _assert_capped(five, cap: int, count: int) -> None:
    per_agent = Counter(Ticket.objects.exclude(assignee=None).values_list("assignee_id", flat=True))
    assert per_agent == {agent.user_id: cap for agent in five}
    flagged = Ticket.objects.filter(assignee=None)
    assert flagged.count() == count - cap * len(five)
    assert all([tag.name for tag in ticket.tags.all()] == [UNASSIGNED_TAG] for ticket in flagged)


@postgresql_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_1000_tickets_from_4_parallel_clients_are_shared_evenly_in_the_configured_order(department, five):
    AssignmentRuleFactory(department=department, agents=five)

    errors = _in_parallel(department, clients=4, per_client=250)

    assert errors == []
    _assert_rotation(five, 1000)


@postgresql_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_cap_of_3_holds_under_parallel_creation(department, five):
    AssignmentRuleFactory(department=department, agents=five, cap=3)

    errors = _in_parallel(department, clients=4, per_client=10)

    assert errors == []
    _assert_capped(five, cap=3, count=40)


@pytest.mark.django_db
def test_sequential_creation_rotates_in_the_configured_order(department, five):
    AssignmentRuleFactory(department=department, agents=five)

    for index in range(53):
        _create(department, str(index))

    _assert_rotation(five, 53)


@pytest.mark.django_db
def test_sequential_creation_respects_a_cap_of_3(department, five):
    AssignmentRuleFactory(department=department, agents=five, cap=3)

    for index in range(20):
        _create(department, str(index))

    _assert_capped(five, cap=3, count=20)
