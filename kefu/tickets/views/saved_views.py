"""Creating, editing and deleting saved ticket views."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kefu.core.actors import Actor, Source
from kefu.core.errors import NotFound, ServiceError, ValidationFailed
from kefu.org import permissions
from kefu.org.decorators import agent_required
from kefu.org.selectors import agent_access
from kefu.tickets import services
from kefu.tickets.listing import (
    CUSTOM_PREFIX,
    DEFAULT_COLUMNS,
    FILTER_KEYS,
    FILTER_LABELS,
    SORT_LABELS,
    SYSTEM_VIEWS,
    clean_filters,
    clean_sort,
    column_catalogue,
    custom_filter_fields,
    filter_choices,
    saved_view_get,
)
from kefu.tickets.models import SavedView
from kefu.tickets.selectors import priority_list, status_list


def _changeable(request: HttpRequest, view_id: int) -> SavedView:
    """A view the agent may change: their own, or a shared one if they may share views."""
    view = saved_view_get(request.user, view_id)
    if view is None:
        raise Http404
    if view.owner_id != request.user.pk and not agent_access(request.user).can(permissions.SETTINGS_MANAGE):
        raise PermissionDenied
    return view


def _submitted(request: HttpRequest) -> dict[str, Any]:
    return {
        "name": request.POST.get("name", ""),
        "filters": {
            key: request.POST[key]
            for key in request.POST
            if (key in FILTER_KEYS or key.startswith(CUSTOM_PREFIX)) and request.POST.get(key, "").strip()
        },
        "columns": request.POST.getlist("columns"),
        "sort": request.POST.get("sort", ""),
        "is_shared": request.POST.get("is_shared") == "on",
    }


def _render(
    request: HttpRequest, values: dict[str, Any], errors: dict[str, str], view: SavedView | None
) -> HttpResponse:
    field_errors = {key.removeprefix("filters."): message for key, message in errors.items()}
    context = {
        "view": view,
        "values": values,
        "filters": values["filters"],
        "sort": values["sort"],
        "errors": field_errors,
        "error_list": [
            (FILTER_LABELS.get(key, ""), message)
            for key, message in field_errors.items()
            if key not in ("name", "columns", "is_shared")
        ],
        "column_choices": column_catalogue().values(),
        "system_views": SYSTEM_VIEWS.items(),
        "sort_choices": SORT_LABELS.items(),
        "statuses": list(status_list()),
        "priorities": list(priority_list()),
        "can_share": agent_access(request.user).can(permissions.SETTINGS_MANAGE),
        "custom_filters": custom_filter_fields(request.user, values["filters"]),
        **filter_choices(request.user),
    }
    return render(request, "tickets/saved_view_form.html", context, status=422 if errors else 200)


def _save(request: HttpRequest, view: SavedView | None) -> HttpResponse:
    values = _submitted(request)
    actor = Actor.agent(request.user)
    try:
        if view is None:
            view = services.saved_view_create(actor=actor, source=Source.WEB, **values)
        else:
            view = services.saved_view_update(actor=actor, source=Source.WEB, view=view, **values)
    except ValidationFailed as exc:
        return _render(request, values, exc.fields or {"name": exc.message}, view)
    except NotFound as exc:
        raise Http404 from exc
    messages.success(request, _("The view “%(name)s” was saved.") % {"name": view.name})
    return redirect(f"{reverse('tickets:list')}?saved={view.pk}")


@agent_required()
def saved_view_create(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        return _save(request, None)
    params = request.GET.copy()
    if "base" not in params and params.get("view"):
        params["base"] = params["view"]  # saved from a system view: keep its condition
    filters, _errors = clean_filters(params)
    sort, _sort_error = clean_sort(request.GET.get("sort"))
    values = {
        "name": "",
        "filters": filters,
        "columns": list(DEFAULT_COLUMNS),
        "sort": sort,
        "is_shared": False,
    }
    return _render(request, values, {}, None)


@agent_required()
def saved_view_edit(request: HttpRequest, view_id: int) -> HttpResponse:
    view = _changeable(request, view_id)
    if request.method == "POST":
        return _save(request, view)
    values = {
        "name": view.name,
        "filters": dict(view.filters),
        "columns": list(view.columns or DEFAULT_COLUMNS),
        "sort": view.sort,
        "is_shared": view.is_shared,
    }
    return _render(request, values, {}, view)


@agent_required()
@require_POST
def saved_view_delete(request: HttpRequest, view_id: int) -> HttpResponse:
    view = _changeable(request, view_id)
    name = view.name
    try:
        services.saved_view_delete(actor=Actor.agent(request.user), source=Source.WEB, view=view)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect(f"{reverse('tickets:list')}?saved={view_id}")
    messages.success(request, _("The view “%(name)s” was deleted.") % {"name": name})
    return redirect("tickets:list")
