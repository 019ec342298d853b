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
from kefu.customfields.selectors import layout_row, layout_rows
from kefu.customfields.services.layouts import (
    layout_delete,
    layout_field_catalog,
    layout_field_choices,
    layout_module_get,
    layout_module_list,
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
    found = layout_module_get(module)
    if found is None:
        raise Http404
    if scope == DEFAULT:
        if not found.per_department:
            return None, _("Every department")
        return None, _("Default layout (every department without its own)")
    if not scope.isdigit() or not found.per_department:
        raise Http404
    department = department_list().filter(pk=int(scope)).first()
    if department is None:
        raise Http404
    return department.pk, department.display_name


@agent_required(MANAGE)
def layouts(request: HttpRequest) -> HttpResponse:
    """Every module that can have layouts: tickets per department (and the default), the others with
    the one layout their records follow (contacts, accounts and records belong to no department)."""
    stored: dict[tuple[str, int | None], Any] = {
        (row.module, row.department_id): row for row in layout_rows()
    }
    departments = list(department_list())
    modules = []
    for module in layout_module_list():
        if module.per_department:
            rows = [
                (
                    DEFAULT,
                    _("Default layout (every department without its own)"),
                    stored.get((module.name, None)),
                )
            ]
            rows += [
                (str(row.pk), row.display_name, stored.get((module.name, row.pk))) for row in departments
            ]
        else:
            rows = [(DEFAULT, _("Every department"), stored.get((module.name, None)))]
        modules.append({"name": module.name, "label": module.label, "rows": rows})
    return render_settings(request, "customfields/settings/layouts.html", {"modules": modules}, nav="layouts")


def _catalog(module: str, department_id: int | None) -> list[dict[str, Any]]:
    """What the editor offers: each field with its label and, where they are known, the values a rule
    may compare it with."""
    choices = layout_field_choices(module)
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
    found = layout_module_get(module)
    context = {
        "module": module,
        "module_label": found.label if found else module,
        "phases": list(found.phases) if found else [],
        "scope": scope,
        "scope_name": scope_name,
        "stored": row is not None,
        "editor": {
            "catalog": _catalog(module, department_id),
            "layout": layout,
            "phases": list(found.phases) if found else [],
        },
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
