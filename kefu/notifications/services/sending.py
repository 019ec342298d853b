"""Sending email and SMS notifications: each delivery at most once, none lost.

A delivery row is written with the change (or with the outbox event it came from) in state *queued*.
The sending task **claims** it with a conditional UPDATE (``claimed_at`` empty or stale → now;
``num_updated == 1``), hands it to the SMTP server or the SMS provider, and marks it sent. A second run
— a retry, a redelivered task, beat — finds it sent or claimed and sends nothing. A temporary failure
releases the claim for a later attempt; a permanent one (5xx, a bad number) or the last attempt marks
it failed with the reason. Beat (:func:`deliveries_requeue_stale`) queues again the ones whose task was
lost: never claimed a minute after they were made, or claimed by a worker that died.

Emails thread with the ticket: the subject carries the ticket tag, ``References`` names the ticket's
root Message-ID, and they go out through the ticket's mailbox (its SMTP server) like replies do, with
``Auto-Submitted: auto-generated`` so that other robots do not answer.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
import smtplib

from django.core.mail import EmailMultiAlternatives
from django.db.models import F, Q
from django.utils import timezone

from kefu.channels.email.outbound import (
    connection_for,
    default_sender,
    mailbox_for_ticket,
    message_domain,
    one_line,
    root_message_id,
    subject_tag,
)
from kefu.core.crash_points import crash_point
from kefu.notifications.models import Channel, NotificationDelivery
from kefu.tickets.models import Ticket

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 6
CLAIM_TIMEOUT = dt.timedelta(minutes=10)
STALE_AFTER = dt.timedelta(minutes=1)


class _Failure(Exception):
    def __init__(self, reason: str, *, permanent: bool) -> None:
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent


def _claim(delivery_id: int, now: dt.datetime) -> bool:
    return (
        NotificationDelivery.objects.filter(
            pk=delivery_id, state=NotificationDelivery.State.QUEUED, sent_at__isnull=True
        )
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - CLAIM_TIMEOUT))
        .update(claimed_at=now, attempts=F("attempts") + 1)
        == 1
    )


def compose_email(delivery: NotificationDelivery, ticket: Ticket | None) -> EmailMultiAlternatives:
    mailbox = mailbox_for_ticket(ticket) if ticket is not None else None
    if mailbox is not None:
        from email.utils import formataddr

        from_header = formataddr((one_line(mailbox.display_name or mailbox.name), mailbox.address))
    else:
        name, address = default_sender()
        from email.utils import formataddr

        from_header = formataddr((name, address)) if name else address
    subject = one_line(delivery.subject)
    headers = {
        "Message-ID": f"<kefu.n.{delivery.pk}.{secrets.token_hex(6)}@{message_domain(mailbox)}>",
        "Auto-Submitted": "auto-generated",
        "X-Auto-Response-Suppress": "All",
        "X-Kefu-Notification": delivery.event,
    }
    if ticket is not None:
        tag = subject_tag(ticket)
        subject = subject if tag in subject else f"{subject} {tag}"
        root = root_message_id(ticket, mailbox)
        headers.update(
            {"In-Reply-To": f"<{root}>", "References": f"<{root}>", "X-Kefu-Ticket": str(ticket.number)}
        )
    message = EmailMultiAlternatives(
        subject=subject,
        body=delivery.body_text,
        from_email=from_header,
        to=[delivery.recipient],
        headers=headers,
    )
    message.attach_alternative(f"<!doctype html><html><body>{delivery.body_html}</body></html>", "text/html")
    return message


def _send_email(delivery: NotificationDelivery) -> None:
    ticket = (
        Ticket.objects.select_related("brand").filter(pk=delivery.ticket_id).first()
        if delivery.ticket_id
        else None
    )
    message = compose_email(delivery, ticket)
    mailbox = mailbox_for_ticket(ticket) if ticket is not None else None
    try:
        with connection_for(mailbox) as connection:
            connection.send_messages([message])
    except smtplib.SMTPRecipientsRefused as exc:
        codes = [code for code, _message in exc.recipients.values()]
        raise _Failure(str(exc.recipients)[:500], permanent=all(code >= 500 for code in codes)) from exc
    except smtplib.SMTPResponseException as exc:
        raise _Failure(f"{exc.smtp_code} {exc.smtp_error!r}"[:500], permanent=exc.smtp_code >= 500) from exc
    except (smtplib.SMTPException, OSError) as exc:
        raise _Failure(f"{type(exc).__name__}: {exc}"[:500], permanent=False) from exc


def _send_sms(delivery: NotificationDelivery) -> None:
    from kefu.notifications.sms import SmsError, send_sms

    try:
        send_sms(
            delivery.recipient,
            delivery.body_text or delivery.subject,
            params={"subject": delivery.subject[:60]},
        )
    except SmsError as exc:
        raise _Failure(f"{exc.code}: {exc}"[:500], permanent=not exc.retryable) from exc


def delivery_send(*, delivery_id: int) -> str:
    """Send one email or SMS delivery at most once; answer its state afterwards."""
    now = timezone.now()
    if not _claim(delivery_id, now):
        return "skipped"
    delivery = NotificationDelivery.objects.get(pk=delivery_id)
    crash_point("KEFU_TEST_PAUSE_NOTIFY_SEND", delivery_id)
    try:
        if delivery.channel == Channel.EMAIL:
            _send_email(delivery)
        elif delivery.channel == Channel.SMS:
            _send_sms(delivery)
        else:
            raise _Failure(f"cannot send through {delivery.channel}", permanent=True)
    except _Failure as failure:
        last = failure.permanent or delivery.attempts >= MAX_ATTEMPTS
        NotificationDelivery.objects.filter(pk=delivery_id, claimed_at=now).update(
            claimed_at=None,
            reason=failure.reason,
            state=NotificationDelivery.State.FAILED if last else NotificationDelivery.State.QUEUED,
        )
        logger.warning("notification %s: sending failed: %s", delivery_id, failure.reason)
        return "failed" if last else "retry"
    NotificationDelivery.objects.filter(pk=delivery_id, claimed_at=now).update(
        state=NotificationDelivery.State.SENT, sent_at=timezone.now(), reason=""
    )
    return "sent"


def deliveries_send(*, delivery_ids: list[int]) -> dict[str, int]:
    outcomes: dict[str, int] = {}
    for delivery_id in delivery_ids:
        outcome = delivery_send(delivery_id=delivery_id)
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    return outcomes


def deliveries_requeue_stale(*, now: dt.datetime | None = None) -> list[int]:
    """The queued deliveries whose sending task was lost (or that wait for a retry): their ids."""
    now = now or timezone.now()
    return list(
        NotificationDelivery.objects.filter(state=NotificationDelivery.State.QUEUED, sent_at__isnull=True)
        .filter(
            Q(claimed_at__isnull=True, created_at__lt=now - STALE_AFTER)
            | Q(claimed_at__lt=now - CLAIM_TIMEOUT)
        )
        .order_by("id")
        .values_list("pk", flat=True)[:1000]
    )
