"""Heartbeats from an open ticket page, answered with the collision notice ("王芳 is replying")."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from kefu.core.actors import Actor, Source
from kefu.core.errors import NotFound
from kefu.tickets import services
from kefu.tickets.presence import HEARTBEAT_SECONDS, others_present
from kefu.tickets.selectors import ticket_visible


def _ticket(request: HttpRequest, ticket_id: int) -> Any:
    ticket = ticket_visible(request.user, ticket_id)
    if ticket is None:
        raise Http404
    return ticket


@login_required
@require_POST
def ticket_presence(request: HttpRequest, ticket_id: int) -> HttpResponse:
    ticket = _ticket(request, ticket_id)
    try:
        services.ticket_presence_beat(
            actor=Actor.agent(request.user),
            source=Source.WEB,
            ticket=ticket,
            replying=request.POST.get("replying") == "true",
        )
    except NotFound as exc:
        raise Http404 from exc
    return render(
        request,
        "tickets/partials/ticket_presence.html",
        {
            "ticket": ticket,
            "present": others_present(ticket, user_id=request.user.pk),
            "heartbeat_seconds": HEARTBEAT_SECONDS,
        },
    )


@login_required
@require_POST
def ticket_presence_leave(request: HttpRequest, ticket_id: int) -> HttpResponse:
    ticket = _ticket(request, ticket_id)
    services.ticket_presence_leave(actor=Actor.agent(request.user), source=Source.WEB, ticket=ticket)
    return HttpResponse(status=204)
