"""Creating, editing and deleting saved ticket views.

A view's conditions are edited with the automation app's rule builder (its conditions part, fed the
criteria engine's catalog through ``kefu.tickets.criteria``). A new view starts from the list it was
saved from (the saved view and the filter bar, as criteria) or from a rule's conditions
(``?criteria=…``, the rule editor's "Create a view from these conditions").
"""

from __future__ import annotations

import contextlib
import json
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
from kefu.core.ids import parse_id
from kefu.org import permissions
from kefu.org.decorators import agent_required
from kefu.org.selectors import agent_access
from kefu.tickets import services
from kefu.tickets.criteria import ME, all_of, builder_catalog, uses_viewer
from kefu.tickets.listing import (
    DEFAULT_COLUMNS,
    DUE_CHOICES,
    FILTER_LABELS,
    SORT_LABELS,
    SYSTEM_VIEWS,
    clean_filters,
    clean_sort,
    column_catalogue,
    filters_criteria,
    saved_view_get,
)
from kefu.tickets.models import SavedView


def _changeable(request: HttpRequest, view_id: int) -> SavedView:
    """A view the agent may change: their own, or a shared one if they may share views."""
    view = saved_view_get(request.user, view_id)
    if view is None:
        raise Http404
    if view.owner_id != request.user.pk and not agent_access(request.user).can(permissions.SETTINGS_MANAGE):
        raise PermissionDenied
    return view


def _criteria_json(value: Any) -> str:
    return json.dumps(value or {"all": []}, ensure_ascii=False)


def _submitted(request: HttpRequest) -> tuple[dict[str, Any], dict[str, str]]:
    """The form's values for the service, and an error when the conditions are not JSON at all."""
    errors: dict[str, str] = {}
    raw = request.POST.get("criteria", "").strip()
    try:
        criteria = json.loads(raw) if raw else {"all": []}
    except ValueError:
        criteria, errors["criteria"] = {"all": []}, _("The conditions could not be read; build them again.")
    return {
        "name": request.POST.get("name", ""),
        "criteria": criteria,
        "base": request.POST.get("base", "").strip(),
        "due": request.POST.get("due", "").strip(),
        "columns": request.POST.getlist("columns"),
        "sort": request.POST.get("sort", ""),
        "is_shared": request.POST.get("is_shared") == "on",
    }, errors


def _catalog() -> dict[str, Any]:
    """The rule builder's catalog for a view: no ``changed*`` operators, and "me" among the assignees."""
    catalog = builder_catalog()
    me = {"value": ME, "label": _("Me (the agent looking at the list)")}
    for entry in catalog["fields"]:
        if entry["key"] == "assignee_id":
            entry["choices"] = [me, *(entry["choices"] or [])]
    return catalog


def _render(
    request: HttpRequest, values: dict[str, Any], errors: dict[str, str], view: SavedView | None
) -> HttpResponse:
    criteria_errors = {key: message for key, message in errors.items() if key.startswith("criteria")}
    labels = {**FILTER_LABELS, "sort": _("Sort")}
    error_list = [
        (_("Conditions") if key.startswith("criteria") else labels.get(key, ""), message)
        for key, message in errors.items()
        if key not in ("name", "columns", "is_shared")
    ]
    context = {
        "view": view,
        "values": values,
        "criteria_json": _criteria_json(values["criteria"]),
        "filters": {"base": values["base"], "due": values["due"]},
        "sort": values["sort"],
        "errors": errors,
        "error_list": error_list,
        "builder": _catalog(),
        "builder_errors": criteria_errors,
        "column_choices": column_catalogue().values(),
        "system_views": SYSTEM_VIEWS.items(),
        "due_choices": DUE_CHOICES.items(),
        "sort_choices": SORT_LABELS.items(),
        "can_share": agent_access(request.user).can(permissions.SETTINGS_MANAGE),
        # An administrator may start a workflow or time rule from a saved view's conditions ("me" aside:
        # a rule has no viewer).
        "rule_criteria": _criteria_json(view.criteria)
        if view is not None
        and not uses_viewer(view.criteria)
        and agent_access(request.user).can(permissions.SETTINGS_MANAGE)
        else None,
    }
    return render(request, "tickets/saved_view_form.html", context, status=422 if errors else 200)


def _save(request: HttpRequest, view: SavedView | None) -> HttpResponse:
    values, errors = _submitted(request)
    if errors:
        return _render(request, values, errors, view)
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


def _starting_criteria(request: HttpRequest, filters: dict[str, str]) -> dict[str, Any]:
    """What a new view starts from: a rule's conditions (``criteria``), the saved view the agent was on
    (``saved``), and the list's filter bar."""
    parts: list[dict[str, Any]] = []
    raw = request.GET.get("criteria", "")
    if raw:
        try:
            given = json.loads(raw)
        except ValueError:
            given = None
        if isinstance(given, dict):
            parts.append(given)
    saved_id = parse_id(request.GET.get("saved", ""))
    saved = saved_view_get(request.user, saved_id) if saved_id else None
    if saved is not None:
        parts.append(saved.criteria)
    with contextlib.suppress(ValidationFailed):  # a bad filter on the list: the form starts without it
        parts.append(filters_criteria(filters))
    parts = [part for part in parts if part.get("any") or part.get("all")]
    if len(parts) == 1 and "any" in parts[0]:
        return parts[0]
    return all_of(*parts)


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
        "criteria": _starting_criteria(request, filters),
        "base": filters.get("base", ""),
        "due": filters.get("due", ""),
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
        "criteria": view.criteria,
        "base": view.base,
        "due": view.due,
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
