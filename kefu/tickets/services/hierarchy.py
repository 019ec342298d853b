"""Parent and child tickets: one customer problem split among the teams that solve its parts.

A laptop that will not start becomes a parent ticket with children for the hardware, software and
network teams; each child may belong to another department than its parent.

Rules (checked by ``check_parent`` whenever a ticket is given a parent, on creation or later):

- **One level.** A parent has no parent of its own and a child has no children, so the family is a
  tree of depth one and a cycle cannot arise (a ticket is never its own parent either).
- **At most ``MAX_CHILDREN`` children** per parent.
- Whoever links needs the edit right on the child and must see the parent (``authorize_parent``).

What follows a status change (``follow_family``, inside the transaction of the change, as the system
and ``caused_by`` the change-set that triggered it):

- **Closing a parent closes its open children**, with the parent's new closed status. The console asks
  first and lists them; the API does it without asking.
- **Closing the last open child closes its parent**, with the child's closed status, when the parent's
  department keeps ``close_parent_with_last_child`` (on by default).
- Reopening either one reopens nothing else. Trashed and spam children do not count.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from kefu.core.actors import Actor, Source
from kefu.tickets.models import StatusType, Ticket
from kefu.tickets.rules import caused_by

if TYPE_CHECKING:
    # Only a type: changes → fields → this module at import time.
    from kefu.tickets.services.changes import RecordedChange

MAX_CHILDREN = 50


def live_children(parent_id: int) -> Any:
    """The children that count: not trashed, not spam."""
    return Ticket.objects.filter(parent_id=parent_id, deleted_at__isnull=True, is_spam=False)


def check_parent(ticket: Ticket | None, parent: Ticket, errors: dict[str, str]) -> None:
    """Add a ``parent_id`` error if ``ticket`` (``None``: a ticket being created) may not have ``parent``."""
    siblings = live_children(parent.pk)
    if ticket is not None:
        siblings = siblings.exclude(pk=ticket.pk)
    if ticket is not None and parent.pk == ticket.pk:
        errors["parent_id"] = _("A ticket cannot be its own parent.")
    elif parent.parent_id is not None:
        errors["parent_id"] = _(
            "Ticket %(number)s is itself a child ticket; a child cannot have children."
        ) % {"number": parent.number}
    elif ticket is not None and live_children(ticket.pk).exists():
        errors["parent_id"] = _("This ticket has child tickets, so it cannot become a child itself.")
    elif siblings.count() >= MAX_CHILDREN:
        errors["parent_id"] = _("A ticket can have at most %(limit)d child tickets.") % {
            "limit": MAX_CHILDREN
        }


def _closing(change: RecordedChange) -> bool:
    """Whether the change-set moved the ticket from an open or on-hold status to a closed one."""
    for row in change.changes:
        if row.field == "status":
            old_type = (row.old or {}).get("type")
            new_type = (row.new or {}).get("type")
            return new_type == StatusType.CLOSED and old_type != StatusType.CLOSED
    return False


def follow_family(change: RecordedChange, set_status: Callable[[Actor, Source, Ticket, int], Any]) -> None:
    """Close the open children of a parent that closed, and the parent of a last child that closed.

    ``set_status(actor, source, ticket, status_id)`` is the status service, passed in because it calls
    back here. The family's changes are the system's, through the source of the change that caused them.
    """
    if not _closing(change):
        return
    ticket = change.ticket
    status_id = ticket.status_id
    with caused_by(change.change_set):
        for child in live_children(ticket.pk).exclude(status__status_type=StatusType.CLOSED).order_by("pk"):
            set_status(Actor.system(), change.source, child, status_id)
        if ticket.parent_id is None:
            return
        parent = (
            Ticket.objects.select_related("status", "department")
            .filter(pk=ticket.parent_id, deleted_at__isnull=True)
            .first()
        )
        if (
            parent is None
            or parent.status.status_type == StatusType.CLOSED
            or not parent.department.close_parent_with_last_child
            or live_children(parent.pk).exclude(status__status_type=StatusType.CLOSED).exists()
        ):
            return
        set_status(Actor.system(), change.source, parent, status_id)
