import pytest
from django.conf import settings
from django.db import connection

from kefu.core.maintenance import database_optimize
from kefu.core.tasks import optimize_database
from kefu.tickets.tests.factories import TicketFactory


@pytest.mark.django_db
def test_a_full_optimize_gathers_sqlite_planner_statistics():
    TicketFactory.create_batch(3)
    ran = database_optimize(full=True)
    if connection.vendor != "sqlite":
        assert ran is False
        return
    assert ran is True
    with connection.cursor() as cursor:
        cursor.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = 'tickets_ticket' LIMIT 1")
        (rows,) = cursor.fetchone()
    assert rows.split()[0] == "3"


def test_the_daily_job_is_scheduled_for_the_task_that_exists():
    entry = settings.CELERY_BEAT_SCHEDULE["core-optimize-database"]
    assert entry["task"] == optimize_database.name == "core.optimize_database"


@pytest.mark.django_db
def test_the_daily_job_re_analyses_sqlite_only():
    TicketFactory.create_batch(2)
    optimize_database.delay()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
            assert cursor.fetchone() == (1,)
