"""Layouts, as the services and the console read them: pure data and pure evaluation, no ORM.

A layout lists **sections** of **fields** in order; each field may be mandatory when a record is created
(``required_on_create``) and when it is closed (``required_on_close``). A **rule** says "when field A has
one of these values, show fields B… (and make them mandatory)". A field named by any rule's ``show`` is
hidden until one of its rules matches; every other field of the layout is always shown. A hidden field is
never mandatory.

Field names are the names the API uses for the module's fields (``priority``, ``team_id``,
``custom_fields.sub_category``), so that a refusal names the field the client sent. The apps that own a
module register its built-in fields (``register_builtin_fields``); custom fields are added by the
services from their definitions.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise

CUSTOM_PREFIX = "custom_fields."


@dataclass(frozen=True)
class LayoutField:
    field: str
    required_on_create: bool = False
    required_on_close: bool = False


@dataclass(frozen=True)
class LayoutSection:
    key: str
    name: str
    name_en: str
    fields: tuple[LayoutField, ...]


@dataclass(frozen=True)
class LayoutRule:
    when_field: str
    when_values: tuple[str, ...]
    show: tuple[str, ...]
    require: bool = True

    def matches(self, values: Mapping[str, Any]) -> bool:
        return bool(set(comparable(values.get(self.when_field))) & set(self.when_values))


@dataclass(frozen=True)
class LayoutSpec:
    """One stored layout, read: what the evaluation below needs."""

    module: str
    department_id: int | None
    sections: tuple[LayoutSection, ...]
    rules: tuple[LayoutRule, ...]

    @property
    def fields(self) -> tuple[LayoutField, ...]:
        return tuple(field for section in self.sections for field in section.fields)

    def shown(self, values: Mapping[str, Any]) -> set[str]:
        """The fields shown for ``values``: those no rule governs, and those a matching rule shows."""
        governed = {name for rule in self.rules for name in rule.show}
        matched = {name for rule in self.rules if rule.matches(values) for name in rule.show}
        return {field.field for field in self.fields if field.field not in governed or field.field in matched}

    def required(self, values: Mapping[str, Any], *, phase: str) -> list[str]:
        """The fields mandatory in ``phase`` ("create" or "close") for ``values``, in layout order."""
        shown = self.shown(values)
        by_rule = {name for rule in self.rules if rule.require and rule.matches(values) for name in rule.show}
        wanted = []
        for field in self.fields:
            flag = field.required_on_create if phase == "create" else field.required_on_close
            if field.field in shown and (flag or field.field in by_rule):
                wanted.append(field.field)
        return wanted

    def missing(self, values: Mapping[str, Any], *, phase: str) -> list[str]:
        """The mandatory fields of ``phase`` that have no value."""
        return [name for name in self.required(values, phase=phase) if is_empty(values.get(name))]

    def missing_after_change(self, values: Mapping[str, Any], touched: Iterable[str]) -> list[str]:
        """The fields a matching rule makes mandatory, left empty by a change that touched the rule's
        condition or the field itself (a change elsewhere does not make an older gap its fault)."""
        touched = set(touched)
        missing = []
        for rule in self.rules:
            if not (rule.require and rule.matches(values)):
                continue
            for name in rule.show:
                if (rule.when_field in touched or name in touched) and is_empty(values.get(name)):
                    missing.append(name)
        return list(dict.fromkeys(missing))

    def emptied(self, values: Mapping[str, Any], touched: Iterable[str], *, phase: str) -> list[str]:
        """The mandatory fields of ``phase`` that a change touched and left empty (a record edited after
        it was created may not lose what creating it required)."""
        touched = set(touched)
        return [
            name
            for name in self.required(values, phase=phase)
            if name in touched and is_empty(values.get(name))
        ]


def is_empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def comparable(value: Any) -> list[str]:
    """A value as rule conditions compare it: ids and numbers as text, a list as its members,
    a checkbox as ``true``/``false``."""
    if value is None:
        return []
    if isinstance(value, bool):
        return ["true" if value else "false"]
    if isinstance(value, list | tuple | set):
        return [item for member in value for item in comparable(member)]
    return [str(value)]


def spec_from_row(module: str, department_id: int | None, sections: Any, rules: Any) -> LayoutSpec:
    """A stored layout's JSON (written by the services, so already checked) as a ``LayoutSpec``."""
    return LayoutSpec(
        module=module,
        department_id=department_id,
        sections=tuple(
            LayoutSection(
                key=section["key"],
                name=section.get("name", ""),
                name_en=section.get("name_en", ""),
                fields=tuple(
                    LayoutField(
                        field=field["field"],
                        required_on_create=bool(field.get("required_on_create")),
                        required_on_close=bool(field.get("required_on_close")),
                    )
                    for field in section.get("fields", [])
                ),
            )
            for section in sections or []
        ),
        rules=tuple(
            LayoutRule(
                when_field=rule["when"]["field"],
                when_values=tuple(rule["when"]["values"]),
                show=tuple(rule["show"]),
                require=bool(rule.get("require", True)),
            )
            for rule in rules or []
        ),
    )


