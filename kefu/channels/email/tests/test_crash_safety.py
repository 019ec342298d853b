"""Crash safety: a real ``kefu mail ingest`` process killed between storing and writing loses nothing.

The process stops itself right after the raw message commits (the ``KEFU_TEST_PAUSE_AFTER_STORE``
hook in ``intake.store``), the test kills it with SIGKILL — no clean-up code runs — and the recovery
pass must turn the stored message into exactly one ticket, however often it runs.
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

from kefu.channels.email.intake import messages_process_pending
from kefu.channels.email.models import InboundMessage
from kefu.channels.email.tasks.intake import process_pending
from kefu.channels.email.tests.mails import raw_mail
from kefu.tickets.models import Thread, Ticket

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

KEFU = Path(sys.executable).with_name("kefu")


def _database_url() -> str:
    """The URL of the test database this process uses, for the child process to use too."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


def _ingest_and_kill(raw: bytes, marker: Path) -> int:
    """Run ``kefu mail ingest``, wait until it has stored the message and stopped, then SIGKILL it."""
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "KEFU_DATA_DIR": str(settings.DATA_DIR),
        "KEFU_TEST_PAUSE_AFTER_STORE": str(marker),
        "KEFU_LOG_LEVEL": "WARNING",
    }
    child = subprocess.Popen(
        [str(KEFU), "mail", "ingest", "--mailbox", "support@kefu.test"],
        stdin=subprocess.PIPE,
        env=env,
    )
    child.stdin.write(raw)
    child.stdin.close()
    _pid, status = os.waitpid(child.pid, os.WUNTRACED)  # returns once the child stopped (or died)
    assert os.WIFSTOPPED(status), f"ingest ended before the pause point (status {status})"
    child.send_signal(signal.SIGKILL)
    child.wait()
    assert child.returncode == -signal.SIGKILL
    return int(marker.read_text())


def test_a_message_stored_before_a_crash_ends_as_exactly_one_ticket(mailbox, tmp_path):
    inbound_id = _ingest_and_kill(raw_mail(message_id="<crash@example.cn>"), tmp_path / "stored")

    stored = InboundMessage.objects.get(pk=inbound_id)
    assert stored.state == InboundMessage.State.PENDING
    assert stored.mailbox == mailbox
    assert Ticket.objects.count() == 0

    assert messages_process_pending(min_age=dt.timedelta(0)) == 1
    assert messages_process_pending(min_age=dt.timedelta(0)) == 0
    stored.refresh_from_db()
    assert stored.state == InboundMessage.State.IMPORTED
    assert Ticket.objects.count() == 1
    assert Thread.objects.filter(message_id="crash@example.cn").count() == 1
    assert stored.ticket == Ticket.objects.get()


def test_the_same_message_crashing_twice_still_makes_one_ticket(mailbox, tmp_path):
    raw = raw_mail(message_id="<twice@example.cn>")
    first = _ingest_and_kill(raw, tmp_path / "first")
    second = _ingest_and_kill(raw, tmp_path / "second")

    assert messages_process_pending(min_age=dt.timedelta(0)) == 2
    states = dict(InboundMessage.objects.values_list("pk", "state"))
    assert states == {first: InboundMessage.State.IMPORTED, second: InboundMessage.State.DUPLICATE}
    assert Ticket.objects.count() == 1


def test_the_recovery_task_leaves_fresh_messages_to_their_own_process(mailbox, tmp_path):
    inbound_id = _ingest_and_kill(raw_mail(message_id="<fresh@example.cn>"), tmp_path / "stored")
    assert process_pending.delay().get() == 0
    assert InboundMessage.objects.get(pk=inbound_id).state == InboundMessage.State.PENDING
    InboundMessage.objects.filter(pk=inbound_id).update(
        received_at=InboundMessage.objects.get(pk=inbound_id).received_at - dt.timedelta(minutes=5)
    )
    assert process_pending.delay().get() == 1
    assert Ticket.objects.count() == 1
