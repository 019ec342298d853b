"""Settings → Layouts: the layout of each module per department (or the default one), edited on one page:
sections and their fields dragged into order (SortableJS), the mandatory flags, and the layout rules.

The page sends the whole layout as JSON (as ``PUT /api/v1/layouts/{module}`` does) to ``layout_save``;
every problem the service finds is listed by its place, and the page keeps what was edited.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kefu.core.actors import Source
from kefu.core.errors import NotFound, ValidationFailed
from kefu.customfields.layouts import CUSTOM_PREFIX, builtin_choices
from kefu.customfields.models import CustomField
from kefu.customfields.selectors import layout_row, layout_rows
from kefu.customfields.services.layouts import (
    layout_delete,
    layout_field_catalog,
    layout_modules,
    layout_save,
)
from kefu.org import permissions
from kefu.org.decorators import agent_required
from kefu.org.selectors import department_list
from kefu.org.views.common import actor_of, render_settings

MANAGE = permissions.SETTINGS_MANAGE
DEFAULT = "default"


def _scope(module: str, scope: str) -> tuple[int | None, str]:
    """The department a URL's scope names (``default``: none) and its display name; 404 otherwise."""
    if module not in layout_modules():
        raise Http404
    if scope == DEFAULT:
        return None, _("Default layout (every department without its own)")
    if not scope.isdigit():
        raise Http404
    department = department_list().filter(pk=int(scope)).first()
    if department is None:
        raise Http404
    return department.pk, department.display_name


@agent_required(MANAGE)
def layouts(request: HttpRequest) -> HttpResponse:
    module = "ticket"
    stored = {row.department_id: row for row in layout_rows(module)}
    rows = [(DEFAULT, _("Default layout (every department without its own)"), stored.get(None))]
    rows += [(str(row.pk), row.display_name, stored.get(row.pk)) for row in department_list()]
    return render_settings(
        request, "customfields/settings/layouts.html", {"module": module, "rows": rows}, nav="layouts"
    )


def _catalog(module: str, department_id: int | None) -> list[dict[str, Any]]:
    """What the editor offers: each field with its label and, where they are known, the values a rule
    may compare it with."""
    choices = builtin_choices(module)
    for field in CustomField.objects.filter(module=module, is_active=True):
        if field.field_type in (CustomField.FieldType.PICKLIST, CustomField.FieldType.MULTI_SELECT):
            values = [(option.value, option.display_label) for option in field.options.all()]
            choices[f"{CUSTOM_PREFIX}{field.key}"] = values or [(choice, choice) for choice in field.choices]
        elif field.field_type == CustomField.FieldType.CHECKBOX:
            choices[f"{CUSTOM_PREFIX}{field.key}"] = [("true", _("Ticked")), ("false", _("Not ticked"))]
    return [
        {"field": name, "label": label, "choices": choices.get(name, [])}
        for name, label in layout_field_catalog(module, department_id).items()
    ]


def _posted_layout(request: HttpRequest) -> dict[str, Any]:
    try:
        data = json.loads(request.POST.get("layout", ""))
    except ValueError:
        data = None
    if not isinstance(data, dict):
        raise ValidationFailed(_("The layout is not valid."), fields={"layout": _("Send the layout again.")})
    return data


@agent_required(MANAGE)
def layout_edit(request: HttpRequest, module: str, scope: str) -> HttpResponse:
    department_id, scope_name = _scope(module, scope)
    row = layout_row(module, department_id)
    layout: dict[str, Any] = (
        {"sections": row.sections, "rules": row.rules} if row else {"sections": [], "rules": []}
    )
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        try:
            layout = _posted_layout(request)
            layout_save(
                actor=actor_of(request),
                source=Source.WEB,
                module=module,
                department_id=department_id,
                sections=layout.get("sections"),
                rules=layout.get("rules"),
            )
        except ValidationFailed as exc:
            errors = dict(exc.fields) or {"layout": exc.message}
            status = 422
        else:
            messages.success(request, _("The layout was saved."))
            return redirect(reverse("settings-layout-edit", args=[module, scope]))
    context = {
        "module": module,
        "scope": scope,
        "scope_name": scope_name,
        "stored": row is not None,
        "editor": {"catalog": _catalog(module, department_id), "layout": layout},
        "errors": sorted(errors.items()),
    }
    return render_settings(
        request, "customfields/settings/layout_edit.html", context, nav="layouts", status=status
    )


@agent_required(MANAGE)
@require_POST
def layout_remove(request: HttpRequest, module: str, scope: str) -> HttpResponse:
    department_id, _name = _scope(module, scope)
    try:
        layout_delete(actor=actor_of(request), source=Source.WEB, module=module, department_id=department_id)
    except NotFound as exc:
        raise Http404 from exc
    messages.success(request, _("The layout was removed."))
    return redirect(reverse("settings-layouts"))
