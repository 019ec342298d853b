"""Celery tasks of the core app: database upkeep and the outbox relay."""

from celery import shared_task

from kefu.core import outbox
from kefu.core.maintenance import database_optimize


@shared_task(name="core.optimize_database", ignore_result=True)
def optimize_database() -> None:
    database_optimize()


@shared_task(name="core.relay_outbox", ignore_result=True)
def relay_outbox(ids: list[int]) -> int:
    """Deliver every pending event: those of the commit that queued it (``ids``, kept for the logs) and
    those of the commits that shared its window or came since; see ``outbox.relay_soon``."""
    return outbox.outbox_deliver_pending()


@shared_task(name="core.relay_outbox_left_behind", ignore_result=True)
def relay_outbox_left_behind() -> int:
    """Beat: deliver what a crash, a broker outage or a failing consumer left in the outbox."""
    return outbox.outbox_deliver_left_behind()


@shared_task(name="core.purge_outbox", ignore_result=True)
def purge_outbox() -> int:
    return outbox.outbox_purge()
