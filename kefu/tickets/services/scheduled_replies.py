"""Scheduled replies after they were written: changed, cancelled, and sent when their time comes.

Sending is the beat task's work (``tickets.send_scheduled_replies``): it selects the due replies with an
indexed query and sends each with :func:`scheduled_reply_send`, whose conditional UPDATE
(``scheduled = true → false``, ``num_updated == 1``) is the claim. The claim and the send are one
transaction: a worker that claimed and then failed releases the reply for the next run, and a second
worker racing for the same reply updates nothing (on PostgreSQL it waits for the first one's commit
and then finds the row already sent; on SQLite writers are serialised) — so a reply goes once.

Sending writes exactly what an immediate reply writes (the thread as the reply, the ``ticket.replied``
event and change-set, the first response, the rules, the outbox and so the email), as the agent who
scheduled it (or last changed it), with the source ``scheduler``. A ticket closed in the meantime does
not stop it: the reply goes and the ticket stays closed. A ticket in the trash, or an agent who may no
longer reply on it, makes the reply fail instead of sending: it stays scheduled (the customer never sees
it) with ``delivery_status`` *failed* and the reason, and is not tried again until an agent changes it
(who then sends it) or cancels it. Nothing bypasses the reply path.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kefu.core.actors import Actor, Source
from kefu.core.audit import audit_record
from kefu.core.errors import Conflict, NotFound, PermissionDenied, ServiceError, ValidationFailed
from kefu.core.event_types import EventType
from kefu.org import permissions
from kefu.tickets.models import Attachment, Thread, Ticket
from kefu.tickets.services.authorization import authorize
from kefu.tickets.services.changes import ticket_change
from kefu.tickets.services.conversation import reply_sent
from kefu.tickets.services.messages import clean_body
from kefu.tickets.services.schedule import clean_send_at

logger = logging.getLogger(__name__)

BATCH = 200


def _already_sent() -> Conflict:
    return Conflict(_("This reply has already been sent; it can no longer be changed or cancelled."))


def _check(actor: Actor, thread: Thread) -> None:
    authorize(actor, thread.ticket, permissions.TICKET_REPLY)
    if not thread.scheduled:
        raise _already_sent()


def scheduled_reply_update(
    *,
    actor: Actor,
    source: Source,
    thread: Thread,
    body: str | None = None,
    send_at: dt.datetime | None = None,
) -> Thread:
    """Change the text and/or the time of a reply that has not gone yet (409 once it has).

    The agent who changes it becomes its author, who sends it; a reply that failed to go is tried again
    at its (new) time.
    """
    _check(actor, thread)
    errors: dict[str, str] = {}
    changes: dict[str, object] = {}
    if body is not None:
        changes["body_html"], changes["body_text"] = clean_body(body, errors)
    if send_at is not None:
        changes["send_at"] = clean_send_at(actor, send_at, errors)
    if errors:
        raise ValidationFailed(_("The reply is not valid."), fields=errors)
    if not changes:
        return thread
    changes.update(author_user=actor.user, delivery_status="", delivery_error="")
    with transaction.atomic():
        # Conditional on still being scheduled: the beat task may have claimed it since we read it.
        if not Thread.objects.filter(pk=thread.pk, scheduled=True).update(**changes):
            raise _already_sent()
        audit_record(
            actor=actor,
            source=source,
            action="ticket.reply_schedule_changed",
            obj=thread.ticket,
            changes={
                "thread_id": thread.pk,
                **(
                    {
                        "send_at": {
                            "from": thread.send_at.isoformat() if thread.send_at else None,
                            "to": send_at.isoformat(),
                        }
                    }
                    if send_at is not None
                    else {}
                ),
                **(
                    {"body": {"from": thread.body_text, "to": changes["body_text"]}}
                    if body is not None
                    else {}
                ),
            },
        )
    for name, value in changes.items():
        setattr(thread, name, value)
    return thread


def scheduled_reply_cancel(*, actor: Actor, source: Source, thread: Thread) -> None:
    """Delete a reply that has not gone yet, with its files (409 once it has gone)."""
    _check(actor, thread)
    files = list(Attachment.objects.filter(thread=thread))
    with transaction.atomic():
        Attachment.objects.filter(pk__in=[attachment.pk for attachment in files]).delete()
        deleted, _rows = Thread.objects.filter(pk=thread.pk, scheduled=True).delete()
        if not deleted:
            raise _already_sent()
        audit_record(
            actor=actor,
            source=source,
            action="ticket.reply_schedule_cancelled",
            obj=thread.ticket,
            changes={"thread_id": thread.pk, "body": {"from": thread.body_text, "to": None}},
        )
        transaction.on_commit(lambda: _delete_files(files))


def _delete_files(attachments: list[Attachment]) -> None:
    for attachment in attachments:
        attachment.file.delete(save=False)


def _sender(thread: Thread) -> Actor:
    user = thread.author_user
    if user is None or not user.is_active:
        raise PermissionDenied(_("The agent who scheduled this reply can no longer send it."))
    return Actor.agent(user)


def _failure_reason(thread: Thread, error: ServiceError) -> str:
    """Why a scheduled reply did not go, stored in English (the catalogue's key): the console and the
    API translate it for each reader, whatever language the beat task ran in."""
    with translation.override("en"):
        if isinstance(error, NotFound):
            if Ticket.objects.filter(pk=thread.ticket_id, deleted_at__isnull=False).exists():
                return _("The ticket is in the trash.")
            return _("The agent who scheduled this reply can no longer see this ticket.")
        if isinstance(error, PermissionDenied):
            return _("The agent who scheduled this reply can no longer send it.")
        return error.message


def scheduled_reply_send(*, thread_id: int, now: dt.datetime | None = None) -> Thread | None:
    """Send one scheduled reply if it is due and this call claims it; ``None`` when another did (or it
    is not due, or was cancelled). A reply that cannot go is marked failed with the reason."""
    now = now or timezone.now()
    with transaction.atomic():
        claimed = Thread.objects.filter(
            pk=thread_id, scheduled=True, send_at__lte=now, delivery_status=""
        ).update(scheduled=False)
        if not claimed:
            return None
        thread = Thread.objects.select_related("ticket", "author_user").get(pk=thread_id)
        try:
            with transaction.atomic():
                actor = _sender(thread)
                authorize(actor, thread.ticket, permissions.TICKET_REPLY)
                with ticket_change(
                    actor=actor,
                    source=Source.SCHEDULER,
                    ticket=thread.ticket,
                    event_type=EventType.TICKET_REPLIED,
                    always=True,
                ) as change:
                    thread.subject = change.ticket.subject
                    thread.created_at = change.at
                    thread.delivery_status = "" if thread.to else Thread.Delivery.NO_ADDRESS
                    Thread.objects.filter(pk=thread.pk).update(
                        subject=thread.subject,
                        created_at=thread.created_at,
                        delivery_status=thread.delivery_status,
                    )
                    change.add("threads", None, {"id": thread.pk})
                    change.extra["thread_id"] = thread.pk
                    reply_sent(change)
        except ServiceError as exc:
            reason = _failure_reason(thread, exc)
            thread.scheduled = True
            thread.delivery_status, thread.delivery_error = Thread.Delivery.FAILED, reason
            Thread.objects.filter(pk=thread.pk).update(
                scheduled=True, delivery_status=Thread.Delivery.FAILED, delivery_error=reason
            )
    return thread


def scheduled_replies_send_due(*, now: dt.datetime | None = None) -> int:
    """Send every due scheduled reply (at most :data:`BATCH` per run, oldest first); returns how many
    this run sent. One that fails unexpectedly is logged and left for the next run."""
    now = now or timezone.now()
    due = list(
        Thread.objects.filter(scheduled=True, send_at__lte=now, delivery_status="")
        .order_by("send_at", "id")
        .values_list("pk", flat=True)[:BATCH]
    )
    sent = 0
    for thread_id in due:
        try:
            thread = scheduled_reply_send(thread_id=thread_id, now=now)
        except Exception:
            logger.exception("scheduled reply %s could not be sent", thread_id)
            continue
        if thread is not None and thread.delivery_status != Thread.Delivery.FAILED:
            sent += 1
    return sent
