"""Settings pages for what tickets are made of: statuses, priorities, custom fields, general settings."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kefu.core.actors import Source
from kefu.customfields import services as customfield_services
from kefu.org import permissions, services
from kefu.org.decorators import agent_required
from kefu.org.forms import CustomFieldForm, HelpdeskSettingsForm, PriorityForm, StatusForm
from kefu.org.selectors import (
    custom_field_catalog,
    custom_field_get,
    custom_field_module_choices,
    custom_field_type_choices,
    department_list,
    helpdesk_settings,
    priority_catalog,
    status_catalog,
    status_type_choices,
)
from kefu.org.views.common import actor_of, form_page, posted
from kefu.tickets import services as ticket_services

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
    extra: str
    id_arg: str
    form: Callable[..., Any]
    catalog: Callable[[], Any]
    create: Callable[..., Any]
    update: Callable[..., Any]
    added: Promise
    saved: Promise
    title: Promise


def _catalogue_list(request: HttpRequest, page: _CataloguePage) -> HttpResponse:
    def submit(data: dict[str, Any]) -> None:
        page.create(
            actor=actor_of(request),
            source=Source.WEB,
            **{page.extra: data[page.extra]},
            **_catalogue_values(data),
        )

    return form_page(
        request,
        form=page.form(request),
        submit=submit,
        success_message=str(page.added),
        success_url=reverse(f"settings-{page.nav}"),
        template=f"org/settings/{page.nav}.html",
        partial=f"org/settings/partials/{page.nav}.html",
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
            **{page.id_arg: row.pk, page.extra: data[page.extra]},
            **_catalogue_values(data),
        )

    return form_page(
        request,
        form=page.form(request, _catalogue_initial(row, page.extra)),
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
    create=ticket_services.status_create,
    update=ticket_services.status_update,
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
    create=ticket_services.priority_create,
    update=ticket_services.priority_update,
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


# Custom fields


_CUSTOM_FIELD_FIELDS = {"department_ids": "departments"}


def _module_of(request: HttpRequest) -> str:
    module = request.GET.get("module", "ticket")
    return module if module in dict(custom_field_module_choices()) else "ticket"


def _custom_field_form(
    request: HttpRequest,
    module: str,
    initial: dict[str, Any] | None = None,
    *,
    editing: bool = False,
    blank: bool = False,
) -> CustomFieldForm:
    return CustomFieldForm(
        None if blank else posted(request),
        initial=initial,
        type_choices=custom_field_type_choices(),
        department_choices=[(d.pk, d.display_name) for d in department_list()],
        with_departments=module == "ticket",
        editing=editing,
    )


def _custom_field_values(form: CustomFieldForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "name": data["name"],
        "name_en": data["name_en"],
        "choices": form.choice_list(),
        "is_required": data["is_required"],
        "department_ids": data.get("departments", []),
        "order": data["order"],
        "is_active": data["is_active"],
    }


@agent_required(MANAGE)
def custom_fields(request: HttpRequest) -> HttpResponse:
    """The fields of one module (``?module=ticket|contact|account``); ticket fields per department."""
    module = _module_of(request)
    department_id = request.GET.get("department", "")
    department_filter = int(department_id) if department_id.isdigit() else None
    form = _custom_field_form(request, module)

    def submit(data: dict[str, Any]) -> None:
        customfield_services.custom_field_create(
            actor=actor_of(request),
            source=Source.WEB,
            module=module,
            key=data["key"],
            field_type=data["field_type"],
            **_custom_field_values(form),
        )

    return form_page(
        request,
        form=form,
        submit=submit,
        success_message=_("The custom field was added."),
        success_url=f"{reverse('settings-custom-fields')}?module={module}",
        template="org/settings/custom_fields.html",
        partial="org/settings/partials/custom_fields.html",
        blank_form=lambda: _custom_field_form(request, module, blank=True),
        context=lambda: {
            "fields": custom_field_catalog(module=module, department_id=department_filter),
            "module": module,
            "modules": custom_field_module_choices(),
            "departments": department_list(),
            "department_filter": department_filter,
        },
        nav="custom-fields",
        field_map=_CUSTOM_FIELD_FIELDS,
    )


@agent_required(MANAGE)
def custom_field_edit(request: HttpRequest, field_id: int) -> HttpResponse:
    field = custom_field_get(field_id)
    if field is None:
        raise Http404
    initial = {
        "name": field.name,
        "name_en": field.name_en,
        "choices": "\n".join(field.choices),
        "is_required": field.is_required,
        "departments": [d.pk for d in field.departments.all()],
        "order": field.order,
        "is_active": field.is_active,
    }
    form = _custom_field_form(request, field.module, initial, editing=True)

    def submit(data: dict[str, Any]) -> None:
        customfield_services.custom_field_update(
            actor=actor_of(request), source=Source.WEB, field_id=field.pk, **_custom_field_values(form)
        )

    back_url = f"{reverse('settings-custom-fields')}?module={field.module}"
    return form_page(
        request,
        form=form,
        submit=submit,
        success_message=_("The custom field was saved."),
        success_url=back_url,
        template="org/settings/edit.html",
        context=lambda: {
            "title": _("Edit custom field “%(name)s” (%(key)s, %(type)s)")
            % {"name": field.display_name, "key": field.key, "type": field.get_field_type_display()},
            "back_url": back_url,
        },
        nav="custom-fields",
        field_map=_CUSTOM_FIELD_FIELDS,
    )


# General


@agent_required(MANAGE)
def general(request: HttpRequest) -> HttpResponse:
    row = helpdesk_settings()
    initial = {
        "ticket_number_prefix": row.ticket_number_prefix,
        "time_zone": row.time_zone,
        "default_language": row.default_language,
    }

    def submit(data: dict[str, Any]) -> None:
        services.helpdesk_settings_update(
            actor=actor_of(request),
            source=Source.WEB,
            ticket_number_prefix=data["ticket_number_prefix"],
            time_zone=data["time_zone"],
            default_language=data["default_language"],
        )

    return form_page(
        request,
        form=HelpdeskSettingsForm(posted(request), initial=initial),
        submit=submit,
        success_message=_("The settings were saved."),
        success_url=reverse("settings-general"),
        template="org/settings/edit.html",
        context=lambda: {"title": _("General settings")},
        nav="general",
    )
