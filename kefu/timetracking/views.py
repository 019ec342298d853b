"""Time tracking in the console: the ticket page's timer and entries panel, and the totals panels of
the contact and account pages.

The ticket page includes ``timetracking/partials/ticket_slot.html`` (the contact and account pages their
own slots), which load these panels with HTMX; the tickets and contacts apps know nothing else of
time tracking.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from kefu.core.actors import Actor, Source
from kefu.core.errors import ServiceError
from kefu.core.ids import is_storable_id, parse_id
from kefu.org import permissions
from kefu.org.decorators import agent_required
from kefu.org.selectors import agent_access
from kefu.timetracking import services
from kefu.timetracking.inputs import TimeEntryInput
from kefu.timetracking.selectors import (
    account_totals,
    contact_totals,
    entry_get,
    running_timer,
    ticket_entries,
    ticket_totals,
    visible_ticket,
)

ENTRIES_SHOWN = 20


def _ticket_id(request: HttpRequest, ticket_id: int) -> int:
    if not is_storable_id(ticket_id) or visible_ticket(request.user, ticket_id) is None:
        raise Http404
    return ticket_id


def _panel(
    request: HttpRequest,
    ticket_id: int,
    *,
    error: str = "",
    field_errors: dict[str, str] | None = None,
    values: dict[str, Any] | None = None,
    editing: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    timer = running_timer(request.user)
    return render(
        request,
        "timetracking/partials/ticket_panel.html",
        {
            "ticket_id": ticket_id,
            "timer": timer,
            "timer_here": timer is not None and timer.ticket_id == ticket_id,
            "entries": list(ticket_entries(ticket_id)[:ENTRIES_SHOWN]),
            "totals": ticket_totals(ticket_id),
            "is_admin": agent_access(request.user).can(permissions.SETTINGS_MANAGE),
            "today": services.local_today(request.user),
            "error": error,
            "field_errors": field_errors or {},
            "values": values or {},
            "editing": editing or {},
        },
        status=status,
    )


@agent_required()
def ticket_panel(request: HttpRequest, ticket_id: int) -> HttpResponse:
    return _panel(request, _ticket_id(request, ticket_id))


def _service_call(
    request: HttpRequest, ticket_id: int, call: Any, values: dict[str, Any] | None = None
) -> HttpResponse:
    try:
        call()
    except ServiceError as exc:
        return _panel(
            request,
            ticket_id,
            error=exc.message,
            field_errors=exc.fields,
            values=values,
            status=exc.status_code,
        )
    return _panel(request, ticket_id)


@require_POST
@agent_required()
def timer_start(request: HttpRequest, ticket_id: int) -> HttpResponse:
    ticket_id = _ticket_id(request, ticket_id)
    return _service_call(
        request,
        ticket_id,
        lambda: services.timer_start(actor=Actor.agent(request.user), source=Source.WEB, ticket_id=ticket_id),
    )


@require_POST
@agent_required()
def timer_stop(request: HttpRequest, ticket_id: int) -> HttpResponse:
    ticket_id = _ticket_id(request, ticket_id)
    return _service_call(
        request, ticket_id, lambda: services.timer_stop(actor=Actor.agent(request.user), source=Source.WEB)
    )


def _whole_number(raw: str) -> object:
    raw = raw.strip()
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 10 else raw


def _date(raw: str) -> object:
    raw = raw.strip()
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        return raw


@require_POST
@agent_required()
def entry_create(request: HttpRequest, ticket_id: int) -> HttpResponse:
    ticket_id = _ticket_id(request, ticket_id)
    values = {
        "minutes": request.POST.get("minutes", ""),
        "date": request.POST.get("date", ""),
        "billable": request.POST.get("billable") == "on",
        "note": request.POST.get("note", ""),
    }
    data = TimeEntryInput(
        minutes=_whole_number(values["minutes"]),
        date=_date(values["date"]),  # type: ignore[arg-type]  # the service names a bad date
        billable=values["billable"],
        note=values["note"],
    )
    return _service_call(
        request,
        ticket_id,
        lambda: services.time_entry_create(
            actor=Actor.agent(request.user), source=Source.WEB, ticket_id=ticket_id, data=data
        ),
        values,
    )


def _panel_ticket_id(request: HttpRequest, entry: Any) -> int:
    """The ticket whose panel sent the change (it may list a merged ticket's entry), else the entry's."""
    posted = parse_id(request.POST.get("ticket"))
    if posted is not None and visible_ticket(request.user, posted) is not None:
        return posted
    return int(entry.ticket_id)


@require_POST
@agent_required()
def entry_edit(request: HttpRequest, entry_id: int) -> HttpResponse:
    """Change an entry's minutes, date, billable and note (one's own; administrators anyone's)."""
    entry = entry_get(request.user, entry_id) if is_storable_id(entry_id) else None
    if entry is None:
        raise Http404
    values = {
        "minutes": request.POST.get("minutes", ""),
        "date": request.POST.get("date", ""),
        "billable": request.POST.get("billable") == "on",
        "note": request.POST.get("note", ""),
    }
    changes = {
        "minutes": _whole_number(values["minutes"]),
        "date": _date(values["date"]) or values["date"],
        "billable": values["billable"],
        "note": values["note"],
    }
    panel_ticket_id = _panel_ticket_id(request, entry)
    try:
        services.time_entry_update(
            actor=Actor.agent(request.user), source=Source.WEB, entry=entry, changes=changes
        )
    except ServiceError as exc:
        return _panel(
            request,
            panel_ticket_id,
            error=exc.message,
            editing={"id": entry.pk, "fields": exc.fields, "values": values},
            status=exc.status_code,
        )
    return _panel(request, panel_ticket_id)


@require_POST
@agent_required()
def entry_delete(request: HttpRequest, entry_id: int) -> HttpResponse:
    entry = entry_get(request.user, entry_id) if is_storable_id(entry_id) else None
    if entry is None:
        raise Http404
    ticket_id = _panel_ticket_id(request, entry)
    return _service_call(
        request,
        ticket_id,
        lambda: services.time_entry_delete(actor=Actor.agent(request.user), source=Source.WEB, entry=entry),
    )


@agent_required()
def contact_panel(request: HttpRequest, contact_id: int) -> HttpResponse:
    return render(
        request,
        "timetracking/partials/totals_panel.html",
        {"totals": contact_totals(request.user, contact_id), "testid": "contact-time"},
    )


@agent_required()
def account_panel(request: HttpRequest, account_id: int) -> HttpResponse:
    return render(
        request,
        "timetracking/partials/totals_panel.html",
        {"totals": account_totals(request.user, account_id), "testid": "account-time"},
    )
