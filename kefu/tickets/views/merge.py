"""Merging tickets into the one on screen, undoing a merge, and splitting a message off, from the console.

Thin: each action calls its ticket service and comes back to a ticket page with a message saying what
happened (or why not). A merged ticket's own page redirects to the ticket it was merged into.
"""

from __future__ import annotations

import re
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kefu.core.actors import Actor, Source
from kefu.core.errors import NotFound, ServiceError
from kefu.org import permissions
from kefu.org.selectors import agent_access, helpdesk_settings
from kefu.tickets import services
from kefu.tickets.filters import number_match
from kefu.tickets.selectors import ticket_get, visible_tickets

_NUMBERS = re.compile(r"[\s,，、;；]+")


def merge_context(request: HttpRequest, ticket: Any) -> dict[str, Any]:
    """The merge card: who may merge, and the merges into this ticket that can still be undone."""
    now = timezone.now()
    return {
        "can_merge": agent_access(request.user).can(permissions.TICKET_EDIT),
        "undoable_merges": [
            {
                "merge": merge,
                "minutes_left": max(1, int((merge.merged_at + services.UNDO_WINDOW - now).seconds / 60)),
            }
            for merge in services.undoable_merges(ticket, now)
        ],
    }


def _error(exc: ServiceError) -> str:
    details = "; ".join(value for value in exc.fields.values() if value != exc.message)
    return f"{exc.message} {details}".strip()


def _ids_of_numbers(request: HttpRequest, text: str) -> tuple[list[int], list[str]]:
    """The ids of the tickets typed by number (``#12, 13`` or display numbers such as
    ``AS-20261122-00042``), and the numbers that name no visible ticket."""
    ids: list[int] = []
    unknown: list[str] = []
    prefix = helpdesk_settings().ticket_number_prefix
    for word in filter(None, _NUMBERS.split(text.strip())):
        numbered = number_match(word, prefix)
        found = visible_tickets(request.user).filter(numbered).first() if numbered is not None else None
        if found is None:
            unknown.append(word)
        else:
            ids.append(found.pk)
    return ids, unknown


def _page(ticket_id: int) -> HttpResponse:
    return redirect("tickets:detail", ticket_id=ticket_id)


@login_required
@require_POST
def ticket_merge(request: HttpRequest, ticket_id: int) -> HttpResponse:
    target = ticket_get(request.user, ticket_id)
    if target is None:
        raise Http404
    ids, unknown = _ids_of_numbers(request, request.POST.get("numbers", ""))
    if unknown:
        messages.error(
            request, _("No ticket you can see has the number %(numbers)s.") % {"numbers": ", ".join(unknown)}
        )
        return _page(ticket_id)
    try:
        services.ticket_merge(
            actor=Actor.agent(request.user), source=Source.WEB, target=target, ticket_ids=ids
        )
    except NotFound as exc:
        raise Http404 from exc
    except ServiceError as exc:
        messages.error(request, _error(exc))
    else:
        messages.success(request, _("The tickets were merged into this one. You can undo it for 10 minutes."))
    return _page(ticket_id)


@login_required
@require_POST
def ticket_unmerge(request: HttpRequest, ticket_id: int) -> HttpResponse:
    """Undo the merge of ticket ``ticket_id`` (the merged one) and show it again."""
    merged = ticket_get(request.user, ticket_id)
    if merged is None:
        raise Http404
    target_id = merged.merged_into_id
    try:
        services.ticket_merge_undo(actor=Actor.agent(request.user), source=Source.WEB, merged=merged)
    except NotFound as exc:
        raise Http404 from exc
    except ServiceError as exc:
        messages.error(request, _error(exc))
        return _page(target_id or ticket_id)
    messages.success(request, _("The merge was undone."))
    return _page(ticket_id)


@login_required
@require_POST
def ticket_split(request: HttpRequest, ticket_id: int, thread_id: int) -> HttpResponse:
    ticket = ticket_get(request.user, ticket_id)
    if ticket is None:
        raise Http404
    try:
        new = services.ticket_split(
            actor=Actor.agent(request.user), source=Source.WEB, ticket=ticket, thread_id=thread_id
        )
    except NotFound as exc:
        raise Http404 from exc
    except ServiceError as exc:
        messages.error(request, _error(exc))
        return _page(ticket_id)
    messages.success(
        request,
        _("The message is now ticket %(number)s.")
        % {"number": f"{helpdesk_settings().ticket_number_prefix}{new.number}"},
    )
    return _page(new.pk)
