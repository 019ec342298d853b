"""Merging tickets into one, and undoing a merge for a while.

``ticket_merge`` moves everything of each merged ticket into the target: its threads (so replies to its
old email thread, which name those Message-IDs, land on the target), comments, attachments and history
rows; its CC contacts, followers and tags are added to the target's, and its child tickets become the
target's. The merged ticket stays as an empty shell: closed, ``merged_into`` the target (the console
redirects to the target, the API answers 301, the email channel's lookups follow it), with its own
"merged" event. Both tickets get a ``ticket.merged`` change-set, in one transaction.

``ticket_merge_undo`` reverses one merge within ``UNDO_WINDOW`` when that is still safe: neither ticket
is trashed and the target has not itself been merged away. It moves back exactly what the merge moved
(``TicketMerge.moved``) and removes what it added; whatever was written on the target since stays there.

Who may merge: agents with the edit right (not light agents) who can see the target and every ticket
merged into it (another department's ticket is an unknown id). No other kind of actor merges.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kefu.core.actors import Actor, Source
from kefu.core.errors import Conflict, NotFound, ValidationFailed
from kefu.core.event_types import EventType
from kefu.tickets.models import (
    Attachment,
    Comment,
    Status,
    StatusType,
    Thread,
    Ticket,
    TicketEvent,
    TicketMerge,
)
from kefu.tickets.selectors import visible_tickets
from kefu.tickets.services.authorization import TICKET_MERGE, authorize
from kefu.tickets.services.changes import snapshot, ticket_change
from kefu.tickets.services.hierarchy import live_children

MAX_MERGE = 20
UNDO_WINDOW = dt.timedelta(minutes=10)
_ROWS: dict[str, type[Thread] | type[Comment] | type[Attachment] | type[TicketEvent]] = {
    "threads": Thread,
    "comments": Comment,
    "attachments": Attachment,
    "events": TicketEvent,
}


def _reference(ticket: Ticket) -> dict[str, Any]:
    return {"id": ticket.pk, "number": ticket.number}


def closed_status() -> Status:
    status = (
        Status.objects.filter(status_type=StatusType.CLOSED, is_active=True).order_by("order", "id").first()
    )
    if status is None:
        raise ValidationFailed(_("No closed status is configured."), fields={"status": _("Cannot close.")})
    return status


def _sources(actor: Actor, target: Ticket, ticket_ids: Sequence[Any]) -> list[Ticket]:
    """The tickets to merge, in the order given, once every id is valid; else every problem at once."""
    ids = list(dict.fromkeys(ticket_ids))
    if not ids:
        raise ValidationFailed(
            _("Choose the tickets to merge."), fields={"ticket_ids": _("Choose at least one ticket.")}
        )
    if len(ids) > MAX_MERGE:
        raise ValidationFailed(
            _("Merge at most %(limit)d tickets at once.") % {"limit": MAX_MERGE},
            fields={"ticket_ids": _("Too many tickets.")},
        )
    bad = [value for value in ids if isinstance(value, bool) or not isinstance(value, int)]
    scope = visible_tickets(actor.user) if actor.is_agent else Ticket.objects.none()
    found = {ticket.pk: ticket for ticket in scope.filter(pk__in=[i for i in ids if i not in bad])}
    errors: dict[str, str] = {}
    for index, value in enumerate(ids):
        ticket = found.get(value)
        if value == target.pk:
            errors[f"ticket_ids.{index}"] = _("A ticket cannot be merged into itself.")
        elif ticket is None:
            errors[f"ticket_ids.{index}"] = _("Unknown id %(id)s.") % {"id": value}
        elif ticket.merged_into_id is not None:
            errors[f"ticket_ids.{index}"] = _("Ticket %(number)s was already merged.") % {
                "number": ticket.number
            }
        elif target.parent_id is not None and live_children(ticket.pk).exists():
            errors[f"ticket_ids.{index}"] = _(
                "Ticket %(number)s has child tickets, and the target is itself a child ticket."
            ) % {"number": ticket.number}
        elif ticket.pk == target.parent_id:
            errors[f"ticket_ids.{index}"] = _("A ticket cannot be merged into its own child.")
    if errors:
        raise ValidationFailed(_("These tickets cannot be merged."), fields=errors)
    return [found[value] for value in ids]


def _move(merged: Ticket, target: Ticket) -> dict[str, list[int]]:
    """Move the merged ticket's rows to ``target``; return their ids and what was added to the target."""
    moved: dict[str, list[int]] = {}
    for key, model in _ROWS.items():
        rows = model.objects.filter(ticket=merged)
        moved[key] = sorted(rows.values_list("pk", flat=True))
        rows.update(ticket=target)
    have_cc = set(target.cc_contacts.values_list("pk", flat=True)) | {target.contact_id}
    # The merged ticket's customer joins in CC: their replies to the old thread are the target's now.
    customers = set(merged.cc_contacts.values_list("pk", flat=True)) | {merged.contact_id}
    moved["cc_contacts"] = sorted(customers - have_cc)
    target.cc_contacts.add(*moved["cc_contacts"])
    moved["followers"] = sorted(
        set(merged.followers.values_list("pk", flat=True))
        - set(target.followers.values_list("pk", flat=True))
    )
    target.followers.add(*moved["followers"])
    moved["tags"] = sorted(
        set(merged.tags.values_list("pk", flat=True)) - set(target.tags.values_list("pk", flat=True))
    )
    target.tags.add(*moved["tags"])
    children = live_children(merged.pk)
    moved["children"] = sorted(children.values_list("pk", flat=True))
    children.update(parent=target)
    return moved


