"""Celery tasks that fetch mailboxes and send replies: load ids, call the transport code, nothing more."""

from __future__ import annotations

from celery import shared_task

from kefu.channels.email.autoack import auto_acknowledge
from kefu.channels.email.fetch import poll_all
from kefu.channels.email.outbound import (
    MAX_ATTEMPTS,
    Outcome,
    outbound_deliver,
    outbound_requeue_stale,
    retry_delay,
)

__all__ = [
    "auto_acknowledge_task",
    "mail_poll_due_task",
    "outbound_requeue_task",
    "outbound_send_task",
    "retry_delay",
]


@shared_task(name="mail.poll_due")
def mail_poll_due_task() -> int:
    """Beat: poll every IMAP/POP3 mailbox whose interval has passed."""
    return poll_all()


@shared_task(bind=True, name="mail.outbound_send", max_retries=MAX_ATTEMPTS - 1)
def outbound_send_task(self, thread_id: int) -> str:
    delay = retry_delay(self.request.retries)
    outcome = outbound_deliver(
        thread_id=thread_id, last_attempt=self.request.retries >= self.max_retries, retry_in=delay
    )
    if outcome is Outcome.RETRY:
        raise self.retry(countdown=delay)
    return outcome.value


@shared_task(name="mail.outbound_requeue")
def outbound_requeue_task() -> int:
    """Beat: queue again the replies whose sending task was lost (broker down, worker died)."""
    return outbound_requeue_stale()


@shared_task(name="mail.auto_acknowledge")
def auto_acknowledge_task(inbound_id: int, ticket_id: int) -> int | None:
    thread = auto_acknowledge(inbound_id=inbound_id, ticket_id=ticket_id)
    return thread.pk if thread is not None else None
