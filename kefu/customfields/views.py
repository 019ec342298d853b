"""The custom-field settings page: the fields of tickets, contacts and accounts (inactive ones included).
It lives here, next to the data it edits; the settings layout is the organisation app's."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from kefu.core.actors import Source
from kefu.customfields import services
from kefu.customfields.forms import CustomFieldForm
from kefu.customfields.selectors import (
    custom_field_catalog,
    custom_field_get,
    custom_field_module_choices,
    custom_field_type_choices,
)
from kefu.org import permissions
from kefu.org.decorators import agent_required
from kefu.org.selectors import department_list
from kefu.org.views.common import actor_of, form_page, posted

MANAGE = permissions.SETTINGS_MANAGE


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
        services.custom_field_create(
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
        template="customfields/settings/custom_fields.html",
        partial="customfields/settings/partials/custom_fields.html",
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
        services.custom_field_update(
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
