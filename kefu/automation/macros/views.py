"""Macro pages: the list and editor in settings, and applying a macro from the ticket page or the list."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from kefu.automation.macros import services
from kefu.automation.macros.builder import builder_catalog
from kefu.automation.macros.bulk_reply import BulkReplyResult, ticket_bulk_reply
from kefu.automation.macros.forms import MacroForm
from kefu.automation.macros.inputs import MacroInput
from kefu.core.actors import Source
from kefu.core.errors import NotFound, ServiceError, ValidationFailed
from kefu.core.htmx import is_partial
from kefu.core.ids import parse_id
from kefu.org.decorators import agent_required
from kefu.org.selectors import agent_access, department_list, helpdesk_settings
from kefu.org.views.common import actor_of, form_page, posted


def _departments(request: HttpRequest) -> list[tuple[int, str]]:
    access = agent_access(request.user)
    return [
        (d.pk, d.display_name) for d in department_list(active_only=True) if access.can_see_department(d.pk)
    ]


def _form(request: HttpRequest, initial: dict[str, Any] | None = None) -> MacroForm:
    return MacroForm(posted(request), initial=initial, department_choices=_departments(request))


def _input(data: dict[str, Any]) -> MacroInput:
    return MacroInput(
        name=data["name"],
        description=data["description"],
        department_id=data["department"],
        shared=data["shared"],
        actions=data["actions"],
    )


def _checked(call: Any) -> None:
    """Service errors about ``actions[2].body`` and the like are shown on the actions builder."""
    try:
        call()
    except ValidationFailed as exc:
        fields: dict[str, str] = {}
        for key, message in exc.fields.items():
            name = key.split("[", 1)[0].split(".", 1)[0]
            name = {"department_id": "department"}.get(name, name)
            fields.setdefault(
                name, f"{key}: {message}" if name == "actions" and key != "actions" else message
            )
        raise ValidationFailed(exc.message, fields=fields) from exc


def _editor_context() -> dict[str, Any]:
    return {"catalog": builder_catalog()}


@agent_required()
def macros(request: HttpRequest) -> HttpResponse:
    """Every agent's page: the macros they may apply, and a form to add one (shared ones: administrators)."""
    form = _form(request, {"shared": agent_access(request.user).can("settings.manage")})

    def submit(data: dict[str, Any]) -> None:
        _checked(lambda: services.macro_create(actor=actor_of(request), source=Source.WEB, data=_input(data)))

    return form_page(
        request,
        form=form,
        submit=submit,
        success_message=_("The macro was saved."),
        success_url=reverse("settings-macros"),
        template="automation/macros/list.html",
        context=lambda: {
            "macros": services.macro_list(request.user),
            "me": request.user.pk,
            **_editor_context(),
        },
        nav="macros",
    )


@agent_required()
def macro_edit(request: HttpRequest, macro_id: int) -> HttpResponse:
    try:
        macro = services.macro_get(actor_of(request), macro_id)
    except ServiceError as exc:
        raise Http404 from exc
    initial = {
        "name": macro.name,
        "description": macro.description,
        "department": macro.department_id,
        "shared": macro.shared,
        "actions": json.dumps(macro.actions, ensure_ascii=False),
    }
    form = _form(request, initial)

    def submit(data: dict[str, Any]) -> None:
        _checked(
            lambda: services.macro_update(
                actor=actor_of(request), source=Source.WEB, macro_id=macro.pk, data=_input(data)
            )
        )

    return form_page(
        request,
        form=form,
        submit=submit,
        success_message=_("The macro was saved."),
        success_url=reverse("settings-macros"),
        template="automation/macros/edit.html",
        context=lambda: {
            "macro": macro,
            "title": _("Edit macro “%(name)s”") % {"name": macro.name},
            "back_url": reverse("settings-macros"),
            **_editor_context(),
        },
        nav="macros",
    )


@require_POST
@agent_required()
def macro_delete(request: HttpRequest, macro_id: int) -> HttpResponse:
    try:
        services.macro_delete(actor=actor_of(request), source=Source.WEB, macro_id=macro_id)
    except ServiceError as exc:
        if exc.status_code == 404:
            raise Http404 from exc
        messages.error(request, exc.message)
        return redirect("settings-macro-edit", macro_id=macro_id)
    messages.success(request, _("The macro was deleted."))
    return redirect("settings-macros")


