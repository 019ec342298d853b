"""Canned reply pages: the searchable list and editor in settings, and the reply editor's picker
(type ``#`` or open the menu: search, then insert the text filled in for the ticket)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kefu.automation.canned import selectors, services
from kefu.automation.canned.forms import CannedReplyForm
from kefu.core.actors import Source
from kefu.core.errors import ServiceError
from kefu.org.decorators import agent_required
from kefu.org.selectors import agent_access, department_list
from kefu.org.views.common import actor_of, form_page, posted
from kefu.tickets.selectors import ticket_get


def _form(request: HttpRequest, initial: dict[str, Any] | None = None) -> CannedReplyForm:
    access = agent_access(request.user)
    departments = [
        (d.pk, d.display_name) for d in department_list(active_only=True) if access.can_see_department(d.pk)
    ]
    return CannedReplyForm(posted(request), initial=initial, department_choices=departments)


def _values(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "title": data["title"],
        "body": data["body"],
        "language": data["language"],
        "shortcut": data["shortcut"],
        "department_id": data["department"],
        "shared": data["shared"],
    }


@agent_required()
def canned_replies(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[:200]
    initial = {"shared": agent_access(request.user).can("settings.manage"), "language": request.LANGUAGE_CODE}

    def submit(data: dict[str, Any]) -> None:
        services.canned_reply_create(actor=actor_of(request), source=Source.WEB, **_values(data))

    return form_page(
        request,
        form=_form(request, initial),
        submit=submit,
        success_message=_("The canned reply was saved."),
        success_url=reverse("settings-canned-replies"),
        template="automation/canned/list.html",
        context=lambda: {
            "replies": selectors.canned_reply_search(request.user, q=query, limit=200),
            "query": query,
            "me": request.user.pk,
        },
        nav="canned-replies",
        field_map={"department_id": "department"},
    )


@agent_required()
def canned_reply_edit(request: HttpRequest, reply_id: int) -> HttpResponse:
    try:
        reply = services.canned_reply_get(actor_of(request), reply_id)
    except ServiceError as exc:
        raise Http404 from exc
    initial = {
        "title": reply.title,
        "shortcut": reply.shortcut,
        "language": reply.language,
        "department": reply.department_id,
        "shared": reply.owner_id is None,
        "body": reply.body,
    }

    def submit(data: dict[str, Any]) -> None:
        services.canned_reply_update(
            actor=actor_of(request), source=Source.WEB, reply_id=reply.pk, **_values(data)
        )

    return form_page(
        request,
        form=_form(request, initial),
        submit=submit,
        success_message=_("The canned reply was saved."),
        success_url=reverse("settings-canned-replies"),
        template="automation/canned/edit.html",
        context=lambda: {
            "reply": reply,
            "title": _("Edit canned reply “%(title)s”") % {"title": reply.title},
            "back_url": reverse("settings-canned-replies"),
        },
        nav="canned-replies",
        field_map={"department_id": "department"},
    )


@require_POST
@agent_required()
def canned_reply_delete(request: HttpRequest, reply_id: int) -> HttpResponse:
    try:
        services.canned_reply_delete(actor=actor_of(request), source=Source.WEB, reply_id=reply_id)
    except ServiceError as exc:
        if exc.status_code == 404:
            raise Http404 from exc
        messages.error(request, exc.message)
        return redirect("settings-canned-reply-edit", reply_id=reply_id)
    messages.success(request, _("The canned reply was deleted."))
    return redirect("settings-canned-replies")


def _ticket(request: HttpRequest, ticket_id: int) -> Any:
    ticket = ticket_get(request.user, ticket_id)
    if ticket is None:
        raise Http404
    return ticket


@require_GET
@agent_required()
def picker_search(request: HttpRequest, ticket_id: int) -> JsonResponse:
    """The picker's suggestions: the agent's replies for the ticket's department, best used first."""
    ticket = _ticket(request, ticket_id)
    found = selectors.canned_reply_search(
        request.user, q=request.GET.get("q", "")[:200], department_id=ticket.department_id, limit=10
    )
    return JsonResponse(
        {
            "items": [
                {
                    "id": reply.pk,
                    "title": reply.title,
                    "shortcut": reply.shortcut,
                    "language": reply.language,
                    "preview": reply.body[:80],
                }
                for reply in found
            ]
        }
    )


@require_POST
@agent_required()
def picker_insert(request: HttpRequest, ticket_id: int, reply_id: int) -> JsonResponse:
    """Count the use and answer the text, its placeholders filled for this ticket."""
    ticket = _ticket(request, ticket_id)
    try:
        body = services.canned_reply_use(actor=actor_of(request), reply_id=reply_id, ticket=ticket)
    except ServiceError as exc:
        raise Http404 from exc
    return JsonResponse({"body": body})