def _merge_one(actor: Actor, source: Source, merged: Ticket, target: Ticket, closed: Status) -> TicketMerge:
    with ticket_change(
        actor=actor, source=source, ticket=merged, event_type=EventType.TICKET_MERGED
    ) as change:
        merged = change.ticket
        moved = _move(merged, target)
        record = TicketMerge.objects.create(
            source=merged,
            target=target,
            moved=moved,
            source_status=merged.status,
            merged_by=actor.user if actor.is_agent else None,
            merged_at=change.at,
        )
        change.add("merged_into", None, _reference(target))
        if merged.status.status_type != StatusType.CLOSED:
            change.add("status", snapshot(merged.status), snapshot(closed))
            merged.status = closed
            merged.closed_at = change.at
        merged.merged_into = target
        merged.updated_at = change.at
        merged.save()
    return record


def ticket_merge(*, actor: Actor, source: Source, target: Ticket, ticket_ids: Sequence[Any]) -> Ticket:
    """Merge the tickets ``ticket_ids`` into ``target`` (see the module); return the target."""
    authorize(actor, target, TICKET_MERGE)
    if target.merged_into_id is not None:
        raise Conflict(_("This ticket was merged into another one."), fields={"id": _("Already merged.")})
    sources = _sources(actor, target, ticket_ids)
    for ticket in sources:
        authorize(actor, ticket, TICKET_MERGE)
    closed = closed_status()
    with (
        transaction.atomic(),
        ticket_change(
            actor=actor, source=source, ticket=target, event_type=EventType.TICKET_MERGED, always=True
        ) as change,
    ):
        target = change.ticket
        records = [_merge_one(actor, source, ticket, target, closed) for ticket in sources]
        change.add("merged", None, [_reference(record.source) for record in records])
        target.updated_at = change.at
        target.save(update_fields=["updated_at"])
    return target


def undoable_merges(target: Ticket, now: dt.datetime | None = None) -> list[TicketMerge]:
    """The merges into ``target`` that may still be undone, newest first."""
    since = (now or timezone.now()) - UNDO_WINDOW
    return list(
        TicketMerge.objects.filter(target=target, undone_at__isnull=True, merged_at__gte=since)
        .select_related("source")
        .order_by("-merged_at", "-id")
    )


def ticket_merge_undo(
    *, actor: Actor, source: Source, merged: Ticket, now: dt.datetime | None = None
) -> Ticket:
    """Undo the merge of ``merged`` into its target (see the module); return the restored ticket."""
    now = now or timezone.now()
    record = (
        TicketMerge.objects.select_related("target", "source_status")
        .filter(source=merged, undone_at__isnull=True)
        .order_by("-merged_at", "-id")
        .first()
    )
    if record is None or merged.merged_into_id != record.target_id:
        raise NotFound(_("This ticket was not merged."))
    target = record.target
    authorize(actor, target, TICKET_MERGE)
    authorize(actor, merged, TICKET_MERGE)
    if now - record.merged_at > UNDO_WINDOW:
        raise Conflict(
            _("A merge can be undone for %(minutes)d minutes only.") % {"minutes": UNDO_WINDOW.seconds // 60},
            fields={"merged_at": _("Too late to undo.")},
        )
    if target.merged_into_id is not None:
        raise Conflict(
            _("The target was merged into another ticket since; undo that merge first."),
            fields={"merged_into": _("Merged since.")},
        )
    with transaction.atomic():
        with ticket_change(
            actor=actor, source=source, ticket=target, event_type=EventType.TICKET_MERGE_UNDONE, always=True
        ) as target_change:
            target = target_change.ticket
            with ticket_change(
                actor=actor, source=source, ticket=merged, event_type=EventType.TICKET_MERGE_UNDONE
            ) as change:
                merged = change.ticket
                _move_back(record.moved, merged, target)
                change.add("merged_into", _reference(target), None)
                if merged.status_id != record.source_status_id:
                    change.add("status", snapshot(merged.status), snapshot(record.source_status))
                    merged.status = record.source_status
                    if record.source_status.status_type != StatusType.CLOSED:
                        merged.closed_at = None
                merged.merged_into = None
                merged.updated_at = change.at
                merged.save()
            target_change.add("merged", [_reference(merged)], None)
            target.updated_at = target_change.at
            target.save(update_fields=["updated_at"])
        record.undone_at = now
        record.save(update_fields=["undone_at"])
    return merged


def _move_back(moved: dict[str, list[int]], merged: Ticket, target: Ticket) -> None:
    for key, model in _ROWS.items():
        model.objects.filter(pk__in=moved.get(key, []), ticket=target).update(ticket=merged)
    target.cc_contacts.remove(*moved.get("cc_contacts", []))
    target.followers.remove(*moved.get("followers", []))
    target.tags.remove(*moved.get("tags", []))
    Ticket.objects.filter(pk__in=moved.get("children", []), parent=target).update(parent=merged)
