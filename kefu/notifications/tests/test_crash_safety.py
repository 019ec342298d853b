"""A worker killed while notifying loses nothing and sends nothing twice.

A real child process (tasks run inline, as one worker would run them) adds a comment that mentions an
agent and stops itself dead at a crash point — after it claimed the email and before handing it to the
SMTP server (``KEFU_TEST_PAUSE_NOTIFY_SEND``), or after it wrote the deliveries and before the relay's
transaction committed (``KEFU_TEST_PAUSE_NOTIFY_PRODUCED``); the test kills it with SIGKILL. Beat's
jobs then finish the work: the mentioned agent has exactly one in-app notification and the SMTP
server exactly one email, however often the jobs run again.
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
from django.utils import timezone

from kefu.core.models import OutboxEvent
from kefu.core.tasks import relay_outbox_left_behind
from kefu.notifications.models import Notification, NotificationDelivery
from kefu.notifications.tasks import requeue_notifications
from kefu.org.tests.factories import AgentFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

CHILD = """
import django
django.setup()
from kefu.core.actors import Actor, Source
from kefu.org.models import User
from kefu.tickets.inputs import CommentInput
from kefu.tickets.models import Ticket
from kefu.tickets.services import ticket_comment
ticket_comment(
    actor=Actor.agent(User.objects.get(pk={author})),
    source=Source.WEB,
    ticket=Ticket.objects.get(pk={ticket}),
    data=CommentInput(body="@李娜 客户要求今天回电", mention_ids=[{mentioned}]),
)
"""


def _database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


def _comment_and_kill(crash_point: str, marker: Path, smtp, **ids: int) -> None:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "kefu.settings",
        "DATABASE_URL": _database_url(),
        "KEFU_DATA_DIR": str(settings.DATA_DIR),
        "KEFU_TASKS_EAGER": "1",
        "KEFU_SMTP_HOST": smtp.host,
        "KEFU_SMTP_PORT": str(smtp.port),
        crash_point: str(marker),
        "KEFU_LOG_LEVEL": "WARNING",
    }
    child = subprocess.Popen([sys.executable, "-c", CHILD.format(**ids)], env=env)
    _pid, status = os.waitpid(child.pid, os.WUNTRACED)
    assert os.WIFSTOPPED(status), f"the child ended before the crash point (status {status})"
    child.send_signal(signal.SIGKILL)
    child.wait()


def _recover() -> None:
    """What beat does a little later: relay left-behind events, send deliveries whose task was lost."""
    past = timezone.now() - dt.timedelta(hours=1)
    OutboxEvent.objects.filter(delivered_at__isnull=True).update(created_at=past, claimed_until=None)
    NotificationDelivery.objects.filter(state="queued").update(created_at=past)
    NotificationDelivery.objects.filter(state="queued", claimed_at__isnull=False).update(claimed_at=past)
    relay_outbox_left_behind.delay().get()
    requeue_notifications.delay().get()


@pytest.mark.parametrize("crash_point", ["KEFU_TEST_PAUSE_NOTIFY_SEND", "KEFU_TEST_PAUSE_NOTIFY_PRODUCED"])
def test_a_worker_killed_while_notifying_loses_nothing_and_doubles_nothing(
    crash_point, agent, department, create_ticket, smtp, tmp_path
):
    mentioned = AgentFactory(user__email="li.na@kefu.test", user__name="李娜", departments=[department])
    ticket = create_ticket()
    smtp.messages.clear()

    _comment_and_kill(
        crash_point,
        tmp_path / "marker",
        smtp,
        author=agent.user.pk,
        ticket=ticket.pk,
        mentioned=mentioned.user.pk,
    )
    assert smtp.messages == []  # killed before anything reached the server

    _recover()
    _recover()  # and again: a second run changes nothing

    assert Notification.objects.filter(user=mentioned.user).count() == 1
    assert [m.rcpt_tos for m in smtp.messages] == [["li.na@kefu.test"]]
    assert sorted(NotificationDelivery.objects.values_list("recipient", "channel", "state")) == [
        ("li.na@kefu.test", "email", "sent"),
        (f"user:{mentioned.user.pk}", "in_app", "sent"),
    ]
