"""Celery tasks that process stored inbound messages.

``mail.process_message`` lets a receiver (the SMTP listener, a poller) store quickly and leave the
work to the worker; ``mail.process_pending`` is the recovery pass that beat runs every two minutes
(``CELERY_BEAT_SCHEDULE`` in settings) so that mail a crash left PENDING still becomes a ticket.
"""

from __future__ import annotations

from celery import shared_task

from kefu.channels.email.intake import message_process, messages_process_pending

__all__ = ["import_spool", "process_message", "process_pending"]


@shared_task(name="mail.process_message")
def process_message(inbound_id: int) -> str:
    return message_process(inbound_id).state


@shared_task(name="mail.process_pending")
def process_pending() -> int:
    return messages_process_pending()


@shared_task(name="mail.import_spool", ignore_result=True)
def import_spool() -> int:
    """Beat, every second: store what ``kefu mail ingest --spool`` left and queue its processing."""
    from kefu.channels.email.intake.spool import spool_import

    return len(spool_import())
