"""REST endpoints for custom fields and their pick-list values: parse, call a service, serialise."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status

from kefu.core.actors import Actor, Source
from kefu.core.api_types import ERRORS
from kefu.core.errors import ValidationFailed
from kefu.customfields import services
from kefu.customfields.models import PicklistOption
from kefu.customfields.schemas import (
    CustomFieldOut,
    OptionCreateIn,
    OptionOrderIn,
    OptionOut,
    OptionUpdateIn,
)
from kefu.customfields.selectors import (
    custom_field_catalog,
    custom_field_get,
    custom_field_module_choices,
    option_list,
)

router = Router(tags=["custom fields"])


def _actor(request: HttpRequest) -> Actor:
    return Actor.agent(request.auth)


def option_out(option: PicklistOption) -> dict[str, Any]:
    return {
        "id": option.pk,
        "value": option.value,
        "label": option.label,
        "label_en": option.label_en,
        "colour": option.colour,
        "department_ids": sorted(department.pk for department in option.departments.all()),
        "parent_values": list(option.parent_values),
        "order": option.order,
        "retired": option.retired,
    }


def _field_out(field: Any) -> dict[str, Any]:
    return {
        "id": field.pk,
        "module": field.module,
        "key": field.key,
        "type": field.field_type,
        "name": field.name,
        "name_en": field.name_en,
        "is_required": field.is_required,
        "is_active": field.is_active,
        "department_ids": sorted(department.pk for department in field.departments.all()),
        "parent_id": field.parent_id,
        "order": field.order,
        "options": [option_out(option) for option in option_list(field.pk)],
    }


@router.get("", response={200: list[CustomFieldOut], **ERRORS}, summary="Custom fields of a module")
def custom_fields(request: HttpRequest, module: str = "ticket") -> list[dict[str, Any]]:
    """Every field of ``module`` (ticket, contact or account), inactive ones included, with its values."""
    if module not in dict(custom_field_module_choices()):
        raise ValidationFailed(
            _("The filters are not valid."), fields={"module": _("Choose ticket, contact or account.")}
        )
    return [_field_out(field) for field in custom_field_catalog(module=module)]


@router.get("/{int:field_id}", response={200: CustomFieldOut, **ERRORS}, summary="One custom field")
def custom_field(request: HttpRequest, field_id: int) -> dict[str, Any]:
    field = custom_field_get(field_id)
    if field is None:
        raise Http404
    return _field_out(field)


@router.get(
    "/{int:field_id}/options", response={200: list[OptionOut], **ERRORS}, summary="Values of a pick list"
)
def options(request: HttpRequest, field_id: int) -> list[dict[str, Any]]:
    field = custom_field_get(field_id)
    if field is None or field.field_type not in services.CHOICE_TYPES:
        raise Http404
    return [option_out(option) for option in option_list(field_id)]


@router.post(
    "/{int:field_id}/options", response={201: OptionOut, **ERRORS}, summary="Add a value to a pick list"
)
def option_create(request: HttpRequest, field_id: int, payload: OptionCreateIn) -> Status[dict[str, Any]]:
    option = services.option_create(
        actor=_actor(request), source=Source.API, field_id=field_id, **payload.model_dump()
    )
    return Status(201, option_out(option_list(field_id).get(pk=option.pk)))


@router.patch(
    "/{int:field_id}/options/{int:option_id}",
    response={200: OptionOut, **ERRORS},
    summary="Change or retire a pick-list value",
)
def option_update(
    request: HttpRequest, field_id: int, option_id: int, payload: OptionUpdateIn
) -> dict[str, Any]:
    changes = payload.model_dump(exclude_unset=True)
    services.option_update(
        actor=_actor(request), source=Source.API, field_id=field_id, option_id=option_id, changes=changes
    )
    return option_out(option_list(field_id).get(pk=option_id))


@router.put(
    "/{int:field_id}/options/order",
    response={200: list[OptionOut], **ERRORS},
    summary="Reorder a pick list's values",
)
def options_reorder(request: HttpRequest, field_id: int, payload: OptionOrderIn) -> list[dict[str, Any]]:
    services.options_reorder(
        actor=_actor(request), source=Source.API, field_id=field_id, option_ids=payload.option_ids
    )
    return [option_out(option) for option in option_list(field_id)]
