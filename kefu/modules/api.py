"""REST endpoints: module definitions at /modules, records at /modules/<key>/records."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from kefu.core.actors import Source
from kefu.core.api_types import ERRORS, Id
from kefu.core.errors import NotFound, PermissionDenied, ValidationFailed
from kefu.core.idempotency import idempotent
from kefu.core.pagination import paginate
from kefu.modules import services
from kefu.modules.inputs import FieldInput
from kefu.modules.models import CustomModule, Record
from kefu.modules.schemas import (
    ModuleFieldIn,
    ModuleIn,
    ModuleListOut,
    ModuleOut,
    ModuleUpdateIn,
    RecordIn,
    RecordListIn,
    RecordListOut,
    RecordOut,
    RecordPatchIn,
)
from kefu.modules.selectors import (
    Level,
    ModuleDefinition,
    module_definition,
    module_fields_all,
    module_get,
    module_level,
    readable_modules,
    record_get,
    record_list,
    record_values,
    visible_ticket_links,
)
from kefu.org.api_access import api_agent

router = Router(tags=["modules"])


def _definition(request: HttpRequest, key: str, level: int = Level.READ) -> ModuleDefinition:
    """The module, when the agent may at least read it (else it does not exist for him)."""
    definition = module_definition(key)
    if definition is None or module_level(request.auth, definition.id) < Level.READ:
        raise NotFound(_("No such module."))
    if module_level(request.auth, definition.id) < level:
        raise PermissionDenied(_("You do not have permission to do this."))
    return definition


def module_out(module: CustomModule) -> dict[str, Any]:
    return {
        "key": module.key,
        "name": module.name,
        "name_en": module.name_en,
        "description": module.description,
        "is_active": module.is_active,
        "fields": [
            {
                "key": field.key,
                "label": field.label,
                "label_en": field.label_en,
                "type": field.field_type,
                "required": field.is_required,
                "options": field.choices,
                "lookup_module": field.lookup_module,
            }
            for field in module_fields_all(module.pk).filter(is_active=True)
        ],
    }


def _field_inputs(fields: list[ModuleFieldIn]) -> list[FieldInput]:
    return [
        FieldInput(
            key=field.key,
            label=field.label,
            label_en=field.label_en,
            type=field.type,
            required=field.required,
            options=tuple(field.options),
            lookup_module=field.lookup_module,
        )
        for field in fields
    ]


def record_out(
    request: HttpRequest, record: Record, definition: ModuleDefinition, tickets: Any = None
) -> dict[str, Any]:
    if tickets is None:
        tickets = visible_ticket_links(request.auth, [record])
    return {
        "id": record.pk,
        "module": definition.key,
        "title": record.title,
        "values": record_values(record, definition, tickets),
        "external_id": record.external_id,
        "created_at": record.created_at,
        "updated_at": record.updated_at,
    }


@router.get("", response={200: ModuleListOut, **ERRORS}, summary="List the modules you may read")
def list_modules(request: HttpRequest) -> dict[str, Any]:
    api_agent(request)
    keys = [definition.key for definition in readable_modules(request.auth)]
    modules = {module.key: module for module in CustomModule.objects.filter(key__in=keys)}
    return {"items": [module_out(modules[key]) for key in keys if key in modules]}


@router.post("", response={201: ModuleOut, **ERRORS}, summary="Define a module")
def create_module(request: HttpRequest, payload: ModuleIn) -> Status[dict[str, Any]]:
    actor = api_agent(request)

    def create() -> tuple[int, dict[str, Any]]:
        module = services.module_create(
            actor=actor,
            source=Source.API,
            key=payload.key,
            name=payload.name,
            name_en=payload.name_en,
            description=payload.description,
            fields=_field_inputs(payload.fields),
        )
        return 201, ModuleOut.model_validate(module_out(module)).model_dump(mode="json")

    return Status(*idempotent(request, create))


@router.get("/{key}", response={200: ModuleOut, **ERRORS}, summary="Get a module's definition")
def get_module(request: HttpRequest, key: str) -> dict[str, Any]:
    api_agent(request)
    _definition(request, key)
    module = module_get(key)
    if module is None:
        raise Http404
    return module_out(module)


@router.patch("/{key}", response={200: ModuleOut, **ERRORS}, summary="Change a module's definition")
def update_module(request: HttpRequest, key: str, payload: ModuleUpdateIn) -> dict[str, Any]:
    actor = api_agent(request)
    _definition(request, key)
    module = module_get(key)
    if module is None:
        raise Http404
    module = services.module_update(
        actor=actor,
        source=Source.API,
        module=module,
        name=module.name if payload.name is None else payload.name,
        name_en=module.name_en if payload.name_en is None else payload.name_en,
        description=module.description if payload.description is None else payload.description,
        is_active=module.is_active if payload.is_active is None else payload.is_active,
        fields=None if payload.fields is None else _field_inputs(payload.fields),
    )
    return module_out(module)


def _filters(request: HttpRequest, definition: ModuleDefinition) -> dict[str, str]:
    """``?values.make=丰田`` filters by a field; a key the module does not have is a 422."""
    filters: dict[str, str] = {}
    unknown: dict[str, str] = {}
    for name, value in request.GET.items():
        if name.startswith("values."):
            key = name.removeprefix("values.")
            if definition.field(key) is None:
                unknown[name] = _("Unknown field.")
            filters[key] = value
    if unknown:
        raise ValidationFailed(_("The request is not valid."), fields=unknown)
    return filters


@router.get("/{key}/records", response={200: RecordListOut, **ERRORS}, summary="List or search records")
def list_records(request: HttpRequest, key: str, filters: Query[RecordListIn]) -> dict[str, Any]:
    api_agent(request)
    definition = _definition(request, key)
    queryset = record_list(
        definition.id, q=filters.q or "", filters=_filters(request, definition), definition=definition
    )
    page = paginate(queryset, sort="-created_at", limit=filters.limit, cursor=filters.cursor)
    tickets = visible_ticket_links(request.auth, page.items)
    return {
        "items": [record_out(request, record, definition, tickets) for record in page.items],
        "next_cursor": page.next_cursor,
    }


@router.post("/{key}/records", response={201: RecordOut, **ERRORS}, summary="Create a record")
def create_record(request: HttpRequest, key: str, payload: RecordIn) -> Status[dict[str, Any]]:
    actor = api_agent(request)
    definition = _definition(request, key)

    def create() -> tuple[int, dict[str, Any]]:
        record = services.record_create(
            actor=actor,
            source=Source.API,
            module_key=key,
            values=payload.values,
            external_id=payload.external_id,
        )
        return 201, RecordOut.model_validate(record_out(request, record, definition)).model_dump(mode="json")

    return Status(*idempotent(request, create))


def _record(definition: ModuleDefinition, record_id: int) -> Record:
    record = record_get(definition.id, record_id)
    if record is None:
        raise Http404
    return record


@router.get("/{key}/records/{record_id}", response={200: RecordOut, **ERRORS}, summary="Get a record")
def get_record(request: HttpRequest, key: str, record_id: Id) -> dict[str, Any]:
    api_agent(request)
    definition = _definition(request, key)
    return record_out(request, _record(definition, record_id), definition)


@router.patch("/{key}/records/{record_id}", response={200: RecordOut, **ERRORS}, summary="Change a record")
def update_record(request: HttpRequest, key: str, record_id: Id, payload: RecordPatchIn) -> dict[str, Any]:
    actor = api_agent(request)
    definition = _definition(request, key)
    record = services.record_update(
        actor=actor, source=Source.API, record=_record(definition, record_id), values=payload.values
    )
    return record_out(request, record, definition)


@router.delete("/{key}/records/{record_id}", response={204: None, **ERRORS}, summary="Delete a record")
def delete_record(request: HttpRequest, key: str, record_id: Id) -> HttpResponse:
    actor = api_agent(request)
    definition = _definition(request, key)
    services.record_delete(actor=actor, source=Source.API, record=_record(definition, record_id))
    return HttpResponse(status=204)
