"""Record pages: the modules index, a module's list with filters and saved views, a record, the form."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kefu.contacts.views.common import page_of
from kefu.core.actors import Actor, Source
from kefu.core.errors import ServiceError
from kefu.core.htmx import is_partial
from kefu.customfields.layout_display import form_layout
from kefu.modules import services
from kefu.modules.forms import RecordForm, SavedViewForm
from kefu.modules.models import Record
from kefu.modules.selectors import (
    Level,
    ModuleDefinition,
    display_value,
    lookup_choices,
    lookup_labels,
    module_level,
    readable_modules,
    record_list,
    saved_view_get,
    saved_views,
    ticket_link_ids,
)
from kefu.modules.services.layout_check import layout_name
from kefu.modules.views.common import definition_for, record_for
from kefu.org.decorators import agent_required
from kefu.tickets.selectors import visible_tickets

LIST_COLUMNS = 5
FILTER_TYPES = ("picklist", "checkbox", "lookup", "text", "number", "date", "multi_select")


@agent_required()
def module_index(request: HttpRequest) -> HttpResponse:
    return render(request, "modules/index.html", {"modules": readable_modules(request.user)})


def _filter_fields(definition: ModuleDefinition) -> list[Any]:
    return [
        field
        for field in definition.fields
        if field.field_type in FILTER_TYPES and not field.is_ticket_lookup
    ]


def _current_filters(request: HttpRequest, definition: ModuleDefinition) -> dict[str, str]:
    """``?f_make=丰田`` filters by a field; a saved view (``?view=3``) supplies its filters."""
    view_id = request.GET.get("view", "")
    if view_id.isdigit():
        view = saved_view_get(definition.id, request.user, int(view_id))
        if view is not None:
            return dict(view.filters)
    filters = {"q": request.GET.get("q", "").strip()[:200]}
    for field in _filter_fields(definition):
        value = request.GET.get(f"f_{field.key}", "").strip()[:200]
        if value:
            filters[field.key] = value
    return {key: value for key, value in filters.items() if value}


def _rows(definition: ModuleDefinition, records: list[Record]) -> list[dict[str, Any]]:
    columns = list(definition.value_fields)[:LIST_COLUMNS]
    labels = lookup_labels(definition, records)
    return [
        {
            "record": record,
            "cells": [display_value(field, record.values.get(field.key), labels) for field in columns],
        }
        for record in records
    ]


@agent_required()
def record_list_view(request: HttpRequest, key: str) -> HttpResponse:
    definition = definition_for(request, key)
    filters = _current_filters(request, definition)
    field_filters = {name: value for name, value in filters.items() if name != "q"}
    queryset = record_list(
        definition.id, q=filters.get("q", ""), filters=field_filters, definition=definition
    )
    page, cursor_error = page_of(queryset, sort="-created_at", cursor=request.GET.get("cursor"))
    level = module_level(request.user, definition.id)
    query = urlencode({"q": filters.get("q", ""), **{f"f_{k}": v for k, v in field_filters.items()}})
    context = {
        "definition": definition,
        "columns": list(definition.value_fields)[:LIST_COLUMNS],
        "rows": _rows(definition, page.items),
        "page": page,
        "cursor_error": cursor_error,
        "filters": filters,
        "filter_fields": _filter_fields(definition),
        "lookup_choices": lookup_choices(definition),
        "views": saved_views(definition.id, request.user),
        "current_view": request.GET.get("view", ""),
        "query": query,
        "view_form": SavedViewForm(),
        "can_write": level >= Level.WRITE,
        "can_manage": level >= Level.MANAGE,
    }
    if is_partial(request):
        return render(request, "modules/partials/record_table.html", context)
    return render(request, "modules/record_list.html", context)


@agent_required()
def record_detail(request: HttpRequest, key: str, record_id: int) -> HttpResponse:
    definition = definition_for(request, key)
    record = record_for(definition, record_id)
    labels = lookup_labels(definition, [record])
    ticket_sections = []
    for field in definition.ticket_fields:
        ids = ticket_link_ids(record, field)
        tickets = (
            visible_tickets(request.user)
            .filter(pk__in=ids)
            .select_related("status", "priority", "department")
            .order_by("-created_at")
        )
        ticket_sections.append({"field": field, "tickets": list(tickets[:200])})
    level = module_level(request.user, definition.id)
    context = {
        "definition": definition,
        "record": record,
        "values": [
            (field, display_value(field, record.values.get(field.key), labels))
            for field in definition.value_fields
        ],
        "ticket_sections": ticket_sections,
        "can_write": level >= Level.WRITE,
        "can_manage": level >= Level.MANAGE,
    }
    return render(request, "modules/record_detail.html", context)


def _form_page(request: HttpRequest, definition: ModuleDefinition, record: Record | None) -> HttpResponse:
    form = RecordForm(
        request.POST or None,
        definition=definition,
        values=record.values if record else {},
        lookup_choices=lookup_choices(definition),
    )
    if request.method == "POST" and form.is_valid():
        actor = Actor.agent(request.user)
        try:
            if record is None:
                saved = services.record_create(
                    actor=actor, source=Source.WEB, module_key=definition.key, values=form.values()
                )
            else:
                saved = services.record_update(
                    actor=actor, source=Source.WEB, record=record, values=form.values()
                )
        except ServiceError as exc:
            form.add_service_errors(exc.message, exc.fields)
        else:
            messages.success(request, _("The record was saved."))
            return redirect("modules:detail", definition.key, saved.pk)
    layout = form_layout(layout_name(definition), form, form.layout_names())
    return render(
        request,
        "modules/record_form.html",
        {"form": form, "definition": definition, "record": record, "layout": layout},
    )


@agent_required()
def record_create(request: HttpRequest, key: str) -> HttpResponse:
    return _form_page(request, definition_for(request, key, Level.WRITE), None)


@agent_required()
def record_edit(request: HttpRequest, key: str, record_id: int) -> HttpResponse:
    definition = definition_for(request, key, Level.WRITE)
    return _form_page(request, definition, record_for(definition, record_id))


@require_POST
@agent_required()
def record_delete(request: HttpRequest, key: str, record_id: int) -> HttpResponse:
    definition = definition_for(request, key, Level.MANAGE)
    services.record_delete(
        actor=Actor.agent(request.user), source=Source.WEB, record=record_for(definition, record_id)
    )
    messages.success(request, _("The record was deleted."))
    return redirect("modules:list", definition.key)


@require_POST
@agent_required()
def saved_view_save(request: HttpRequest, key: str) -> HttpResponse:
    definition = definition_for(request, key)
    form = SavedViewForm(request.POST)
    list_url = reverse("modules:list", args=[definition.key])
    if not form.is_valid():
        messages.error(request, _("Enter a name for the view."))
        return redirect(list_url)
    filters = {"q": request.POST.get("q", "")}
    for field in _filter_fields(definition):
        filters[field.key] = request.POST.get(f"f_{field.key}", "")
    try:
        view = services.record_view_save(
            actor=Actor.agent(request.user),
            module_key=definition.key,
            name=form.cleaned_data["name"],
            filters=filters,
            is_shared=form.cleaned_data["is_shared"],
        )
    except ServiceError as exc:
        messages.error(request, " ".join([exc.message, *exc.fields.values()]))
        return redirect(list_url)
    messages.success(request, _("The view was saved."))
    return redirect(f"{list_url}?view={view.pk}")


@require_POST
@agent_required()
def saved_view_delete(request: HttpRequest, key: str, view_id: int) -> HttpResponse:
    definition = definition_for(request, key)
    try:
        services.record_view_delete(
            actor=Actor.agent(request.user), module_key=definition.key, view_id=view_id
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The view was deleted."))
    return redirect("modules:list", definition.key)
