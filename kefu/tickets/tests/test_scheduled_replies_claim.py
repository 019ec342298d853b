"""Two workers sending the due scheduled replies at the same moment send each reply once.

The first worker is held inside its sending transaction (by a rule runner, the seam that runs there),
after its conditional UPDATE claimed the reply, until the second worker is waiting on that row (on
PostgreSQL, seen in ``pg_stat_activity``); then the first commits, and the second finds the reply sent.
Run on PostgreSQL with ``DATABASE_URL=postgres://…`` (and on SQLite, where writers are serialised).
"""

from __future__ import annotations

import datetime as dt
import threading

import pytest
import time_machine
from django.db import close_old_connections, connection, connections

from kefu.core.actors import Actor, Source
from kefu.tickets.inputs import ReplyInput
from kefu.tickets.models import Thread, TicketEvent
from kefu.tickets.rules import register_rule_runner, unregister_rule_runner
from kefu.tickets.services import scheduled_replies_send_due, ticket_reply

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

START = dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC)


def _someone_waits_for_a_lock() -> bool:
    if connection.vendor != "postgresql":
        return True
    with connections["default"].cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0] > 0


def test_two_workers_send_a_due_reply_once(agent, create_ticket):
    with time_machine.travel(START, tick=False):
        ticket = create_ticket()
        thread = ticket_reply(
            actor=Actor.agent(agent.user),
            source=Source.WEB,
            ticket=ticket,
            data=ReplyInput(body="明早九点上门。", send_at=START + dt.timedelta(minutes=2)),
        )
    first_claimed = threading.Event()
    release_first = threading.Event()
    second_started = threading.Event()
    sent: list[int] = []
    errors: list[BaseException] = []

    def hold_first(change) -> None:
        if not first_claimed.is_set():
            first_claimed.set()
            release_first.wait(timeout=20)

    def worker(before: threading.Event | None, started: threading.Event | None) -> None:
        try:
            if before is not None:
                before.wait(timeout=20)
            if started is not None:
                started.set()
            sent.append(scheduled_replies_send_due(now=START + dt.timedelta(minutes=3)))
        except BaseException as exc:
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    register_rule_runner(hold_first)
    try:
        workers = [
            threading.Thread(target=worker, args=(None, None)),
            threading.Thread(target=worker, args=(first_claimed, second_started)),
        ]
        for each in workers:
            each.start()
        assert second_started.wait(timeout=20)
        waiting = threading.Event()
        for _attempt in range(400):
            if _someone_waits_for_a_lock():
                break
            waiting.wait(timeout=0.05)  # polling PostgreSQL until the second worker is blocked
        release_first.set()
        for each in workers:
            each.join(timeout=30)
    finally:
        unregister_rule_runner(hold_first)

    assert errors == []
    assert sorted(sent) == [0, 1]
    thread.refresh_from_db()
    assert thread.scheduled is False
    assert TicketEvent.objects.filter(ticket=ticket, action="ticket.replied", field="threads").count() == 1
    assert Thread.objects.filter(ticket=ticket, direction="out").count() == 1
