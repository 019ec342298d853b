"""``/api/v1/macros`` and ``POST /api/v1/tickets/{id}/apply-macro`` (its router is mounted under /tickets)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Status

from kefu.automation.edge import agent_actor
from kefu.automation.macros import services
from kefu.automation.macros.bulk_reply import ticket_bulk_reply
from kefu.automation.macros.inputs import MacroInput
from kefu.automation.macros.schemas import (
    ApplyMacroBulkIn,
    ApplyMacroBulkOut,
    ApplyMacroIn,
    BulkReplyIn,
    BulkReplyOut,
    MacroIn,
    MacroOut,
)
from kefu.core.actors import Source
from kefu.core.api_types import ERRORS, Id
from kefu.core.idempotency import idempotent
from kefu.org.selectors import helpdesk_settings
from kefu.tickets.api import ticket_out
from kefu.tickets.schemas import TicketOut
from kefu.tickets.selectors import ticket_get

router = Router(tags=["macros"])
tickets_router = Router(tags=["macros"])


def macro_out(macro: Any) -> dict[str, Any]:
    return {
        "id": macro.pk,
        "name": macro.name,
        "description": macro.description,
        "department_id": macro.department_id,
        "shared": macro.shared,
        "owner_id": macro.owner_id,
        "actions": macro.actions,
        "usage_count": macro.usage_count,
        "last_used_at": macro.last_used_at,
    }


def _input(payload: MacroIn) -> MacroInput:
    return MacroInput(
        name=payload.name,
        description=payload.description,
        department_id=payload.department_id,
        shared=payload.shared,
        actions=[dict(item) for item in payload.actions],
    )


@router.get("/macros", response={200: list[MacroOut], **ERRORS}, summary="The macros you can apply")
def list_macros(request: HttpRequest, department_id: Query[Id | None] = None) -> list[dict[str, Any]]:  # type: ignore[type-arg]
    agent_actor(request.auth)
    return [macro_out(macro) for macro in services.macro_list(request.auth, department_id=department_id)]


@router.post("/macros", response={201: MacroOut, **ERRORS}, summary="Create a macro")
def create_macro(request: HttpRequest, payload: MacroIn) -> Status[dict[str, Any]]:
    macro = services.macro_create(actor=agent_actor(request.auth), source=Source.API, data=_input(payload))
    return Status(201, macro_out(macro))


@router.get("/macros/{macro_id}", response={200: MacroOut, **ERRORS}, summary="Get a macro")
def get_macro(request: HttpRequest, macro_id: Id) -> dict[str, Any]:
    return macro_out(services.macro_get(agent_actor(request.auth), macro_id))


@router.put("/macros/{macro_id}", response={200: MacroOut, **ERRORS}, summary="Change a macro")
def update_macro(request: HttpRequest, macro_id: Id, payload: MacroIn) -> dict[str, Any]:
    macro = services.macro_update(
        actor=agent_actor(request.auth), source=Source.API, macro_id=macro_id, data=_input(payload)
    )
    return macro_out(macro)


@router.delete("/macros/{macro_id}", response={204: None, **ERRORS}, summary="Delete a macro")
def delete_macro(request: HttpRequest, macro_id: Id) -> Status[None]:
    services.macro_delete(actor=agent_actor(request.auth), source=Source.API, macro_id=macro_id)
    return Status(204, None)


@router.post(
    "/macros/{macro_id}/apply",
    response={200: ApplyMacroBulkOut, **ERRORS},
    summary="Apply a macro to a selection of tickets",
)
def apply_to_selection(request: HttpRequest, macro_id: Id, payload: ApplyMacroBulkIn) -> dict[str, Any]:
    result = services.macro_apply_bulk(
        actor=agent_actor(request.auth),
        source=Source.API,
        macro_id=macro_id,
        ticket_ids=list(payload.ticket_ids),
    )
    return {"applied": result.applied, "failed": {str(key): value for key, value in result.failed.items()}}


@tickets_router.post(
    "/{ticket_id}/apply-macro",
    response={200: TicketOut, **ERRORS},
    summary="Apply a macro to a ticket; answers the ticket as it is afterwards",
)
def apply_macro(request: HttpRequest, ticket_id: Id, payload: ApplyMacroIn) -> dict[str, Any]:
    ticket = services.macro_apply(
        actor=agent_actor(request.auth), source=Source.API, macro_id=payload.macro_id, ticket_id=ticket_id
    )
    # An agent whose macro moved the ticket out of their departments still gets the result of their change.
    current = ticket_get(request.auth, ticket.pk) or ticket
    return ticket_out(current, helpdesk_settings().ticket_number_prefix)


@tickets_router.post(
    "/bulk-reply",
    response={200: BulkReplyOut, **ERRORS},
    summary="Reply to many tickets at once",
    description=(
        "One text to each ticket of `ticket_ids` (at most 100), its placeholders (as in macros: "
        "`{{ contact.name }}`, `{{ ticket.number }}`…) filled per ticket. Each ticket gets its own reply, "
        "emailed through its own mailbox in its own conversation. A ticket that cannot be replied to is "
        "reported in `results` with the reason, and the others are answered."
    ),
)
def bulk_reply(request: HttpRequest, payload: BulkReplyIn) -> Status[dict[str, Any]]:
    actor = agent_actor(request.auth)

    def create() -> tuple[int, dict[str, Any]]:
        result = ticket_bulk_reply(
            actor=actor, source=Source.API, ticket_ids=list(payload.ticket_ids), body=payload.body
        )
        failures = {failure.ticket_id: failure.message for failure in result.failures}
        results = [
            {"ticket_id": pk, "status": "replied", "thread_id": result.replied[pk], "message": None}
            if pk in result.replied
            else {"ticket_id": pk, "status": "failed", "thread_id": None, "message": failures[pk]}
            for pk in dict.fromkeys(payload.ticket_ids)
        ]
        return 200, {"replied": len(result.replied), "failed": len(failures), "results": results}

    return Status(*idempotent(request, create))
