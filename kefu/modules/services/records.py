"""Writing records: values checked by the custom-field validation, lookups checked against what they
point at, the links kept in step, and an audit entry for every change."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kefu.contacts.models import Account, Contact
from kefu.core.actors import Actor, ActorKind, Source
from kefu.core.audit import audit_record
from kefu.core.errors import NotFound, ValidationFailed
from kefu.core.ids import is_storable_id
from kefu.customfields.validation import FieldSpec, clean_values
from kefu.modules.models import ModuleField, Record, RecordLink
from kefu.modules.selectors import Level, ModuleDefinition, module_definition_by_id, normalise_search
from kefu.modules.services import layout_check
from kefu.modules.services.common import definition_of, require_level
from kefu.tickets.models import Ticket
from kefu.tickets.selectors import visible_tickets

MAX_EXTERNAL_ID = 255
MAX_TICKETS_PER_WRITE = 1000
TITLE_TYPES = ("text", "email", "phone", "url", "number", "decimal", "date")


def _spec(field: ModuleField) -> FieldSpec:
    return FieldSpec(
        key=field.key,
        field_type=field.field_type,
        choices=tuple(field.choices),
        is_required=field.is_required,
    )


def _as_id(value: Any) -> int | None:
    """An id given as a number, or as digits (CSV imports and HTML forms send text)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    return value if isinstance(value, int) and is_storable_id(value) else None


def _lookup_exists(field: ModuleField, target_id: int) -> bool:
    if field.lookup_module == ModuleField.LOOKUP_CONTACTS:
        return Contact.objects.filter(pk=target_id).exists()
    if field.lookup_module == ModuleField.LOOKUP_ACCOUNTS:
        return Account.objects.filter(pk=target_id).exists()
    return Record.objects.filter(pk=target_id, module__key=field.lookup_module).exists()


def _tickets_for(actor: Actor) -> Any:
    """The tickets ``actor`` may link: an agent's visible ones; every live one for the system."""
    if actor.kind is ActorKind.AGENT:
        return visible_tickets(actor.user)
    return Ticket.objects.filter(deleted_at__isnull=True)


def _clean_ticket_ids(
    actor: Actor, field: ModuleField, value: Any, errors: dict[str, str]
) -> list[int] | None:
    name = f"values.{field.key}"
    items = [] if value in (None, "") else value
    if isinstance(items, int | str) and not isinstance(items, bool):
        items = [items]
    if not isinstance(items, list):
        errors[name] = _("Enter a list of ticket ids.")
        return None
    ids = [_as_id(item) for item in items]
    if any(item is None for item in ids):
        errors[name] = _("Enter a list of ticket ids.")
        return None
    wanted = sorted({item for item in ids if item is not None})
    if len(wanted) > MAX_TICKETS_PER_WRITE:
        errors[name] = _("Link at most %(count)d tickets at once.") % {"count": MAX_TICKETS_PER_WRITE}
        return None
    found = set(_tickets_for(actor).filter(pk__in=wanted).values_list("pk", flat=True))
    missing = [str(pk) for pk in wanted if pk not in found]
    if missing:
        errors[name] = _("No such ticket: %(ids)s.") % {"ids": ", ".join(missing)}
        return None
    if field.is_required and not wanted:
        errors[name] = _("This field is required.")
    return wanted


def _clean(
    actor: Actor,
    definition: ModuleDefinition,
    values: Mapping[str, Any],
    existing: Mapping[str, Any],
) -> tuple[dict[str, Any], dict[int, list[int]]]:
    """Merge ``values`` over ``existing`` and check them: ``(clean values, {ticket field id: ticket ids})``.
    Every bad value is reported at once, named ``values.<key>``."""
    errors: dict[str, str] = {}
    lookups = {field.key: field for field in definition.fields if field.is_lookup}
    plain = {key: value for key, value in values.items() if key not in lookups}
    try:
        merged = clean_values(
            [_spec(field) for field in definition.value_fields if not field.is_lookup],
            plain,
            existing={key: value for key, value in existing.items() if key not in lookups},
            field_prefix="values",
        )
    except ValidationFailed as exc:
        errors.update(exc.fields)
        merged = {}
    tickets: dict[int, list[int]] = {}
    for key, field in lookups.items():
        name = f"values.{key}"
        if field.is_ticket_lookup:
            if key in values:
                cleaned = _clean_ticket_ids(actor, field, values[key], errors)
                if cleaned is not None:
                    tickets[field.pk] = cleaned
            continue
        value = values[key] if key in values else existing.get(key)
        if value in (None, ""):
            if field.is_required:
                errors[name] = _("This field is required.")
            continue
        target = _as_id(value)
        if target is None:
            errors[name] = _("Enter the id of a record.")
        elif not _lookup_exists(field, target):
            errors[name] = _("No such record.")
        else:
            merged[key] = target
    if errors:
        raise ValidationFailed(_("Some values are not valid."), fields=errors)
    return merged, tickets