# --- the modules that can have layouts, registered by the apps that own them ----------------------------
#
# A module the custom-fields app knows (tickets, contacts, accounts: their custom fields live here) is
# registered with its built-in fields; the custom-fields services add its custom fields. A module whose
# fields live elsewhere (custom modules) is registered whole, as a ``LayoutModule``, by a provider.

CREATE = "create"
CLOSE = "close"

BuiltinFields = Callable[[], Sequence[tuple[str, str | Promise]]]
# What a rule may compare a built-in field with (a priority's or type's id and name), for the settings page.
BuiltinChoices = Callable[[], Mapping[str, Sequence[tuple[str, str]]]]


@dataclass(frozen=True)
class BuiltinModule:
    """A module with custom fields of its own (``CustomField.module``) and these built-in fields."""

    fields: BuiltinFields
    phases: tuple[str, ...]
    per_department: bool
    choices: BuiltinChoices | None = None


@dataclass(frozen=True)
class LayoutModule:
    """A module whose fields are all described by its owner.

    ``fields(department_id)`` gives what a layout may place (API name → label), ``choices()`` what a rule
    may compare a field with (for the editor), ``strict_values(name)`` the only values a rule may name for
    a field (a pick list's) or ``None``. ``phases`` are the moments fields can be mandatory in (records
    that are never closed have only ``create``); without ``per_department`` only the default layout exists.
    """

    name: str
    label: str | Promise
    fields: Callable[[int | None], Mapping[str, str]]
    choices: Callable[[], Mapping[str, Sequence[tuple[str, str]]]]
    strict_values: Callable[[str], list[str] | None]
    phases: tuple[str, ...] = (CREATE,)
    per_department: bool = False


_BUILTIN: dict[str, BuiltinModule] = {}
_PROVIDERS: dict[str, Callable[[], Iterable[LayoutModule]]] = {}


def register_builtin_fields(
    module: str,
    fields: BuiltinFields,
    *,
    phases: tuple[str, ...] = (CREATE, CLOSE),
    per_department: bool = True,
) -> None:
    """``fields()`` gives the module's own fields as (API name, label), in their natural order."""
    previous = _BUILTIN.get(module)
    _BUILTIN[module] = BuiltinModule(
        fields=fields,
        phases=phases,
        per_department=per_department,
        choices=previous.choices if previous else None,
    )


def register_builtin_choices(module: str, choices: BuiltinChoices) -> None:
    previous = _BUILTIN[module]
    _BUILTIN[module] = BuiltinModule(
        fields=previous.fields,
        phases=previous.phases,
        per_department=previous.per_department,
        choices=choices,
    )


def register_layout_modules(owner: str, provider: Callable[[], Iterable[LayoutModule]]) -> None:
    """``provider()`` gives the owner's modules as they are now (custom modules come and go)."""
    _PROVIDERS[owner] = provider


def builtin_module(module: str) -> BuiltinModule | None:
    return _BUILTIN.get(module)


def builtin_modules() -> list[str]:
    return list(_BUILTIN)


def provided_modules() -> list[LayoutModule]:
    return [module for provider in _PROVIDERS.values() for module in provider()]


def builtin_fields(module: str) -> list[tuple[str, str | Promise]]:
    found = _BUILTIN.get(module)
    return list(found.fields()) if found else []


def builtin_choices(module: str) -> dict[str, list[tuple[str, str]]]:
    found = _BUILTIN.get(module)
    provider = found.choices if found else None
    return {name: list(values) for name, values in provider().items()} if provider else {}
