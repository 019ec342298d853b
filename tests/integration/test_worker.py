"""A real Celery worker on Redis does the after-commit work of the ticket services."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time

import pytest
import redis
from django.db import connection
from kombu import pools

from kefu.celery import app as celery_app
from kefu.search.selectors import filter_tickets_by_text
from kefu.tickets.models import Ticket

REDIS_URL = os.environ.get("KEFU_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def _database_url() -> str:
    database = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{database['NAME']}"
    host, port = database["HOST"] or "127.0.0.1", database["PORT"] or 5432
    return f"postgres://{database['USER']}@{host}:{port}/{database['NAME']}"


def _use_broker(url: str, *, eager: bool) -> None:
    """Point this process's Celery app at another broker.

    The app caches its connection and producer pools on first use, so they are dropped here; Celery has
    no public call for re-pointing a configured app.
    """
    celery_app.conf.update(task_always_eager=eager, broker_url=url)
    if celery_app._pool is not None:
        celery_app._pool.force_close_all()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    # kombu keeps producer pools per connection in a registry of its own; the closed one must go too,
    # or the next test's eager task (Celery takes a producer even then) gets "Acquire on closed pool".
    pools.reset()


@pytest.fixture
def redis_worker(tmp_path):
    redis.Redis.from_url(REDIS_URL).flushdb()
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "REDIS_URL": REDIS_URL,
        "KEFU_DATA_DIR": str(tmp_path),
    }
    log = tmp_path / "worker.log"
    with log.open("w") as output:
        worker = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "kefu", "worker", "--pool", "solo", "--loglevel", "INFO"],
            env=env, stdout=output, stderr=subprocess.STDOUT,
        )  # fmt: skip
    deadline = time.monotonic() + 60
    while "ready." not in log.read_text() and time.monotonic() < deadline:
        assert worker.poll() is None, log.read_text()
        time.sleep(0.2)
    previous = (celery_app.conf.task_always_eager, celery_app.conf.broker_url)
    _use_broker(REDIS_URL, eager=False)
    try:
        yield log
    finally:
        _use_broker(previous[1], eager=previous[0])
        worker.terminate()
        worker.wait(timeout=30)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_new_ticket_is_indexed_by_the_worker_after_commit(create_ticket, redis_worker):
    ticket = create_ticket(subject="Wombat 路由器反复重启")
    found: list[int] = []
    deadline = time.monotonic() + 30
    while not found and time.monotonic() < deadline:
        found = list(filter_tickets_by_text(Ticket.objects.all(), "wombat").values_list("pk", flat=True))
        time.sleep(0.2)
    assert found == [ticket.pk], redis_worker.read_text()
    # The outbox relay ran in the worker (a task line, not the list of registered tasks at start-up); it
    # logs its success just after the index is written.
    relayed = re.compile(r"Task core\.relay_outbox\[[0-9a-f-]+\] succeeded")
    while not relayed.search(redis_worker.read_text()) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert relayed.search(redis_worker.read_text()), redis_worker.read_text()[-3000:]
