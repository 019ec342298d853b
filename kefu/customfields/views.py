"""The custom-field settings page: the fields of tickets, contacts and accounts (inactive ones included).
It lives here, next to the data it edits; the settings layout is the organisation app's."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kefu.core.actors import Source
from kefu.core.errors import NotFound, ValidationFailed
from kefu.customfields import services
from kefu.customfields.forms import CustomFieldForm, OptionForm
from kefu.customfields.selectors import (
    custom_field_catalog,
    custom_field_get,
    custom_field_module_choices,
    custom_field_type_choices,
    option_get,
    option_list,
    parent_field_choices,
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
    field_id: int | None = None,
) -> CustomFieldForm:
    return CustomFieldForm(
        None if blank else posted(request),
        initial=initial,
        type_choices=custom_field_type_choices(),
        department_choices=[(d.pk, d.display_name) for d in department_list()],
        parent_choices=parent_field_choices(module, exclude_id=field_id),
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
        "parent_id": data.get("parent"),
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
        "is_required": field.is_required,
        "departments": [d.pk for d in field.departments.all()],
        "parent": field.parent_id,
        "order": field.order,
        "is_active": field.is_active,
    }
    form = _custom_field_form(request, field.module, initial, editing=True, field_id=field.pk)

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
        template="customfields/settings/field_edit.html",
        context=lambda: {
            "title": _("Edit custom field “%(name)s” (%(key)s, %(type)s)")
            % {"name": field.display_name, "key": field.key, "type": field.get_field_type_display()},
            "back_url": back_url,
            "field": field,
            "has_options": field.field_type in services.CHOICE_TYPES,
        },
        nav="custom-fields",
        field_map=_CUSTOM_FIELD_FIELDS,
    )


# --- the values of a pick list ------------------------------------------------------------------------


def _choice_field_or_404(field_id: int) -> Any:
    field = custom_field_get(field_id)
    if field is None or field.field_type not in services.CHOICE_TYPES:
        raise Http404
    return field


def _option_form(
    request: HttpRequest, field: Any, initial: dict[str, Any] | None = None, **kwargs: Any
) -> OptionForm:
    parent_values = (
        [(option.value, option.display_label) for option in option_list(field.parent_id)]
        if field.parent_id
        else []
    )
    blank = kwargs.pop("blank", False)
    return OptionForm(
        None if blank else posted(request),
        initial=initial,
        department_choices=[(d.pk, d.display_name) for d in department_list()],
        parent_value_choices=parent_values,
        with_departments=field.module == "ticket",
        **kwargs,
    )


def _option_values(form: OptionForm) -> dict[str, Any]:
    data = form.cleaned_data
    values = {"label": data["label"], "label_en": data["label_en"], "colour": data["colour"]}
    if "departments" in form.fields:
        values["department_ids"] = data.get("departments", [])
    if "parent_values" in form.fields:
        values["parent_values"] = data.get("parent_values", [])
    return values


def _options_url(field: Any) -> str:
    return reverse("settings-custom-field-options", args=[field.pk])


@agent_required(MANAGE)
def custom_field_options(request: HttpRequest, field_id: int) -> HttpResponse:
    """A pick list's values: drag to reorder, a colour and departments per value, retire or restore."""
    field = _choice_field_or_404(field_id)
    form = _option_form(request, field)

    def submit(data: dict[str, Any]) -> None:
        services.option_create(
            actor=actor_of(request),
            source=Source.WEB,
            field_id=field.pk,
            value=data["value"],
            **_option_values(form),
        )

    return form_page(
        request,
        form=form,
        submit=submit,
        success_message=_("The value was added."),
        success_url=_options_url(field),
        template="customfields/settings/options.html",
        context=lambda: {
            "field": field,
            "options": option_list(field.pk),
            "back_url": f"{reverse('settings-custom-fields')}?module={field.module}",
        },
        nav="custom-fields",
        field_map=_OPTION_FIELDS,
    )


_OPTION_FIELDS = {"department_ids": "departments"}


@agent_required(MANAGE)
def custom_field_option_edit(request: HttpRequest, field_id: int, option_id: int) -> HttpResponse:
    field = _choice_field_or_404(field_id)
    option = option_get(field.pk, option_id)
    if option is None:
        raise Http404
    initial = {
        "label": option.label,
        "label_en": option.label_en,
        "colour": option.colour,
        "departments": [d.pk for d in option.departments.all()],
        "parent_values": list(option.parent_values),
    }
    form = _option_form(request, field, initial, editing=True, current_colour=option.colour)

    def submit(data: dict[str, Any]) -> None:
        services.option_update(
            actor=actor_of(request),
            source=Source.WEB,
            field_id=field.pk,
            option_id=option.pk,
            changes=_option_values(form),
        )

    return form_page(
        request,
        form=form,
        submit=submit,
        success_message=_("The value was saved."),
        success_url=_options_url(field),
        template="org/settings/edit.html",
        context=lambda: {
            "title": _("Edit value “%(value)s” of %(field)s")
            % {"value": option.value, "field": field.display_name},
            "back_url": _options_url(field),
        },
        nav="custom-fields",
        field_map=_OPTION_FIELDS,
    )


@agent_required(MANAGE)
@require_POST
def custom_field_option_retire(request: HttpRequest, field_id: int, option_id: int) -> HttpResponse:
    """Retire a value (``retired=1``) or offer it again (``retired=0``)."""
    field = _choice_field_or_404(field_id)
    retired = request.POST.get("retired") == "1"
    try:
        services.option_update(
            actor=actor_of(request),
            source=Source.WEB,
            field_id=field.pk,
            option_id=option_id,
            changes={"retired": retired},
        )
    except NotFound as exc:
        raise Http404 from exc
    messages.success(request, _("The value was retired.") if retired else _("The value is offered again."))
    return redirect(_options_url(field))


@agent_required(MANAGE)
@require_POST
def custom_field_options_reorder(request: HttpRequest, field_id: int) -> HttpResponse:
    """The drag-and-drop list posts every value's id in the new order."""
    field = _choice_field_or_404(field_id)
    ids = [int(value) for value in request.POST.getlist("option_ids") if value.isascii() and value.isdigit()]
    try:
        services.options_reorder(
            actor=actor_of(request), source=Source.WEB, field_id=field.pk, option_ids=ids
        )
    except ValidationFailed as exc:
        return JsonResponse(
            {"error": {"code": exc.code, "message": exc.message, "fields": exc.fields}}, status=422
        )
    return HttpResponse(status=204)
