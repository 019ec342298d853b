"""Ticket numbers stay gap-free and unique when many clients create tickets at once."""

import threading

import pytest
from django.db import close_old_connections, connection

from kefu.core.actors import Actor, Source
from kefu.org.tests.factories import DepartmentFactory
from kefu.tickets.inputs import ContactRef, TicketCreateInput
from kefu.tickets.models import DepartmentTicketSequence, Ticket
from kefu.tickets.services import ticket_create
from kefu.tickets.services.numbering import ticket_number_format_update


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_creators_get_distinct_consecutive_numbers(department):
    errors: list[BaseException] = []

    def create(worker: int) -> None:
        try:
            for index in range(5):
                ticket_create(
                    actor=Actor.system(),
                    source=Source.API,
                    data=TicketCreateInput(
                        subject=f"并发 {worker}-{index}",
                        description="同时提交",
                        department_id=department.pk,
                        contact=ContactRef(email=f"c{worker}@example.cn"),
                    ),
                )
        except BaseException as exc:
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=create, args=(worker,)) for worker in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sorted(Ticket.objects.values_list("number", flat=True)) == list(range(1, 31))


# 1,000 tickets created by several threads at once, each in its own transaction and connection: on
# PostgreSQL the counters' row locks are what keeps the numbers unique and gap-free (SQLite serialises
# every writer anyway). Run on PostgreSQL with DATABASE_URL=postgres://…; see docs/customisation.md.
CREATES = 1000
WORKERS = 8


def _create_in_parallel(departments: list[int]) -> None:
    errors: list[BaseException] = []

    def create(worker: int) -> None:
        try:
            for index in range(worker, CREATES, WORKERS):
                ticket_create(
                    actor=Actor.system(),
                    source=Source.API,
                    data=TicketCreateInput(
                        subject=f"并发 {index}",
                        description="同时提交",
                        department_id=departments[index % len(departments)],
                        contact=ContactRef(email=f"c{worker}@example.cn"),
                    ),
                )
        except BaseException as exc:
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=create, args=(worker,)) for worker in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_thousand_parallel_creates_get_unique_gap_free_seq_numbers(department, admin_agent):
    ticket_number_format_update(
        actor=Actor.agent(admin_agent.user), source=Source.WEB, number_format="AS-{SEQ:5}"
    )
    _create_in_parallel([department.pk])
    rows = list(Ticket.objects.values_list("number", "display_number"))
    assert sorted(number for number, _shown in rows) == list(range(1, CREATES + 1))
    assert sorted(shown for _number, shown in rows) == [f"AS-{n:05d}" for n in range(1, CREATES + 1)]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_thousand_parallel_creates_get_gap_free_numbers_per_department(department, admin_agent):
    books = DepartmentFactory(code="BK", name="图书", name_en="Books")
    ticket_number_format_update(
        actor=Actor.agent(admin_agent.user), source=Source.WEB, number_format="{DEPT}-{DEPTSEQ:4}"
    )
    _create_in_parallel([department.pk, books.pk])
    assert sorted(Ticket.objects.values_list("number", flat=True)) == list(range(1, CREATES + 1))
    half = CREATES // 2
    for row, code in ((department, "AFTER-SALES"), (books, "BK")):
        shown = sorted(Ticket.objects.filter(department=row).values_list("display_number", flat=True))
        assert shown == [f"{code}-{n:04d}" for n in range(1, half + 1)]
    sequences = dict(DepartmentTicketSequence.objects.values_list("department_id", "last_value"))
    assert sequences == {department.pk: half, books.pk: half}
