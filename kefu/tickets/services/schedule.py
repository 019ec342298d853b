"""Scheduling a reply: checking the moment it should go and storing it until then.

A scheduled reply is an outbound thread with ``scheduled`` set. It is written now (its body, recipients
and files checked exactly as for an immediate reply) but records nothing on the ticket's timeline,
publishes no event and sends no email: that all happens when the beat task sends it
(``services.scheduled_replies``). Scheduling, changing and cancelling are audited.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kefu.core.actors import Actor, Source
from kefu.core.audit import audit_record
from kefu.tickets.models import Attachment, Thread, Ticket

MAX_SCHEDULE_AHEAD = dt.timedelta(days=365)
"""How far ahead a reply may be scheduled."""


def clean_send_at(actor: Actor, send_at: Any, errors: dict[str, str]) -> dt.datetime | None:
    """``send_at`` if it is an aware moment in the future and within :data:`MAX_SCHEDULE_AHEAD`."""
    if not actor.is_agent:
        errors["send_at"] = _("Only agents can schedule replies.")
        return None
    if not isinstance(send_at, dt.datetime) or timezone.is_naive(send_at):
        errors["send_at"] = _(
            "Enter a date and time with its time zone offset, such as 2026-12-08T09:30:00+08:00."
        )
        return None
    now = timezone.now()
    if send_at <= now:
        errors["send_at"] = _("Choose a time in the future.")
        return None
    if send_at > now + MAX_SCHEDULE_AHEAD:
        errors["send_at"] = _("Choose a time within %(days)d days from now.") % {
            "days": MAX_SCHEDULE_AHEAD.days
        }
        return None
    return send_at.astimezone(dt.UTC)


def reply_schedule(
    *,
    actor: Actor,
    source: Source,
    ticket: Ticket,
    attachments: list[Attachment],
    send_at: dt.datetime,
    fields: dict[str, Any],
) -> Thread:
    """Store a checked reply to go at ``send_at``; its files are tied to it now, so no other takes them."""
    with transaction.atomic():
        thread = Thread.objects.create(
            ticket=ticket,
            subject=ticket.subject,
            scheduled=True,
            send_at=send_at,
            created_at=timezone.now(),
            **fields,
        )
        Attachment.objects.filter(pk__in=[attachment.pk for attachment in attachments]).update(thread=thread)
        audit_record(
            actor=actor,
            source=source,
            action="ticket.reply_scheduled",
            obj=ticket,
            changes={"thread_id": thread.pk, "send_at": {"from": None, "to": send_at.isoformat()}},
        )
    return thread
