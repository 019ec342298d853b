"""``/api/v1/layouts``: field layouts per module and department, with their layout rules.

Agents read layouts (forms and clients need to know what is mandatory); writing needs the settings
permission. A layout is written whole with ``PUT``; the services check every field it names.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from kefu.core.actors import Actor, Source
from kefu.core.api_types import ERRORS, Id, InputSchema
from kefu.core.errors import PermissionDenied
from kefu.customfields.selectors import layout_row, layout_rows
from kefu.customfields.services.layouts import (
    layout_delete,
    layout_field_catalog,
    layout_modules,
    layout_save,
)
from kefu.org.selectors import agent_access

router = Router(tags=["layouts"])

SECTIONS_EXAMPLE = [
    {
        "key": "basics",
        "name": "基本信息",
        "name_en": "Basics",
        "fields": [
            {"field": "type", "required_on_create": True, "required_on_close": False},
            {"field": "custom_fields.vehicle", "required_on_create": False, "required_on_close": True},
        ],
    }
]
RULES_EXAMPLE = [
    {"when": {"field": "type", "values": ["4"]}, "show": ["custom_fields.vehicle"], "require": True}
]


class LayoutOut(Schema):
    module: str
    department_id: int | None = Field(description="None: the default layout of every department without one.")
    sections: list[dict[str, Any]] = Field(examples=[SECTIONS_EXAMPLE])
    rules: list[dict[str, Any]] = Field(examples=[RULES_EXAMPLE])
    updated_at: str


class LayoutListOut(Schema):
    items: list[LayoutOut]


class LayoutIn(InputSchema):
    sections: Any = Field(examples=[SECTIONS_EXAMPLE])
    rules: Any = Field(default=None, examples=[RULES_EXAMPLE])


class LayoutFieldOut(Schema):
    field: str = Field(examples=["custom_fields.vehicle"])
    label: str


class LayoutFieldListOut(Schema):
    items: list[LayoutFieldOut]


def _agent(request: HttpRequest) -> None:
    if not agent_access(request.auth).is_agent:
        raise PermissionDenied(_("You do not have permission to do this."))


def _module(module: str) -> str:
    if module not in layout_modules():
        raise Http404
    return module


def layout_out(row: Any) -> dict[str, Any]:
    return {
        "module": row.module,
        "department_id": row.department_id,
        "sections": row.sections,
        "rules": row.rules,
        "updated_at": row.updated_at.isoformat(),
    }


@router.get("", response={200: LayoutListOut, **ERRORS}, summary="Every stored layout")
def list_layouts(request: HttpRequest) -> dict[str, Any]:
    _agent(request)
    return {"items": [layout_out(row) for row in layout_rows()]}


@router.get(
    "/{module}/fields",
    response={200: LayoutFieldListOut, **ERRORS},
    summary="The fields a layout of this module may place",
)
def list_fields(request: HttpRequest, module: str, department_id: Id | None = None) -> dict[str, Any]:
    _agent(request)
    catalog = layout_field_catalog(_module(module), department_id)
    return {"items": [{"field": name, "label": label} for name, label in catalog.items()]}


@router.get("/{module}", response={200: LayoutOut, **ERRORS}, summary="A layout (default or a department's)")
def get_layout(request: HttpRequest, module: str, department_id: Id | None = None) -> dict[str, Any]:
    _agent(request)
    row = layout_row(_module(module), department_id)
    if row is None:
        raise Http404
    return layout_out(row)


@router.put("/{module}", response={200: LayoutOut, **ERRORS}, summary="Write a layout whole")
def put_layout(
    request: HttpRequest, module: str, payload: LayoutIn, department_id: Id | None = None
) -> dict[str, Any]:
    """Without ``department_id``: the default layout, for every department without its own."""
    row = layout_save(
        actor=Actor.agent(request.auth),
        source=Source.API,
        module=_module(module),
        department_id=department_id,
        sections=payload.sections,
        rules=payload.rules if payload.rules is not None else [],
    )
    return layout_out(row)


@router.delete("/{module}", response={204: None, **ERRORS}, summary="Remove a layout")
def delete_layout(request: HttpRequest, module: str, department_id: Id | None = None) -> Status[None]:
    layout_delete(
        actor=Actor.agent(request.auth),
        source=Source.API,
        module=_module(module),
        department_id=department_id,
    )
    return Status(204, None)
