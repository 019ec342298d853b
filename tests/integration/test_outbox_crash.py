"""A process that dies right after its commit loses no event, and recovery delivers it once per consumer.

A real child process creates a ticket through the service and stops itself at the crash point between
the commit and the relay (``KEFU_TEST_PAUSE_AFTER_COMMIT``); the test kills it with SIGKILL, so no
clean-up code runs. The ticket and its outbox event are committed, nobody has been told. Beat's relay
must then deliver the event — the ticket becomes searchable — and running it again changes nothing.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.db.models import Q

from kefu.core.event_types import EventType
from kefu.core.events import consumers
from kefu.core.models import OutboxEvent, OutboxReceipt
from kefu.core.tasks import relay_outbox_left_behind
from kefu.search.selectors import filter_tickets_by_text
from kefu.tickets.models import Ticket

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

CHILD = """
import django
django.setup()
from kefu.core.actors import Actor, Source
from kefu.tickets.inputs import ContactRef, TicketCreateInput
from kefu.tickets.services import ticket_create
ticket_create(
    actor=Actor.system(),
    source=Source.API,
    data=TicketCreateInput(
        subject="停电后路由器无法启动",
        description="机房停电恢复后，路由器指示灯不亮。",
        department_id={department_id},
        contact=ContactRef(email="zhou.min@example.cn"),
    ),
)
"""


def _database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


def _create_and_kill(department_id: int, marker: Path) -> list[int]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "kefu.settings",
        "DATABASE_URL": _database_url(),
        "KEFU_DATA_DIR": str(settings.DATA_DIR),
        "KEFU_TEST_PAUSE_AFTER_COMMIT": str(marker),
        "KEFU_LOG_LEVEL": "WARNING",
    }
    child = subprocess.Popen([sys.executable, "-c", CHILD.format(department_id=department_id)], env=env)
    _pid, status = os.waitpid(child.pid, os.WUNTRACED)
    assert os.WIFSTOPPED(status), f"the child ended before the crash point (status {status})"
    child.send_signal(signal.SIGKILL)
    child.wait()
    assert child.returncode == -signal.SIGKILL
    return [int(pk) for pk in marker.read_text().split(",")]


def _searchable(word: str) -> list[int]:
    return list(filter_tickets_by_text(Ticket.objects.all(), word).values_list("pk", flat=True))


def test_an_event_committed_before_a_crash_is_delivered_once_per_consumer(department, tmp_path):
    outbox_ids = _create_and_kill(department.pk, tmp_path / "committed")

    ticket = Ticket.objects.get()
    event = OutboxEvent.objects.get(pk__in=outbox_ids)
    assert (event.event_type, event.payload["ticket_id"], event.delivered_at) == (
        EventType.TICKET_CREATED,
        ticket.pk,
        None,
    )
    assert _searchable("路由器") == []  # nobody has been told yet

    # Beat takes over events its own relay did not deliver within a few seconds.
    OutboxEvent.objects.filter(pk=event.pk).update(created_at=event.created_at - dt.timedelta(minutes=1))
    assert relay_outbox_left_behind.delay().get() == 1
    assert _searchable("路由器") == [ticket.pk]
    receipts = sorted(OutboxReceipt.objects.filter(event=event).values_list("consumer", flat=True))
    listening = sorted(c.name for c in consumers() if EventType.TICKET_CREATED in c.types)
    assert "search.index" in listening
    assert receipts == listening  # one receipt per consumer of the event (search, webhooks, …)

    OutboxEvent.objects.filter(pk=event.pk).update(delivered_at=None)  # a redelivery, as after a lost ack
    assert relay_outbox_left_behind.delay().get() == 1
    assert OutboxReceipt.objects.filter(event=event).count() == len(listening)
    assert not OutboxEvent.objects.filter(Q(delivered_at__isnull=True)).exists()
