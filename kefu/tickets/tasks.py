"""Background work of the tickets app (beat: ``tickets-scheduled-replies`` and ``tickets-purge-trash``)."""

from __future__ import annotations

from celery import shared_task

from kefu.tickets.services import scheduled_replies_send_due, tickets_purge_trash


@shared_task(name="tickets.send_scheduled_replies", ignore_result=True)
def send_scheduled_replies() -> int:
    """Send the scheduled replies whose time has come; each is claimed, so a reply goes once."""
    return scheduled_replies_send_due()


@shared_task(name="tickets.purge_trash", ignore_result=True)
def purge_trash() -> int:
    """Delete for good the tickets that have been in the trash for 30 days (a batch per run)."""
    return tickets_purge_trash()