def _title(definition: ModuleDefinition, values: Mapping[str, Any]) -> str:
    for field in definition.value_fields:
        if field.field_type in TITLE_TYPES and values.get(field.key) not in (None, ""):
            return str(values[field.key])[:255]
    return ""


def _search_text(values: Mapping[str, Any], external_id: str) -> str:
    parts: list[str] = [external_id]
    for value in values.values():
        parts.extend(str(item) for item in (value if isinstance(value, list) else [value]))
    return normalise_search(" ".join(parts))


def _write_links(record: Record, definition: ModuleDefinition, values: Mapping[str, Any]) -> None:
    """Mirror the single-valued lookups of ``values`` in RecordLink."""
    for field in definition.fields:
        if not field.is_lookup or field.is_ticket_lookup:
            continue
        RecordLink.objects.filter(record=record, field=field).delete()
        target = values.get(field.key)
        if target is not None:
            kind = (
                RecordLink.Target.CONTACT
                if field.lookup_module == ModuleField.LOOKUP_CONTACTS
                else RecordLink.Target.ACCOUNT
                if field.lookup_module == ModuleField.LOOKUP_ACCOUNTS
                else RecordLink.Target.RECORD
            )
            RecordLink.objects.create(record=record, field=field, target_type=kind, target_id=target)


def _set_tickets(
    actor: Actor, record: Record, field_id: int, ticket_ids: Iterable[int]
) -> dict[str, list[int]]:
    """Make ``record``'s tickets in this field ``ticket_ids``, leaving alone the links to tickets the
    actor cannot see (he neither saw nor sent them). A ticket linked to another record of this field
    moves to this one: a ticket has one record per field."""
    current = set(
        RecordLink.objects.filter(record=record, field_id=field_id, target_type="ticket").values_list(
            "target_id", flat=True
        )
    )
    visible = set(_tickets_for(actor).filter(pk__in=current).values_list("pk", flat=True))
    wanted = set(ticket_ids) | (current - visible)
    removed = sorted(current - wanted)
    added = sorted(wanted - current)
    RecordLink.objects.filter(
        record=record, field_id=field_id, target_type="ticket", target_id__in=removed
    ).delete()
    RecordLink.objects.filter(field_id=field_id, target_type="ticket", target_id__in=added).delete()
    RecordLink.objects.bulk_create(
        [RecordLink(record=record, field_id=field_id, target_type="ticket", target_id=pk) for pk in added]
    )
    return {"added": added, "removed": removed} if added or removed else {}


def _external_id(value: str) -> str:
    value = (value or "").strip()
    if len(value) > MAX_EXTERNAL_ID:
        raise ValidationFailed(
            _("The record is not valid."),
            fields={"external_id": _("Enter at most %(limit)d characters.") % {"limit": MAX_EXTERNAL_ID}},
        )
    return value


