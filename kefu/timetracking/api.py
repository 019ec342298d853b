"""REST endpoints for time entries: ``/tickets/{id}/time-entries`` and ``/time-entries/{id}``."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from kefu.core.actors import Source
from kefu.core.api_types import ERRORS, Id
from kefu.core.errors import ValidationFailed
from kefu.core.idempotency import idempotent
from kefu.core.pagination import paginate
from kefu.org.api_access import api_agent
from kefu.timetracking import services
from kefu.timetracking.inputs import TimeEntryInput
from kefu.timetracking.schemas import (
    TimeEntryIn,
    TimeEntryListIn,
    TimeEntryListOut,
    TimeEntryOut,
    TimeEntryPatchIn,
    TotalsIn,
    TotalsOut,
)
from kefu.timetracking.selectors import entry_get, ticket_entries, ticket_totals, time_totals, visible_ticket

tickets_router = Router(tags=["time tracking"])
entries_router = Router(tags=["time tracking"])


def entry_out(entry: Any) -> dict[str, Any]:
    return {
        "id": entry.pk,
        "agent_id": entry.agent_id,
        "minutes": entry.minutes,
        "date": entry.date,
        "billable": entry.billable,
        "note": entry.note,
    }


def _ticket_id(request: HttpRequest, ticket_id: int) -> int:
    if visible_ticket(request.auth, ticket_id) is None:
        raise Http404
    return ticket_id


@tickets_router.get(
    "/{ticket_id}/time-entries",
    response={200: TimeEntryListOut, **ERRORS},
    summary="List a ticket's time entries, with its totals",
)
def list_time_entries(request: HttpRequest, ticket_id: Id, filters: Query[TimeEntryListIn]) -> dict[str, Any]:
    api_agent(request)
    ticket_id = _ticket_id(request, ticket_id)
    page = paginate(ticket_entries(ticket_id), sort="-id", limit=filters.limit, cursor=filters.cursor)
    totals = ticket_totals(ticket_id)
    return {
        "items": [entry_out(entry) for entry in page.items],
        "next_cursor": page.next_cursor,
        "total_minutes": totals.minutes,
        "billable_minutes": totals.billable_minutes,
    }


@tickets_router.post(
    "/{ticket_id}/time-entries",
    response={201: TimeEntryOut, **ERRORS},
    summary="Log time on a ticket",
)
def create_time_entry(request: HttpRequest, ticket_id: Id, payload: TimeEntryIn) -> Status[dict[str, Any]]:
    actor = api_agent(request)
    ticket_id = _ticket_id(request, ticket_id)

    def create() -> tuple[int, dict[str, Any]]:
        entry = services.time_entry_create(
            actor=actor, source=Source.API, ticket_id=ticket_id, data=TimeEntryInput(**payload.model_dump())
        )
        return 201, TimeEntryOut.model_validate(entry_out(entry)).model_dump(mode="json")

    return Status(*idempotent(request, create))


def _entry(request: HttpRequest, entry_id: int) -> Any:
    entry = entry_get(request.auth, entry_id)
    if entry is None:
        raise Http404
    return entry


@entries_router.get(
    "/totals",
    response={200: TotalsOut, **ERRORS},
    summary="Total time per ticket, contact, account or agent (over the tickets the caller may see)",
)
def time_entry_totals(request: HttpRequest, filters: Query[TotalsIn]) -> dict[str, Any]:
    api_agent(request)
    if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
        raise ValidationFailed(
            _("The request is not valid."), fields={"date_to": _("Pick a date on or after the start.")}
        )
    totals = time_totals(request.auth, **filters.model_dump())
    return {
        "minutes": totals.minutes,
        "billable_minutes": totals.billable_minutes,
        "per_agent": [
            {"agent_id": row.agent_id, "minutes": row.minutes, "billable_minutes": row.billable_minutes}
            for row in totals.per_agent
        ],
    }


@entries_router.patch("/{entry_id}", response={200: TimeEntryOut, **ERRORS}, summary="Change a time entry")
def update_time_entry(request: HttpRequest, entry_id: Id, payload: TimeEntryPatchIn) -> dict[str, Any]:
    actor = api_agent(request)
    entry = _entry(request, entry_id)
    changes = payload.model_dump(exclude_unset=True)
    nulls = sorted(
        name for name in ("minutes", "date", "billable") if name in changes and changes[name] is None
    )
    if nulls:
        raise ValidationFailed(
            _("The time entry is not valid."),
            fields={name: _("This field cannot be empty.") for name in nulls},
        )
    entry = services.time_entry_update(actor=actor, source=Source.API, entry=entry, changes=changes)
    return entry_out(entry)


@entries_router.delete("/{entry_id}", response={204: None, **ERRORS}, summary="Delete a time entry")
def delete_time_entry(request: HttpRequest, entry_id: Id) -> Status[None]:
    actor = api_agent(request)
    services.time_entry_delete(actor=actor, source=Source.API, entry=_entry(request, entry_id))
    return Status(204, None)
