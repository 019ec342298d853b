"""What the modules pages share: the module a request names, gated by the agent's level in it."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from kefu.core.ids import is_storable_id
from kefu.modules.models import Record
from kefu.modules.selectors import Level, ModuleDefinition, module_definition, module_level, record_get


def definition_for(request: HttpRequest, key: str, level: int = Level.READ) -> ModuleDefinition:
    """A module the agent may at least read is found; others are a 404, a missing level a 403."""
    definition = module_definition(key)
    if definition is None or not definition.is_active:
        raise Http404
    held = module_level(request.user, definition.id)
    if held < Level.READ:
        raise Http404
    if held < level:
        raise PermissionDenied
    return definition


def record_for(definition: ModuleDefinition, record_id: int) -> Record:
    record = record_get(definition.id, record_id) if is_storable_id(record_id) else None
    if record is None:
        raise Http404
    return record