def record_create(
    *,
    actor: Actor,
    source: Source,
    module_key: str,
    values: Mapping[str, Any],
    external_id: str = "",
    created_at: dt.datetime | None = None,
) -> Record:
    """A new record. ``created_at`` backdates an imported record; ``external_id`` is the key of the
    record in the system it came from (imports skip what they have already brought in)."""
    definition = definition_of(module_key)
    require_level(actor, definition, Level.WRITE)
    external_id = _external_id(external_id)
    cleaned, tickets = _clean(actor, definition, values, {})
    layout_check.check_create(actor, source, definition, cleaned)
    if external_id and Record.objects.filter(module_id=definition.id, external_id=external_id).exists():
        raise ValidationFailed(
            _("The record is not valid."), fields={"external_id": _("Another record has this external id.")}
        )
    moment = created_at or timezone.now()
    with transaction.atomic():
        record = Record.objects.create(
            module_id=definition.id,
            values=cleaned,
            title=_title(definition, cleaned),
            search_text=_search_text(cleaned, external_id),
            external_id=external_id,
            created_by=actor.user if actor.kind is ActorKind.AGENT else None,
            created_at=moment,
            updated_at=moment,
        )
        _write_links(record, definition, cleaned)
        changes: dict[str, Any] = {"values": cleaned}
        for field_id, ids in tickets.items():
            if _set_tickets(actor, record, field_id, ids):
                changes.setdefault("tickets", {})[str(field_id)] = ids
        audit_record(actor=actor, source=source, action="record.created", obj=record, changes=changes)
    return record


def record_update(*, actor: Actor, source: Source, record: Record, values: Mapping[str, Any]) -> Record:
    """Change some values (``None`` clears one); keys not sent keep their values."""
    definition = module_definition_by_id(record.module_id)
    if definition is None:
        raise NotFound(_("No such module."))
    require_level(actor, definition, Level.WRITE)
    cleaned, tickets = _clean(actor, definition, values, record.values)
    before = record.values
    layout_check.check_update(source, definition, before, cleaned)
    changes: dict[str, Any] = {
        key: [before.get(key), cleaned.get(key)]
        for key in sorted(set(before) | set(cleaned))
        if before.get(key) != cleaned.get(key)
    }
    with transaction.atomic():
        for field_id, ids in tickets.items():
            linked = _set_tickets(actor, record, field_id, ids)
            if linked:
                changes.setdefault("tickets", {})[str(field_id)] = linked
        if not changes:
            return record
        record.values = cleaned
        record.title = _title(definition, cleaned)
        record.search_text = _search_text(cleaned, record.external_id)
        record.updated_at = timezone.now()
        record.save(update_fields=["values", "title", "search_text", "updated_at"])
        _write_links(record, definition, cleaned)
        audit_record(actor=actor, source=source, action="record.updated", obj=record, changes=changes)
    return record


def record_delete(*, actor: Actor, source: Source, record: Record) -> None:
    """Delete a record and its links (the manage level: records may be the history of other records)."""
    definition = module_definition_by_id(record.module_id)
    if definition is None:
        raise NotFound(_("No such module."))
    require_level(actor, definition, Level.MANAGE)
    with transaction.atomic():
        audit_record(
            actor=actor,
            source=source,
            action="record.deleted",
            obj=record,
            changes={"values": record.values, "title": record.title},
        )
        RecordLink.objects.filter(target_type="record", target_id=record.pk).delete()
        record.delete()


def record_ticket_set(
    *, actor: Actor, source: Source, module_key: str, field_key: str, ticket_id: int, record_id: int | None
) -> Record | None:
    """From the ticket page: make ``record_id`` (or nothing) the ticket's record in this lookup field.

    The agent must see the ticket and be able to write the module's records.
    """
    definition = definition_of(module_key)
    require_level(actor, definition, Level.WRITE)
    field = definition.field(field_key)
    if field is None or not field.is_ticket_lookup:
        raise NotFound(_("No such field."))
    if not _tickets_for(actor).filter(pk=ticket_id).exists():
        raise NotFound(_("No such ticket."))
    record = None
    if record_id is not None:
        record = Record.objects.filter(module_id=definition.id, pk=record_id).first()
        if record is None:
            raise ValidationFailed(_("No such record."), fields={"record_id": _("No such record.")})
    current = RecordLink.objects.filter(field=field, target_type="ticket", target_id=ticket_id).first()
    if (current.record_id if current else None) == record_id:
        return record
    with transaction.atomic():
        if current is not None:
            current.delete()
            audit_record(
                actor=actor,
                source=source,
                action="record.ticket_unlinked",
                obj=current.record,
                changes={"field": field.key, "ticket_id": ticket_id},
            )
        if record is not None:
            RecordLink.objects.create(record=record, field=field, target_type="ticket", target_id=ticket_id)
            audit_record(
                actor=actor,
                source=source,
                action="record.ticket_linked",
                obj=record,
                changes={"field": field.key, "ticket_id": ticket_id},
            )
    return record
