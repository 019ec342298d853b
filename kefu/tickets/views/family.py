"""The ticket page's parent-and-child card: the family tree and linking tickets by number.

Linking and unlinking change the *child's* ``parent_id`` through ``ticket_update``, so the rules of
``services.hierarchy`` (one level, no cycles, at most 50 children) and the permissions apply as in the
API. Another department's relatives show their number, status, department, team and assignee only.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kefu.core.actors import Actor, Source
from kefu.core.errors import NotFound, ServiceError, ValidationFailed
from kefu.core.htmx import is_partial
from kefu.org import permissions
from kefu.org.selectors import agent_access, helpdesk_settings
from kefu.tickets import services
from kefu.tickets.filters import number_match
from kefu.tickets.models import StatusType
from kefu.tickets.selectors import (
    ticket_children,
    ticket_page_get,
    ticket_parent,
    visible_ticket_by_number,
    visible_tickets,
)

ACTIONS = ("link_child", "unlink_child", "set_parent", "remove_parent")


def family_context(
    request: HttpRequest, ticket: Any, *, errors: dict[str, str] | None = None
) -> dict[str, Any]:
    children = ticket_children(request.user, ticket)
    prefix = helpdesk_settings().ticket_number_prefix
    still_open = [child for child in children if child.status.status_type != StatusType.CLOSED]
    return {
        "ticket": ticket,
        "number_prefix": prefix,
        "family_parent": ticket_parent(request.user, ticket),
        "family_children": children,
        # What closing this ticket will also close: the console asks before it does.
        "family_open_children": ", ".join(f"{prefix}{child.shown_number}" for child in still_open),
        "can_edit_family": agent_access(request.user).can(permissions.TICKET_EDIT),
        "family_errors": errors or {},
    }


def _number(value: str) -> int | None:
    text = value.strip().lstrip("#")
    return int(text) if text.isascii() and text.isdigit() and len(text) < 19 else None


def _by_number(request: HttpRequest, value: str, field: str) -> Any:
    """The ticket typed: its plain number or its display number (any format it was created under)."""
    numbered = number_match(value, helpdesk_settings().ticket_number_prefix)
    found = visible_tickets(request.user).filter(numbered).first() if numbered is not None else None
    if found is None:
        raise ValidationFailed(
            _("No such ticket."), fields={field: _("Enter the number of a ticket you can see.")}
        )
    return found


def _apply(request: HttpRequest, ticket: Any, action: str) -> None:
    actor = Actor.agent(request.user)
    data = request.POST
    if action == "link_child":
        child = _by_number(request, data.get("number", ""), "child")
        services.ticket_update(actor=actor, source=Source.WEB, ticket=child, changes={"parent_id": ticket.pk})
    elif action == "unlink_child":
        number = _number(data.get("number", ""))
        child = visible_ticket_by_number(request.user, number) if number is not None else None
        if child is None or child.parent_id != ticket.pk:
            raise ValidationFailed(_("No such ticket."), fields={"child": _("No such ticket.")})
        services.ticket_update(actor=actor, source=Source.WEB, ticket=child, changes={"parent_id": None})
    elif action == "set_parent":
        parent = _by_number(request, data.get("number", ""), "parent")
        services.ticket_update(
            actor=actor, source=Source.WEB, ticket=ticket, changes={"parent_id": parent.pk}
        )
    elif action == "remove_parent":
        services.ticket_update(actor=actor, source=Source.WEB, ticket=ticket, changes={"parent_id": None})
    else:
        raise Http404


@login_required
@require_POST
def ticket_family(request: HttpRequest, ticket_id: int) -> HttpResponse:
    """Link or unlink a child, set or remove the parent; answers the card again (HTMX) or the page."""
    ticket = ticket_page_get(request.user, ticket_id)
    if ticket is None:
        raise Http404
    errors: dict[str, str] = {}
    status = 200
    try:
        _apply(request, ticket, request.POST.get("action", ""))
    except NotFound:
        errors = {"family": _("No such ticket.")}
        status = 404
    except ServiceError as exc:
        field = "parent" if request.POST.get("action") in ("set_parent", "remove_parent") else "child"
        reason = exc.fields.get("parent_id") or exc.fields.get(field) or next(iter(exc.fields.values()), "")
        errors = {field: reason or exc.message}
        status = exc.status_code
    if not is_partial(request):
        return redirect("tickets:detail", ticket_id=ticket_id)
    fresh = ticket_page_get(request.user, ticket_id) or ticket
    response = render(
        request,
        "tickets/partials/ticket_family.html",
        family_context(request, fresh, errors=errors),
        status=status,
    )
    if not errors:
        response["HX-Trigger"] = "kefu-ticket-changed"
    return response
