"""Background work of the tickets app (beat: ``tickets-scheduled-replies`` in settings)."""

from __future__ import annotations

from celery import shared_task

from kefu.tickets.services import scheduled_replies_send_due


@shared_task(name="tickets.send_scheduled_replies", ignore_result=True)
def send_scheduled_replies() -> int:
    """Send the scheduled replies whose time has come; each is claimed, so a reply goes once."""
    return scheduled_replies_send_due()
