"""Bulk actions from the ticket list: parse the form, call ``ticket_bulk_update``, report per ticket."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from kefu.core.actors import Actor, Source
from kefu.core.errors import ServiceError
from kefu.core.htmx import is_partial
from kefu.core.ids import parse_id
from kefu.org.decorators import agent_required
from kefu.org.selectors import helpdesk_settings
from kefu.tickets.services import ticket_bulk_update
from kefu.tickets.services.bulk import BULK_ACTIONS, MAX_BULK, BulkResult

_VALUE_FIELD = {"assign": "assignee", "status": "status", "priority": "priority", "tag": "tag"}


def _ticket_ids(request: HttpRequest) -> list[int]:
    """The checked tickets; anything that is not an id is dropped (it could not name a ticket anyway)."""
    raw = request.POST.getlist("ticket_ids")[: MAX_BULK + 1]
    return [ticket_id for ticket_id in map(parse_id, raw) if ticket_id]


def _summary(result: BulkResult) -> str:
    return ngettext("%(count)d ticket changed.", "%(count)d tickets changed.", len(result.changed)) % {
        "count": len(result.changed)
    }


@agent_required()
@require_POST
def ticket_bulk(request: HttpRequest) -> HttpResponse:
    action = request.POST.get("action", "")
    value = request.POST.get(_VALUE_FIELD.get(action, ""), "") if action in _VALUE_FIELD else None
    error = None
    result = BulkResult()
    try:
        result = ticket_bulk_update(
            actor=Actor.agent(request.user),
            source=Source.WEB,
            ticket_ids=_ticket_ids(request),
            action=action,
            value=value,
        )
    except ServiceError as exc:
        error = exc.message
    if is_partial(request):
        response = render(
            request,
            "tickets/partials/list_bulk_result.html",
            {
                "error": error,
                "summary": _summary(result),
                "result": result,
                "action_label": BULK_ACTIONS.get(action, ""),
                "prefix": helpdesk_settings().ticket_number_prefix,
            },
        )
        if result.changed:
            response["HX-Trigger"] = "kefu-list-refresh"
        return response
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _summary(result))
        prefix = helpdesk_settings().ticket_number_prefix
        for failure in result.failures:
            label = (
                f"{prefix}{failure.number}"
                if failure.number
                else _("Ticket %(id)s") % {"id": failure.ticket_id}
            )
            messages.error(
                request, _("%(ticket)s: %(reason)s") % {"ticket": label, "reason": failure.message}
            )
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        target = reverse("tickets:list")
    return redirect(target)