def _back(request: HttpRequest, fallback: str) -> HttpResponse:
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        target = fallback
    return redirect(target)


@require_POST
@agent_required()
def ticket_apply_macro(request: HttpRequest, ticket_id: int) -> HttpResponse:
    """The ticket page's macro menu: apply one macro, then show the ticket as it is now."""
    macro_id = parse_id(request.POST.get("macro_id", ""))
    try:
        macro = services.macro_get(actor_of(request), macro_id or 0)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        try:
            services.macro_apply(
                actor=actor_of(request), source=Source.WEB, macro_id=macro.pk, ticket_id=ticket_id
            )
        except NotFound as exc:
            raise Http404 from exc
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Macro “%(name)s” was applied.") % {"name": macro.name})
    response = redirect("tickets:detail", ticket_id)
    if is_partial(request):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = reverse("tickets:detail", args=[ticket_id])
    return response


@require_POST
@agent_required()
def tickets_apply_macro(request: HttpRequest) -> HttpResponse:
    """The list's bulk bar: apply one macro to every checked ticket, report per ticket."""
    macro_id = parse_id(request.POST.get("macro_id", ""))
    ticket_ids = [
        ticket_id for ticket_id in map(parse_id, request.POST.getlist("ticket_ids")[:201]) if ticket_id
    ]
    error = None
    result = services.BulkResult()
    name = ""
    try:
        macro = services.macro_get(actor_of(request), macro_id or 0)
        name = macro.name
        result = services.macro_apply_bulk(
            actor=actor_of(request), source=Source.WEB, macro_id=macro.pk, ticket_ids=ticket_ids
        )
    except ServiceError as exc:
        error = exc.message
    summary = ngettext(
        "Macro “%(name)s” was applied to %(count)d ticket.",
        "Macro “%(name)s” was applied to %(count)d tickets.",
        len(result.applied),
    ) % {"name": name, "count": len(result.applied)}
    if is_partial(request):
        response = render(
            request,
            "automation/macros/partials/bulk_result.html",
            {"error": error, "summary": summary, "failed": sorted(result.failed.items())},
        )
        if result.applied:
            response["HX-Trigger"] = "kefu-list-refresh"
        return response
    if error:
        messages.error(request, error)
    else:
        messages.success(request, summary)
        for ticket_id, reason in sorted(result.failed.items()):
            messages.error(request, _("Ticket %(id)s: %(reason)s") % {"id": ticket_id, "reason": reason})
    return _back(request, reverse("tickets:list"))


@require_POST
@agent_required()
def tickets_bulk_reply(request: HttpRequest) -> HttpResponse:
    """The list's bulk bar: one reply (placeholders filled per ticket) to every checked ticket, reported
    per ticket as the bulk update reports."""
    ticket_ids = [
        ticket_id for ticket_id in map(parse_id, request.POST.getlist("ticket_ids")[:201]) if ticket_id
    ]
    error = None
    result = BulkReplyResult()
    try:
        result = ticket_bulk_reply(
            actor=actor_of(request),
            source=Source.WEB,
            ticket_ids=ticket_ids,
            body=request.POST.get("body", ""),
        )
    except ServiceError as exc:
        error = "; ".join(dict.fromkeys(exc.fields.values())) or exc.message
    summary = ngettext(
        "%(count)d ticket replied to.", "%(count)d tickets replied to.", len(result.replied)
    ) % {"count": len(result.replied)}
    if is_partial(request):
        response = render(
            request,
            "tickets/partials/list_bulk_result.html",
            {
                "error": error,
                "summary": summary,
                "result": result,
                "action_label": _("Reply"),
                "prefix": helpdesk_settings().ticket_number_prefix,
            },
        )
        if result.replied:
            response["HX-Trigger"] = "kefu-list-refresh"
        return response
    if error:
        messages.error(request, error)
    else:
        messages.success(request, summary)
        for failure in result.failures:
            messages.error(request, f"{failure.number or failure.ticket_id}: {failure.message}")
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        target = reverse("tickets:list")
    return redirect(target)
