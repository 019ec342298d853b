"""What became of a reply sent by email: queued, sent, or failed with the mail server's reason."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kefu.core.actors import Actor, ActorKind, Source
from kefu.core.errors import PermissionDenied, ValidationFailed
from kefu.core.events import publish
from kefu.tickets.models import Thread
from kefu.tickets.services.authorization import authorize
from kefu.tickets.services.history import Change, record_changes

_ACTION_BY_STATUS = {
    Thread.Delivery.QUEUED: "delivery_queued",
    Thread.Delivery.SENDING: "delivery_sending",
    Thread.Delivery.SENT: "delivery_sent",
    Thread.Delivery.FAILED: "delivery_failed",
}


def thread_delivery_update(
    *, actor: Actor, source: Source, thread: Thread, status: str, error: str = ""
) -> Thread:
    """Record the delivery ``status`` of an outbound ``thread``; a failure is logged on the ticket's timeline.

    Called by the sending task and by intake when a delivery-status report (bounce) names the thread's
    Message-ID. Setting the status it already has changes nothing and logs nothing.
    """
    authorize(actor, thread.ticket, None)
    if status not in _ACTION_BY_STATUS or thread.direction != Thread.Direction.OUTBOUND:
        raise ValidationFailed(
            _("The delivery status is not valid."),
            fields={"status": _("Choose one of: %(choices)s.") % {"choices": ", ".join(_ACTION_BY_STATUS)}},
        )
    error = error if status == Thread.Delivery.FAILED else ""
    with transaction.atomic():
        current = (
            Thread.objects.select_for_update().only("delivery_status", "delivery_error").get(pk=thread.pk)
        )
        if current.delivery_status == status and current.delivery_error == error:
            thread.delivery_status, thread.delivery_error = status, error
            return thread
        Thread.objects.filter(pk=thread.pk).update(delivery_status=status, delivery_error=error)
        thread.delivery_status, thread.delivery_error = status, error
        if status in (Thread.Delivery.SENT, Thread.Delivery.FAILED):
            record_changes(
                ticket=thread.ticket,
                actor=actor,
                source=source,
                changes=[
                    Change(
                        _ACTION_BY_STATUS[status],
                        "delivery_status",
                        current.delivery_status or None,
                        {"thread_id": thread.pk, "status": status, "error": error},
                    )
                ],
                at=timezone.now(),
            )
        publish(
            "thread.delivery_updated",
            ticket_id=thread.ticket_id,
            thread_id=thread.pk,
            status=status,
            source=source.value,
        )
    return thread


def thread_message_id_assign(*, actor: Actor, source: Source, thread: Thread, message_id: str) -> str:
    """Give ``thread`` its Message-ID unless it has one; return the one it keeps.

    Only the system (the sending flow) sets this technical header, once, before the first attempt: the
    UPDATE is conditional on the column being empty, so when two attempts race the first value stays
    and both send with it. Nothing is logged: no one changed the conversation.
    """
    if actor.kind is not ActorKind.SYSTEM:
        raise PermissionDenied(_("You do not have permission to do this."))
    max_length = Thread._meta.get_field("message_id").max_length
    if (
        not isinstance(message_id, str)
        or not message_id
        or len(message_id) > max_length
        or any(character.isspace() or character in "<>" for character in message_id)
    ):
        raise ValidationFailed(
            _("The Message-ID is not valid."),
            fields={"message_id": _("Give a Message-ID without spaces or angle brackets.")},
        )
    Thread.objects.filter(pk=thread.pk, message_id="").update(message_id=message_id)
    thread.message_id = Thread.objects.values_list("message_id", flat=True).get(pk=thread.pk)
    return thread.message_id
