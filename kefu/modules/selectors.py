"""Reads for custom modules: definitions (cached per process), who may do what, records and their links."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from kefu.core.catalog_cache import cached
from kefu.modules.models import CustomModule, ModuleField, ModuleRoleAccess, Record, RecordLink, RecordView
from kefu.org.models import Agent, User
from kefu.org.selectors import agent_access

Level = ModuleRoleAccess.Level

# What a role gets in a new module until an administrator says otherwise.
DEFAULT_LEVELS = {
    "administrator": Level.MANAGE,
    "supervisor": Level.WRITE,
    "agent": Level.WRITE,
    "light_agent": Level.READ,
}


@dataclass(frozen=True)
class ModuleDefinition:
    """A module with its active fields, as every record read and write needs it (immutable, cached)."""

    id: int
    key: str
    name: str
    name_en: str
    fields: tuple[ModuleField, ...]
    is_active: bool

    @property
    def display_name(self) -> str:
        from django.utils.translation import get_language

        return self.name_en if (get_language() or "").startswith("en") and self.name_en else self.name

    def field(self, key: str) -> ModuleField | None:
        return next((field for field in self.fields if field.key == key), None)

    @property
    def value_fields(self) -> tuple[ModuleField, ...]:
        """The fields whose values a record holds itself (all but lookups to tickets)."""
        return tuple(field for field in self.fields if not field.is_ticket_lookup)

    @property
    def ticket_fields(self) -> tuple[ModuleField, ...]:
        return tuple(field for field in self.fields if field.is_ticket_lookup)


def _load_definitions() -> dict[str, ModuleDefinition]:
    fields: dict[int, list[ModuleField]] = {}
    for field in ModuleField.objects.filter(is_active=True).order_by("order", "id"):
        fields.setdefault(field.module_id, []).append(field)
    return {
        module.key: ModuleDefinition(
            id=module.pk,
            key=module.key,
            name=module.name,
            name_en=module.name_en,
            fields=tuple(fields.get(module.pk, ())),
            is_active=module.is_active,
        )
        for module in CustomModule.objects.order_by("order", "id")
    }


def module_definitions() -> dict[str, ModuleDefinition]:
    return cached("modules.definitions", _load_definitions)


def module_definition(key: str) -> ModuleDefinition | None:
    return module_definitions().get(key)


def module_definition_by_id(module_id: int) -> ModuleDefinition | None:
    return next((d for d in module_definitions().values() if d.id == module_id), None)


def _load_role_levels() -> dict[tuple[int, int], int]:
    return {(row.module_id, row.role_id): row.level for row in ModuleRoleAccess.objects.all()}


def _role_id(user: User) -> int | None:
    return cached(
        ("modules.role_of", user.pk),
        lambda: Agent.objects.filter(user_id=user.pk).values_list("role_id", flat=True).first(),
    )


def module_level(user: User | None, module_id: int) -> int:
    """The access ``user`` has to a module: a superuser manages every module, an agent has his role's
    level (read if the role was created after the module), anyone else none."""
    access = agent_access(user)
    if user is None or not access.is_agent:
        return Level.NONE
    if user.is_superuser:
        return Level.MANAGE
    role_id = _role_id(user)
    if role_id is None:
        return Level.NONE
    levels = cached("modules.role_levels", _load_role_levels)
    return levels.get((module_id, role_id), Level.READ)


def readable_modules(user: User | None) -> list[ModuleDefinition]:
    return [
        definition
        for definition in module_definitions().values()
        if definition.is_active and module_level(user, definition.id) >= Level.READ
    ]


def module_list() -> QuerySet[CustomModule]:
    """Every module, inactive ones included (the settings page)."""
    return CustomModule.objects.order_by("order", "id")


def module_get(key: str) -> CustomModule | None:
    return CustomModule.objects.filter(key=key).first()


def module_fields_all(module_id: int) -> QuerySet[ModuleField]:
    return ModuleField.objects.filter(module_id=module_id).order_by("order", "id")


def module_role_levels(module_id: int) -> dict[int, int]:
    return {
        role_id: level
        for (mid, role_id), level in cached("modules.role_levels", _load_role_levels).items()
        if mid == module_id
    }


def normalise_search(text: str) -> str:
    """The form search text is stored and matched in: case-folded, whitespace collapsed."""
    return " ".join(text.casefold().split())


def record_list(
    module_id: int, *, q: str = "", filters: dict[str, Any] | None = None, definition: ModuleDefinition
) -> QuerySet[Record]:
    """The records of a module matching ``q`` (every word, anywhere in the record's text) and the
    field filters (``{field key: value}``: equal for choices, numbers, dates, checkboxes and lookups;
    contained for text)."""
    queryset = Record.objects.filter(module_id=module_id)
    for word in normalise_search(q).split():
        queryset = queryset.filter(search_text__contains=word)
    for key, value in (filters or {}).items():
        field = definition.field(key)
        if field is None or value in (None, ""):
            continue
        queryset = queryset.filter(_field_condition(field, value))
    return queryset


def _field_condition(field: ModuleField, value: Any) -> Q:
    if field.is_ticket_lookup:
        ids = RecordLink.objects.filter(field=field, target_type="ticket", target_id=value)
        return Q(pk__in=ids.values("record_id"))
    lookup = f"values__{field.key}"
    if field.field_type in ("text", "long_text", "email", "url", "phone"):
        return Q(**{f"{lookup}__icontains": value})
    if field.field_type == "multi_select":
        # JSON containment is not portable to SQLite; the record's search text holds every choice.
        return Q(**{f"{lookup}__icontains": f'"{value}"'})
    return Q(**{lookup: value})


def record_get(module_id: int, record_id: int) -> Record | None:
    return Record.objects.filter(module_id=module_id, pk=record_id).first()


def record_titles(record_ids: Iterable[int]) -> dict[int, tuple[str, str]]:
    """``record id → (title, module key)`` for showing lookups to other records."""
    rows = Record.objects.filter(pk__in=set(record_ids)).values_list("pk", "title", "module__key")
    return {pk: (title or f"#{pk}", key) for pk, title, key in rows}


def ticket_link_ids(record: Record, field: ModuleField) -> list[int]:
    return sorted(
        RecordLink.objects.filter(record=record, field=field, target_type="ticket").values_list(
            "target_id", flat=True
        )
    )


def ticket_links_of(record_ids: Iterable[int]) -> dict[tuple[int, int], list[int]]:
    """``(record id, field id) → ticket ids`` for many records in one query (lists, exports)."""
    found: dict[tuple[int, int], list[int]] = {}
    rows = RecordLink.objects.filter(record_id__in=list(record_ids), target_type="ticket").order_by(
        "target_id"
    )
    for record_id, field_id, target_id in rows.values_list("record_id", "field_id", "target_id"):
        found.setdefault((record_id, field_id), []).append(target_id)
    return found


def records_linked_to(target_type: str, target_id: int) -> QuerySet[RecordLink]:
    """The links that point at one ticket, contact, account or record, with their records."""
    return (
        RecordLink.objects.filter(target_type=target_type, target_id=target_id)
        .select_related("record", "field")
        .order_by("field__module_id", "field__order", "record_id")
    )


def record_choices(module_id: int, *, q: str = "", limit: int = 200) -> list[tuple[int, str]]:
    """Records to pick from in a lookup: ``(id, title)``, matching ``q``, at most ``limit``."""
    queryset = Record.objects.filter(module_id=module_id)
    for word in normalise_search(q).split():
        queryset = queryset.filter(search_text__contains=word)
    return [
        (pk, title or f"#{pk}")
        for pk, title in queryset.order_by("title", "id").values_list("pk", "title")[:limit]
    ]


def saved_views(module_id: int, user: User) -> QuerySet[RecordView]:
    return RecordView.objects.filter(module_id=module_id).filter(Q(owner=user) | Q(is_shared=True))


def saved_view_get(module_id: int, user: User, view_id: int) -> RecordView | None:
    return saved_views(module_id, user).filter(pk=view_id).first()


def visible_ticket_links(user: User | None, records: list[Record]) -> dict[tuple[int, int], list[int]]:
    """``(record id, field id) → ticket ids`` restricted to the tickets ``user`` may see."""
    from kefu.tickets.selectors import visible_tickets

    links = ticket_links_of(record.pk for record in records)
    every = {pk for ids in links.values() for pk in ids}
    if not every:
        return {}
    seen = set(visible_tickets(user).filter(pk__in=every).values_list("pk", flat=True))
    return {key: [pk for pk in ids if pk in seen] for key, ids in links.items()}


def record_values(
    record: Record, definition: ModuleDefinition, tickets: dict[tuple[int, int], list[int]]
) -> dict[str, Any]:
    """A record's values as the API and exports give them: stored values of the active fields, and for
    each lookup to tickets the (visible) ticket ids."""
    values = {
        field.key: record.values[field.key] for field in definition.value_fields if field.key in record.values
    }
    for field in definition.ticket_fields:
        values[field.key] = tickets.get((record.pk, field.pk), [])
    return values


MAX_LOOKUP_CHOICES = 500


def lookup_choices(definition: ModuleDefinition) -> dict[str, list[tuple[int, str]]]:
    """What each (single-valued) lookup field offers in a form: ``key → [(id, label)]``."""
    from kefu.contacts.models import Account, Contact

    found: dict[str, list[tuple[int, str]]] = {}
    for field in definition.value_fields:
        if not field.is_lookup:
            continue
        if field.lookup_module == ModuleField.LOOKUP_CONTACTS:
            rows = Contact.objects.order_by("name", "id").values_list("pk", "name", "email")
            found[field.key] = [(pk, name or email) for pk, name, email in rows[:MAX_LOOKUP_CHOICES]]
        elif field.lookup_module == ModuleField.LOOKUP_ACCOUNTS:
            found[field.key] = list(
                Account.objects.order_by("name", "id").values_list("pk", "name")[:MAX_LOOKUP_CHOICES]
            )
        else:
            target = module_definition(field.lookup_module)
            found[field.key] = record_choices(target.id, limit=MAX_LOOKUP_CHOICES) if target else []
    return found


@dataclass(frozen=True)
class LookupLabel:
    label: str
    url: str


def lookup_labels(
    definition: ModuleDefinition, records: Iterable[Record]
) -> dict[tuple[str, int], LookupLabel]:
    """``(field key, id) → label and page`` for the lookup values of ``records`` (a fixed number of
    queries: one per lookup target kind)."""
    from django.urls import reverse

    from kefu.contacts.models import Account, Contact

    wanted: dict[str, set[int]] = {}
    keys_by_target: dict[str, list[str]] = {}
    for field in definition.value_fields:
        if field.is_lookup:
            keys_by_target.setdefault(field.lookup_module, []).append(field.key)
    records = list(records)
    for target, keys in keys_by_target.items():
        wanted[target] = {
            record.values[key]
            for record in records
            for key in keys
            if isinstance(record.values.get(key), int)
        }
    labels: dict[tuple[str, int], LookupLabel] = {}
    for target, ids in wanted.items():
        if not ids:
            continue
        if target == ModuleField.LOOKUP_CONTACTS:
            found = {
                pk: LookupLabel(name or email, reverse("contacts:detail", args=[pk]))
                for pk, name, email in Contact.objects.filter(pk__in=ids).values_list("pk", "name", "email")
            }
        elif target == ModuleField.LOOKUP_ACCOUNTS:
            found = {
                pk: LookupLabel(name, reverse("contacts:account-detail", args=[pk]))
                for pk, name in Account.objects.filter(pk__in=ids).values_list("pk", "name")
            }
        else:
            found = {
                pk: LookupLabel(title, reverse("modules:detail", args=[key, pk]))
                for pk, (title, key) in record_titles(ids).items()
            }
        for key in keys_by_target[target]:
            for pk, label in found.items():
                labels[(key, pk)] = label
    return labels


def display_value(field: ModuleField, value: Any, labels: dict[tuple[str, int], LookupLabel]) -> Any:
    """A stored value as a page shows it (the label of a lookup, a list joined, a tick as yes/no)."""
    from django.utils.translation import gettext as _

    if value is None or value == "":
        return ""
    if field.is_lookup:
        return labels.get((field.key, value), LookupLabel(f"#{value}", ""))
    if field.field_type == "checkbox":
        return _("Yes") if value else _("No")
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return value


@dataclass
class TicketSlot:
    """One lookup-to-tickets field as the ticket page shows it: the module, the field, the record
    linked to this ticket (if any) and whether the agent may change it."""

    definition: ModuleDefinition
    field: ModuleField
    record: Record | None
    can_write: bool


def ticket_slots(user: User | None, ticket_id: int) -> list[TicketSlot]:
    """Every lookup to tickets in the modules ``user`` may read, with the record linked to the ticket."""
    slots = [
        (definition, field) for definition in readable_modules(user) for field in definition.ticket_fields
    ]
    if not slots:
        return []
    links = {
        link.field_id: link.record
        for link in RecordLink.objects.filter(
            target_type="ticket", target_id=ticket_id, field_id__in=[field.pk for _d, field in slots]
        ).select_related("record")
    }
    return [
        TicketSlot(
            definition=definition,
            field=field,
            record=links.get(field.pk),
            can_write=module_level(user, definition.id) >= Level.WRITE,
        )
        for definition, field in slots
    ]
