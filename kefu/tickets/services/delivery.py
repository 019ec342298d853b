"""What became of a reply sent by email: queued, sent, or failed with the mail server's reason."""

from __future__ import annotations

from django.utils.translation import gettext as _

from kefu.core.actors import Actor, ActorKind, Source
from kefu.core.errors import PermissionDenied, ValidationFailed
from kefu.core.event_types import EventType
from kefu.tickets.models import Thread
from kefu.tickets.services.authorization import TICKET_DELIVERY, authorize
from kefu.tickets.services.changes import ticket_change

_STATUSES = (Thread.Delivery.QUEUED, Thread.Delivery.SENDING, Thread.Delivery.SENT, Thread.Delivery.FAILED)


def thread_delivery_update(
    *, actor: Actor, source: Source, thread: Thread, status: str, error: str = ""
) -> Thread:
    """Record the delivery ``status`` of an outbound ``thread``; sent and failed go on the ticket's timeline.

    Called by the sending flow and by intake when a delivery-status report (bounce) names the thread's
    Message-ID. Setting the status it already has changes nothing and logs nothing.
    """
    authorize(actor, thread.ticket, TICKET_DELIVERY)
    if status not in _STATUSES or thread.direction != Thread.Direction.OUTBOUND:
        raise ValidationFailed(
            _("The delivery status is not valid."),
            fields={"status": _("Choose one of: %(choices)s.") % {"choices": ", ".join(_STATUSES)}},
        )
    error = error if status == Thread.Delivery.FAILED else ""
    with ticket_change(
        actor=actor,
        source=source,
        ticket=thread.ticket,
        event_type=EventType.TICKET_DELIVERY_UPDATED,
        always=True,
    ) as change:
        current = Thread.objects.only("delivery_status", "delivery_error").get(pk=thread.pk)
        thread.delivery_status, thread.delivery_error = status, error
        if current.delivery_status == status and current.delivery_error == error:
            change.always = False
            return thread
        Thread.objects.filter(pk=thread.pk).update(delivery_status=status, delivery_error=error)
        change.extra.update(thread_id=thread.pk, status=status)
        if status in (Thread.Delivery.SENT, Thread.Delivery.FAILED):
            change.add(
                "delivery_status",
                current.delivery_status or None,
                {"thread_id": thread.pk, "status": status, "error": error},
            )
        else:
            # Queued and sending are working states: the timeline shows only how it ended.
            change.always = False
    return thread


def thread_message_id_assign(*, actor: Actor, source: Source, thread: Thread, message_id: str) -> str:
    """Give ``thread`` its Message-ID unless it has one; return the one it keeps.

    Only the system (the sending flow) sets this technical header, once, before the first attempt: the
    UPDATE is conditional on the column being empty, so when two attempts race the first value stays
    and both send with it. Nothing is logged: no one changed the conversation.
    """
    if actor.kind is not ActorKind.SYSTEM:
        raise PermissionDenied(_("You do not have permission to do this."))
    max_length = Thread._meta.get_field("message_id").max_length or 998
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
