"""Two writes to one ticket at the same moment both land, and each records what it really changed.

The change record locks the ticket before reading its current values, so the second writer waits for the
first to commit and then sees the first one's value as its "old" one. The first writer is held inside its
transaction (by a rule runner, the seam that runs there) until the second has started.
"""

from __future__ import annotations

import threading
import time

import pytest
from django.db import close_old_connections, connection

from kefu.core.actors import Actor, Source
from kefu.tickets.models import Ticket, TicketEvent
from kefu.tickets.rules import register_rule_runner, unregister_rule_runner
from kefu.tickets.services import ticket_update

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_concurrent_changes_to_one_ticket_both_land_with_true_old_values(create_ticket):
    ticket = create_ticket(priority="中")
    first_holds_the_lock = threading.Event()
    second_started = threading.Event()
    errors: list[BaseException] = []

    def hold_first_writer(change) -> None:
        if change.ticket.priority.name == "高" and not first_holds_the_lock.is_set():
            first_holds_the_lock.set()
            second_started.wait(timeout=10)
            time.sleep(0.3)  # let the second writer reach the lock while the first still holds it

    def change_priority(name: str, before: threading.Event | None, after: threading.Event | None) -> None:
        try:
            if before is not None:
                before.wait(timeout=10)
            if after is not None:
                after.set()
            ticket_update(
                actor=Actor.system(),
                source=Source.API,
                ticket=Ticket.objects.get(pk=ticket.pk),
                changes={"priority": name},
            )
        except BaseException as exc:
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    register_rule_runner(hold_first_writer)
    try:
        writers = [
            threading.Thread(target=change_priority, args=("高", None, None)),
            threading.Thread(target=change_priority, args=("紧急", first_holds_the_lock, second_started)),
        ]
        for writer in writers:
            writer.start()
        for writer in writers:
            writer.join()
    finally:
        unregister_rule_runner(hold_first_writer)

    assert errors == []
    changes = [
        (event.old_value["name"], event.new_value["name"])
        for event in TicketEvent.objects.filter(ticket=ticket, field="priority").order_by("id")
    ]
    assert changes == [("中", "高"), ("高", "紧急")]
    assert Ticket.objects.get(pk=ticket.pk).priority.name == "紧急"
