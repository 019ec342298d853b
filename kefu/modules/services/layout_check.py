"""Custom modules' layouts: each module is offered to the custom-fields app's layout editor and API as
``module:<key>`` (its fields by their API names, ``values.<key>``), and ``record_create`` /
``record_update`` enforce the layout's mandatory fields. Records belong to no department and are never
closed: a module has one layout, with fields mandatory when creating.

Policy, as for contacts (``kefu.contacts.services.layout_check``): mandatory-on-create applies to records
an agent creates (the console, the API), not to imports or the system; an edit (imports excepted) may not
empty a field creating requires, nor leave empty a field a rule it triggered makes mandatory. A refusal
is a 422 naming each field (``values.make``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.utils.translation import gettext as _

from kefu.core.actors import Actor, Source
from kefu.customfields.layouts import CREATE, LayoutModule
from kefu.customfields.services.layouts import layout_missing, layout_refuse
from kefu.modules.models import ModuleField
from kefu.modules.selectors import ModuleDefinition, module_definition, module_definitions

PREFIX = "module:"
VALUES = "values."
CHOICE_TYPES = ("picklist", "multi_select")


def layout_name(definition: ModuleDefinition) -> str:
    return f"{PREFIX}{definition.key}"


def _fields(key: str) -> dict[str, str]:
    definition = module_definition(key)
    if definition is None:
        return {}
    return {f"{VALUES}{field.key}": field.display_label for field in definition.value_fields}


def _field(key: str, name: str) -> ModuleField | None:
    definition = module_definition(key)
    if definition is None or not name.startswith(VALUES):
        return None
    return definition.field(name.removeprefix(VALUES))


def _choices(key: str) -> dict[str, list[tuple[str, str]]]:
    definition = module_definition(key)
    found: dict[str, list[tuple[str, str]]] = {}
    for field in definition.value_fields if definition else ():
        if field.field_type in CHOICE_TYPES:
            found[f"{VALUES}{field.key}"] = [(choice, choice) for choice in field.choices]
        elif field.field_type == "checkbox":
            found[f"{VALUES}{field.key}"] = [("true", _("Ticked")), ("false", _("Not ticked"))]
    return found


def _strict(key: str, name: str) -> list[str] | None:
    field = _field(key, name)
    return list(field.choices) if field is not None and field.field_type in CHOICE_TYPES else None


def _module(definition: ModuleDefinition) -> LayoutModule:
    key = definition.key
    return LayoutModule(
        name=layout_name(definition),
        label=definition.display_name,
        fields=lambda _department_id: _fields(key),
        choices=lambda: _choices(key),
        strict_values=lambda name: _strict(key, name),
    )


def layout_modules() -> Iterable[LayoutModule]:
    """The active custom modules, for the layout editor and the layout API."""
    return [_module(definition) for definition in module_definitions().values() if definition.is_active]


def record_values(values: Mapping[str, Any]) -> dict[str, Any]:
    """A record's values by layout name."""
    return {f"{VALUES}{key}": value for key, value in values.items()}


def check_create(
    actor: Actor, source: Source, definition: ModuleDefinition, values: Mapping[str, Any]
) -> None:
    if source == Source.IMPORT or not actor.is_agent:
        return
    missing = layout_missing(layout_name(definition), None, record_values(values), phases=[CREATE])
    layout_refuse(missing, _("The record is not valid."))


def check_update(
    source: Source, definition: ModuleDefinition, before: Mapping[str, Any], after: Mapping[str, Any]
) -> None:
    if source == Source.IMPORT:
        return
    touched = {
        f"{VALUES}{key}"
        for key in set(before) | set(after)
        if before.get(key) not in (None, "", [], {}) or after.get(key) not in (None, "", [], {})
        if before.get(key) != after.get(key)
    }
    if not touched:
        return
    missing = layout_missing(
        layout_name(definition), None, record_values(after), touched=touched, keep=[CREATE]
    )
    layout_refuse(missing, _("The record is not valid."))
