"""Ticket numbers stay gap-free and unique when many clients create tickets at once."""

import threading

import pytest
from django.db import close_old_connections, connection

from kefu.core.actors import Actor, Source
from kefu.tickets.inputs import ContactRef, TicketCreateInput
from kefu.tickets.models import Ticket
from kefu.tickets.services import ticket_create


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
