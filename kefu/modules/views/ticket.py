"""The records on a ticket page: the panel the ticket page loads, and picking a record for the ticket.

The ticket page includes ``modules/partials/ticket_slot.html``, which loads this panel with HTMX; the
tickets app knows nothing else about modules.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kefu.core.actors import Actor, Source
from kefu.core.errors import ServiceError
from kefu.core.ids import is_storable_id
from kefu.modules import services
from kefu.modules.selectors import record_choices, ticket_slots
from kefu.org.decorators import agent_required
from kefu.tickets.selectors import ticket_visible


def _panel(request: HttpRequest, ticket_id: int, *, error: str = "", editing: str = "") -> HttpResponse:
    slots = ticket_slots(request.user, ticket_id)
    q = request.GET.get("q", "").strip()[:200]
    choices = {
        f"{slot.definition.key}.{slot.field.key}": record_choices(slot.definition.id, q=q)
        for slot in slots
        if slot.can_write
    }
    return render(
        request,
        "modules/partials/ticket_panel.html",
        {
            "slots": slots,
            "ticket_id": ticket_id,
            "choices": choices,
            "error": error,
            "q": q,
            "editing": editing,
        },
    )


def _ticket_id(request: HttpRequest, ticket_id: int) -> int:
    if not is_storable_id(ticket_id) or ticket_visible(request.user, ticket_id) is None:
        raise Http404
    return ticket_id


@agent_required()
def ticket_panel(request: HttpRequest, ticket_id: int) -> HttpResponse:
    return _panel(request, _ticket_id(request, ticket_id), editing=request.GET.get("editing", ""))


@require_POST
@agent_required()
def ticket_record_set(request: HttpRequest, ticket_id: int) -> HttpResponse:
    ticket_id = _ticket_id(request, ticket_id)
    raw = request.POST.get("record", "").strip()
    error = ""
    record_id = int(raw) if raw.isdigit() and is_storable_id(int(raw)) else None
    if raw and record_id is None:
        return _panel(request, ticket_id, error=_("No such record."))
    try:
        services.record_ticket_set(
            actor=Actor.agent(request.user),
            source=Source.WEB,
            module_key=request.POST.get("module", ""),
            field_key=request.POST.get("field", ""),
            ticket_id=ticket_id,
            record_id=record_id,
        )
    except ServiceError as exc:
        error = " ".join([exc.message, *exc.fields.values()])
    return _panel(request, ticket_id, error=error)
