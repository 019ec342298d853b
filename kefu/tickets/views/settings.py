"""Settings pages for what tickets are made of: statuses, priorities and ticket types (the whole
catalogues, inactive rows included). They live here, next to the data they edit; the settings layout is
the organisation app's."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from kefu.core.actors import Source
from kefu.org import permissions
from kefu.org.decorators import agent_required
from kefu.org.views.common import actor_of, form_page, posted
from kefu.tickets import services
from kefu.tickets.forms import CatalogueForm, PriorityForm, StatusForm
from kefu.tickets.selectors import (
    priority_catalog,
    status_catalog,
    status_type_choices,
    ticket_type_catalog,
)

MANAGE = permissions.SETTINGS_MANAGE


def _catalogue_values(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": data["name"],
        "name_en": data["name_en"],
        "order": data["order"],
        "is_default": data["is_default"],
        "is_active": data["is_active"],
    }


def _catalogue_initial(row: Any, *extra: str) -> dict[str, Any]:
    fields = ("name", "name_en", "order", "is_default", "is_active", *extra)
    return {field: getattr(row, field) for field in fields}


@dataclass(frozen=True)
class _CataloguePage:
    """What differs between the status and priority pages; `nav` also names the URL, templates and context."""

    nav: str
    extra: str | None
    id_arg: str
    form: Callable[..., Any]
    catalog: Callable[[], Any]
    create: Callable[..., Any]
    update: Callable[..., Any]
    added: Promise
    saved: Promise
    title: Promise


def _extra(page: _CataloguePage, data: dict[str, Any]) -> dict[str, Any]:
    """The page's own field (a status's type, a priority's colour), if it has one."""
    return {page.extra: data[page.extra]} if page.extra else {}


def _catalogue_list(request: HttpRequest, page: _CataloguePage) -> HttpResponse:
    def submit(data: dict[str, Any]) -> None:
        page.create(
            actor=actor_of(request),
            source=Source.WEB,
            **_extra(page, data),
            **_catalogue_values(data),
        )

    return form_page(
        request,
        form=page.form(request),
        submit=submit,
        success_message=str(page.added),
        success_url=reverse(f"settings-{page.nav}"),
        template=f"tickets/settings/{page.nav}.html",
        partial=f"tickets/settings/partials/{page.nav}.html",
        blank_form=lambda: page.form(request, blank=True),
        context=lambda: {page.nav: page.catalog()},
        nav=page.nav,
    )


def _catalogue_edit(request: HttpRequest, page: _CataloguePage, pk: int) -> HttpResponse:
    row = page.catalog().filter(pk=pk).first()
    if row is None:
        raise Http404

    def submit(data: dict[str, Any]) -> None:
        page.update(
            actor=actor_of(request),
            source=Source.WEB,
            **{page.id_arg: row.pk},
            **_extra(page, data),
            **_catalogue_values(data),
        )

    return form_page(
        request,
        form=page.form(request, _catalogue_initial(row, *([page.extra] if page.extra else []))),
        submit=submit,
        success_message=str(page.saved),
        success_url=reverse(f"settings-{page.nav}"),
        template="org/settings/edit.html",
        context=lambda: {
            "title": str(page.title) % {"name": row.display_name},
            "back_url": reverse(f"settings-{page.nav}"),
        },
        nav=page.nav,
    )


# Statuses


def _status_form(
    request: HttpRequest, initial: dict[str, Any] | None = None, blank: bool = False
) -> StatusForm:
    return StatusForm(None if blank else posted(request), initial=initial, type_choices=status_type_choices())


_STATUSES = _CataloguePage(
    nav="statuses",
    extra="status_type",
    id_arg="status_id",
    form=_status_form,
    catalog=status_catalog,
    create=services.status_create,
    update=services.status_update,
    added=gettext_lazy("The status was added."),
    saved=gettext_lazy("The status was saved."),
    title=gettext_lazy("Edit status “%(name)s”"),
)


@agent_required(MANAGE)
def statuses(request: HttpRequest) -> HttpResponse:
    return _catalogue_list(request, _STATUSES)


@agent_required(MANAGE)
def status_edit(request: HttpRequest, status_id: int) -> HttpResponse:
    return _catalogue_edit(request, _STATUSES, status_id)


# Priorities


def _priority_form(
    request: HttpRequest, initial: dict[str, Any] | None = None, blank: bool = False
) -> PriorityForm:
    return PriorityForm(None if blank else posted(request), initial=initial)


_PRIORITIES = _CataloguePage(
    nav="priorities",
    extra="colour",
    id_arg="priority_id",
    form=_priority_form,
    catalog=priority_catalog,
    create=services.priority_create,
    update=services.priority_update,
    added=gettext_lazy("The priority was added."),
    saved=gettext_lazy("The priority was saved."),
    title=gettext_lazy("Edit priority “%(name)s”"),
)


@agent_required(MANAGE)
def priorities(request: HttpRequest) -> HttpResponse:
    return _catalogue_list(request, _PRIORITIES)


@agent_required(MANAGE)
def priority_edit(request: HttpRequest, priority_id: int) -> HttpResponse:
    return _catalogue_edit(request, _PRIORITIES, priority_id)


# Ticket types


def _type_form(
    request: HttpRequest, initial: dict[str, Any] | None = None, blank: bool = False
) -> CatalogueForm:
    return CatalogueForm(None if blank else posted(request), initial=initial)


_TYPES = _CataloguePage(
    nav="types",
    extra=None,
    id_arg="type_id",
    form=_type_form,
    catalog=ticket_type_catalog,
    create=services.ticket_type_create,
    update=services.ticket_type_update,
    added=gettext_lazy("The ticket type was added."),
    saved=gettext_lazy("The ticket type was saved."),
    title=gettext_lazy("Edit ticket type “%(name)s”"),
)


@agent_required(MANAGE)
def ticket_types(request: HttpRequest) -> HttpResponse:
    return _catalogue_list(request, _TYPES)


@agent_required(MANAGE)
def ticket_type_edit(request: HttpRequest, type_id: int) -> HttpResponse:
    return _catalogue_edit(request, _TYPES, type_id)
