"""Custom fields as criteria fields: ``custom_fields.<key>``, ``contact.custom_fields.<key>``, ``account.…``.

Their set is data: they are looked up by key in the per-process catalogue cache (reloaded when an
administrator changes a custom field), with the kind their field type implies.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from kefu.automation.criteria import kinds
from kefu.automation.criteria.fields import Facts, Field, code_resolver, register_dynamic_fields
from kefu.automation.criteria.kinds import Kind, SetTarget, Target
from kefu.core.catalog_cache import cached
from kefu.customfields.selectors import custom_field_catalog, field_specs

# -------------------------------------------------------------------------------------

_CUSTOM_PREFIXES = {
    "custom_fields.": "ticket",
    "contact.custom_fields.": "contact",
    "account.custom_fields.": "account",
}
_CUSTOM_KINDS: dict[str, Kind] = {
    "text": kinds.TEXT,
    "long_text": kinds.LONG_TEXT,
    "email": kinds.TEXT,
    "url": kinds.TEXT,
    "phone": kinds.TEXT,
    "number": kinds.NUMBER,
    "decimal": kinds.NUMBER,
    "date": kinds.DATE,
    "datetime": kinds.DATE,
    "picklist": kinds.CODE,
    "multi_select": kinds.SET,
    "checkbox": kinds.BOOLEAN,
}


@dataclass(frozen=True)
class _CustomDefinition:
    key: str
    field_type: str
    choices: tuple[str, ...]
    name: str
    name_en: str


def _custom_definitions(module: str) -> dict[str, _CustomDefinition]:
    def load() -> dict[str, _CustomDefinition]:
        specs = {spec.key: spec for spec in field_specs(module)}
        return {
            row.key: _CustomDefinition(
                key=row.key,
                field_type=row.field_type,
                choices=tuple(specs[row.key].choices) if row.key in specs else (),
                name=row.name,
                name_en=row.name_en,
            )
            for row in custom_field_catalog(module=module)
            if row.is_active
        }

    return cached(("automation.custom_fields", module), load)


class _CustomLabel:
    """A custom field's label in the viewer's language (its Chinese or English name)."""

    def __init__(self, definition: _CustomDefinition):
        self.definition = definition

    def __str__(self) -> str:
        from django.utils.translation import get_language

        if (get_language() or "").startswith("en") and self.definition.name_en:
            return self.definition.name_en
        return self.definition.name


def _json_set(prefix: str, key: str) -> SetTarget:
    """A multi-select's JSON list: "holds one of these" on PostgreSQL (``@>``), SQLite (``json_each``)."""
    path = f"{prefix}custom_fields__{key}"

    def has(names: list[str]) -> Q:
        if kinds.is_postgresql():
            match = Q(pk__in=[])
            for name in names:
                match |= Q(**{f"{path}__contains": [name]})
            return match
        return Q(pk__in=_sqlite_json_members(prefix, key, names))

    def has_any() -> Q:
        return Q(**{f"{path}__isnull": False}) & ~Q(**{path: []})

    return SetTarget(has=has, has_any=has_any)


def _sqlite_json_members(prefix: str, key: str, names: list[str]) -> Any:
    """Ids of tickets whose JSON list at ``key`` holds one of ``names`` (SQLite has no JSON containment)."""
    from django.db.models.expressions import RawSQL

    column = {
        "": "tickets_ticket.custom_fields",
        "contact__": "contacts_contact.custom_fields",
        "account__": "contacts_account.custom_fields",
    }[prefix]
    joins = {
        "": "",
        "contact__": " JOIN contacts_contact ON contacts_contact.id = tickets_ticket.contact_id",
        "account__": " JOIN contacts_account ON contacts_account.id = tickets_ticket.account_id",
    }[prefix]
    placeholders = ", ".join(["%s"] * len(names))
    sql = (
        f"SELECT tickets_ticket.id FROM tickets_ticket{joins}, json_each({column}, %s) AS item "
        f"WHERE item.value IN ({placeholders})"
    )
    return RawSQL(sql, [f'$."{key}"', *names])


def _custom_field(key: str) -> Field | None:
    for prefix, module in _CUSTOM_PREFIXES.items():
        if not key.startswith(prefix):
            continue
        name = key[len(prefix) :]
        if "." in name:
            return None
        definition = _custom_definitions(module).get(name)
        if definition is None:
            return None
        return _custom_from(definition, module)
    return None


def _custom_from(definition: _CustomDefinition, module: str) -> Field:
    kind = _CUSTOM_KINDS.get(definition.field_type, kinds.TEXT)
    orm_prefix = {"ticket": "", "contact": "contact__", "account": "account__"}[module]
    key_prefix = {
        "ticket": "custom_fields.",
        "contact": "contact.custom_fields.",
        "account": "account.custom_fields.",
    }[module]
    name = definition.key

    def read(facts: Facts) -> Any:
        owner = {"ticket": facts.ticket, "contact": facts.ticket.contact, "account": facts.ticket.account}[
            module
        ]
        return (owner.custom_fields or {}).get(name) if owner is not None else None

    choices = [(choice, choice) for choice in definition.choices]
    target: Target | SetTarget = (
        _json_set(orm_prefix, name)
        if kind is kinds.SET
        else Target(path=f"{orm_prefix}custom_fields__{name}")
    )
    return Field(
        key=f"{key_prefix}{name}",
        label=_CustomLabel(definition),  # type: ignore[arg-type]
        kind=kind,
        group={"ticket": "custom", "contact": "contact", "account": "account"}[module],
        read=read,
        target=target,
        choices=(lambda: choices) if choices else None,
        resolve=code_resolver(lambda: choices) if choices else None,
        change_key="custom_fields" if module == "ticket" else None,
        from_change=lambda value: value.get(name) if isinstance(value, dict) else None,
    )


def _custom_list() -> list[Field]:
    return [
        _custom_from(definition, module)
        for module in ("ticket", "contact", "account")
        for definition in _custom_definitions(module).values()
    ]


register_dynamic_fields(_custom_field, _custom_list)
