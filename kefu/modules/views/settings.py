"""The module settings pages: the modules, and one module's names, field builder and role access."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from kefu.core.actors import Source
from kefu.core.errors import ServiceError
from kefu.modules import services
from kefu.modules.forms import AccessForm, FieldForm, ModuleForm
from kefu.modules.inputs import FieldInput
from kefu.modules.models import CustomModule
from kefu.modules.selectors import module_fields_all, module_get, module_list, module_role_levels
from kefu.modules.services.definitions import LOOKUP_TARGETS
from kefu.org import permissions
from kefu.org.decorators import agent_required
from kefu.org.selectors import role_list
from kefu.org.views.common import actor_of, form_page, posted, render_settings

MANAGE = permissions.SETTINGS_MANAGE
NAV = "modules"


def type_choices() -> list[tuple[str, str]]:
    from kefu.customfields.selectors import custom_field_type_choices

    return [*custom_field_type_choices(), ("lookup", _("Lookup"))]


def lookup_target_choices() -> list[tuple[str, str]]:
    names = {"tickets": _("Tickets"), "contacts": _("Contacts"), "accounts": _("Accounts")}
    return [(key, str(names[key])) for key in LOOKUP_TARGETS] + [
        (module.key, module.display_name) for module in module_list()
    ]


@agent_required(MANAGE)
def module_settings(request: HttpRequest) -> HttpResponse:
    form = ModuleForm(posted(request), creating=True)

    def submit(data: dict[str, Any]) -> None:
        module = services.module_create(
            actor=actor_of(request),
            source=Source.WEB,
            key=data["key"],
            name=data["name"],
            name_en=data["name_en"],
            description=data["description"],
        )
        request.session["modules_created"] = module.key

    response = form_page(
        request,
        form=form,
        submit=submit,
        success_message=_("The module was created. Now add its fields."),
        success_url=reverse("settings-modules"),
        template="modules/settings/modules.html",
        context=lambda: {"modules": module_list()},
        nav=NAV,
    )
    created = request.session.pop("modules_created", None)
    if created and response.status_code == 302:
        return redirect("settings-module-edit", created)
    return response


def _module(key: str) -> CustomModule:
    module = module_get(key)
    if module is None:
        raise Http404
    return module


def _field_form(request: HttpRequest, data: Any = None, **kwargs: Any) -> FieldForm:
    return FieldForm(data, type_choices=type_choices(), lookup_choices=lookup_target_choices(), **kwargs)


def _field_input(form: FieldForm) -> FieldInput:
    data = form.cleaned_data
    return FieldInput(
        key=data["key"],
        label=data["label"],
        label_en=data["label_en"],
        type=data["type"],
        required=data["required"],
        options=form.option_list(),
        lookup_module=data["lookup_module"],
    )


def _edit_context(request: HttpRequest, module: CustomModule, **forms: Any) -> dict[str, Any]:
    roles = [(role.pk, role.display_name) for role in role_list()]
    return {
        "module": module,
        "fields": list(module_fields_all(module.pk)),
        "module_form": forms.get("module_form")
        or ModuleForm(
            creating=False,
            initial={
                "name": module.name,
                "name_en": module.name_en,
                "description": module.description,
                "is_active": module.is_active,
            },
        ),
        "field_form": forms.get("field_form") or _field_form(request),
        "access_form": forms.get("access_form")
        or AccessForm(roles=roles, levels=module_role_levels(module.pk)),
        "type_labels": dict(type_choices()),
    }


@agent_required(MANAGE)
def module_edit(request: HttpRequest, key: str) -> HttpResponse:
    """One page, three forms (``action`` says which was sent): names, a new field, role access."""
    module = _module(key)
    forms: dict[str, Any] = {}
    if request.method == "POST":
        action = request.POST.get("action", "")
        actor = actor_of(request)
        try:
            if action == "module":
                form = forms["module_form"] = ModuleForm(request.POST, creating=False)
                if form.is_valid():
                    services.module_update(
                        actor=actor,
                        source=Source.WEB,
                        module=module,
                        name=form.cleaned_data["name"],
                        name_en=form.cleaned_data["name_en"],
                        description=form.cleaned_data["description"],
                        is_active=form.cleaned_data["is_active"],
                    )
                    messages.success(request, _("The module was saved."))
                    return redirect("settings-module-edit", module.key)
            elif action == "field":
                form = forms["field_form"] = _field_form(request, request.POST)
                if form.is_valid():
                    services.module_field_add(
                        actor=actor, source=Source.WEB, module=module, data=_field_input(form)
                    )
                    messages.success(request, _("The field was added."))
                    return redirect("settings-module-edit", module.key)
            elif action == "access":
                roles = [(role.pk, role.display_name) for role in role_list()]
                form = forms["access_form"] = AccessForm(request.POST, roles=roles, levels={})
                if form.is_valid():
                    services.module_access_set(
                        actor=actor, source=Source.WEB, module=module, levels=form.levels()
                    )
                    messages.success(request, _("Access was saved."))
                    return redirect("settings-module-edit", module.key)
        except ServiceError as exc:
            form.apply_service_error(exc)
    return render_settings(
        request, "modules/settings/module_edit.html", _edit_context(request, module, **forms), nav=NAV
    )


@agent_required(MANAGE)
def field_edit(request: HttpRequest, key: str, field_id: int) -> HttpResponse:
    module = _module(key)
    field = module_fields_all(module.pk).filter(pk=field_id).first()
    if field is None:
        raise Http404
    initial = {
        "key": field.key,
        "label": field.label,
        "label_en": field.label_en,
        "type": field.field_type,
        "options": "\n".join(field.choices),
        "lookup_module": field.lookup_module,
        "required": field.is_required,
    }
    form = _field_form(request, posted(request), initial=initial)
    form.fields["key"].disabled = True
    form.fields["type"].disabled = True
    form.fields["lookup_module"].disabled = True

    def submit(data: dict[str, Any]) -> None:
        services.module_field_update(
            actor=actor_of(request),
            source=Source.WEB,
            field_id=field.pk,
            data=_field_input(form),
            is_active=request.POST.get("is_active") == "on",
        )

    return form_page(
        request,
        form=form,
        submit=submit,
        success_message=_("The field was saved."),
        success_url=reverse("settings-module-edit", args=[module.key]),
        template="modules/settings/field_edit.html",
        context=lambda: {"module": module, "field": field},
        nav=NAV,
    )
