"""``/api/v1/canned-replies``: snippets for the reply editor, searched, inserted and counted."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Query, Router, Status

from kefu.automation.canned import selectors, services
from kefu.automation.canned.schemas import (
    CannedReplyFilters,
    CannedReplyIn,
    CannedReplyOut,
    CannedReplyUseIn,
    CannedReplyUseOut,
)
from kefu.automation.edge import agent_actor
from kefu.core.actors import Source
from kefu.core.api_types import ERRORS, Id
from kefu.tickets.selectors import ticket_get

router = Router(tags=["canned replies"])


def canned_reply_out(reply: Any) -> dict[str, Any]:
    return {
        "id": reply.pk,
        "title": reply.title,
        "body": reply.body,
        "language": reply.language,
        "shortcut": reply.shortcut,
        "department_id": reply.department_id,
        "shared": reply.owner_id is None,
        "owner_id": reply.owner_id,
        "usage_count": reply.usage_count,
    }


def _fields(payload: CannedReplyIn) -> dict[str, Any]:
    return {
        "title": payload.title,
        "body": payload.body,
        "language": payload.language,
        "shortcut": payload.shortcut,
        "department_id": payload.department_id,
        "shared": payload.shared,
    }


@router.get(
    "/canned-replies", response={200: list[CannedReplyOut], **ERRORS}, summary="Search canned replies"
)
def list_replies(request: HttpRequest, filters: Query[CannedReplyFilters]) -> list[dict[str, Any]]:
    agent_actor(request.auth)
    found = selectors.canned_reply_search(
        request.auth, q=filters.q, language=filters.language, department_id=filters.department_id
    )
    return [canned_reply_out(reply) for reply in found]


@router.post("/canned-replies", response={201: CannedReplyOut, **ERRORS}, summary="Create a canned reply")
def create_reply(request: HttpRequest, payload: CannedReplyIn) -> Status[dict[str, Any]]:
    reply = services.canned_reply_create(
        actor=agent_actor(request.auth), source=Source.API, **_fields(payload)
    )
    return Status(201, canned_reply_out(reply))


@router.get(
    "/canned-replies/{reply_id}", response={200: CannedReplyOut, **ERRORS}, summary="Get a canned reply"
)
def get_reply(request: HttpRequest, reply_id: Id) -> dict[str, Any]:
    return canned_reply_out(services.canned_reply_get(agent_actor(request.auth), reply_id))


@router.put(
    "/canned-replies/{reply_id}", response={200: CannedReplyOut, **ERRORS}, summary="Change a canned reply"
)
def update_reply(request: HttpRequest, reply_id: Id, payload: CannedReplyIn) -> dict[str, Any]:
    reply = services.canned_reply_update(
        actor=agent_actor(request.auth), source=Source.API, reply_id=reply_id, **_fields(payload)
    )
    return canned_reply_out(reply)


@router.delete("/canned-replies/{reply_id}", response={204: None, **ERRORS}, summary="Delete a canned reply")
def delete_reply(request: HttpRequest, reply_id: Id) -> Status[None]:
    services.canned_reply_delete(actor=agent_actor(request.auth), source=Source.API, reply_id=reply_id)
    return Status(204, None)


@router.post(
    "/canned-replies/{reply_id}/use",
    response={200: CannedReplyUseOut, **ERRORS},
    summary="Insert a canned reply: count the use, return the text filled in for a ticket",
)
def use_reply(request: HttpRequest, reply_id: Id, payload: CannedReplyUseIn) -> dict[str, Any]:
    actor = agent_actor(request.auth)
    ticket = None
    if payload.ticket_id is not None:
        ticket = ticket_get(request.auth, payload.ticket_id)
        if ticket is None:
            raise Http404
    body = services.canned_reply_use(actor=actor, reply_id=reply_id, ticket=ticket)
    return {"body": body, "usage_count": services.canned_reply_get(actor, reply_id).usage_count}
