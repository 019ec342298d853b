"""Writing custom-field definitions.

A field's module, key and type are fixed once created: stored values are keyed by ``key`` and were
cleaned for that type, so changing them would silently orphan or invalidate existing data. To change
them, deactivate the field and create a new one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from kefu.core.actors import Actor, Source
from kefu.core.audit import audit_record
from kefu.core.errors import Conflict, NotFound, ValidationFailed
from kefu.core.validation import clean_catalogue_names
from kefu.customfields.models import CustomField
from kefu.customfields.services.options import sync_options
from kefu.org import permissions
from kefu.org.models import Department
from kefu.org.services import require_permission

CHOICE_TYPES = (CustomField.FieldType.PICKLIST, CustomField.FieldType.MULTI_SELECT)
MAX_CHOICES = 200
MAX_CHOICE_LENGTH = 100
_KEY = re.compile(r"^[a-z][a-z0-9_]{0,63}$")


def _clean_choices(errors: dict[str, str], field_type: str, choices: Sequence[str]) -> list[str]:
    cleaned = [choice.strip() for choice in choices if choice.strip()]
    if field_type not in CHOICE_TYPES:
        if cleaned:
            errors["choices"] = _("Only pick lists and multi-selects have choices.")
        return []
    if not cleaned:
        errors["choices"] = _("Enter at least one choice.")
    elif len(cleaned) > MAX_CHOICES:
        errors["choices"] = _("Enter at most %(count)d choices.") % {"count": MAX_CHOICES}
    elif any(len(choice) > MAX_CHOICE_LENGTH for choice in cleaned):
        errors["choices"] = _("A choice has at most %(count)d characters.") % {"count": MAX_CHOICE_LENGTH}
    elif len(set(cleaned)) != len(cleaned):
        errors["choices"] = _("Each choice may appear only once.")
    return cleaned


def _clean_parent(
    errors: dict[str, str], field: CustomField | None, module: str, parent_id: int | None
) -> None:
    """A dependent pick list's parent: another active pick list of the same module, without a loop."""
    if parent_id is None:
        return
    parent = CustomField.objects.filter(pk=parent_id, module=module).first()
    if parent is None or parent.field_type != CustomField.FieldType.PICKLIST:
        errors["parent_id"] = _("Choose a pick list of the same module.")
        return
    seen = {field.pk} if field is not None else set()
    while parent is not None:
        if parent.pk in seen:
            errors["parent_id"] = _("A field cannot depend on itself, even through others.")
            return
        seen.add(parent.pk)
        parent = parent.parent


def _clean_common(
    errors: dict[str, str],
    *,
    module: str,
    field_type: str,
    name: str,
    name_en: str,
    choices: Sequence[str] | None,
    department_ids: Iterable[int],
    order: int,
) -> dict[str, Any]:
    values = clean_catalogue_names(errors, name=name, name_en=name_en, order=order)
    if choices is not None:
        values["choices"] = _clean_choices(errors, field_type, choices)
    department_ids = sorted(set(department_ids))
    if department_ids and module != CustomField.Module.TICKET:
        errors["department_ids"] = _("Only ticket fields can be limited to departments.")
    elif Department.objects.filter(pk__in=department_ids).count() != len(department_ids):
        errors["department_ids"] = _("Unknown department.")
    values["department_ids"] = department_ids
    return values


def custom_field_create(
    *,
    actor: Actor,
    source: Source,
    module: str,
    key: str,
    field_type: str,
    name: str,
    name_en: str = "",
    choices: Sequence[str] = (),
    is_required: bool = False,
    department_ids: Iterable[int] = (),
    order: int = 0,
    is_active: bool = True,
    parent_id: int | None = None,
) -> CustomField:
    """Define a field; a pick list's ``choices`` become its first values, offered everywhere, and
    ``parent_id`` makes it depend on another pick list (each value then says under which parent values
    it is offered)."""
    require_permission(actor, permissions.SETTINGS_MANAGE)
    errors: dict[str, str] = {}
    if module not in CustomField.Module.values:
        errors["module"] = _("Choose ticket, contact or account.")
    if field_type not in CustomField.FieldType.values:
        errors["field_type"] = _("Unknown field type.")
    key = key.strip().lower()
    if not _KEY.match(key):
        errors["key"] = _("Start with a letter; use lower-case letters, digits and underscores (at most 64).")
    values = _clean_common(
        errors,
        module=module,
        field_type=field_type,
        name=name,
        name_en=name_en,
        choices=choices,
        department_ids=department_ids,
        order=order,
    )
    if parent_id is not None and field_type not in CHOICE_TYPES:
        errors["parent_id"] = _("Only pick lists and multi-selects can depend on another field.")
    _clean_parent(errors, None, module, parent_id)
    if errors:
        raise ValidationFailed(_("The custom field is not valid."), fields=errors)
    if CustomField.objects.filter(module=module, key=key).exists():
        raise Conflict(
            _("This module already has a field with this key."), fields={"key": _("Already in use.")}
        )
    department_ids = values.pop("department_ids")
    choices = values.pop("choices")
    with transaction.atomic():
        field = CustomField.objects.create(
            module=module,
            key=key,
            field_type=field_type,
            is_required=is_required,
            is_active=is_active,
            parent_id=parent_id,
            **values,
        )
        field.departments.set(department_ids)
        if choices:
            sync_options(field, choices)
        audit_record(
            actor=actor,
            source=source,
            action="custom_field.created",
            obj=field,
            changes={
                "module": module,
                "key": key,
                "field_type": field_type,
                "is_required": is_required,
                "department_ids": department_ids,
                "choices": choices,
                **({"parent_id": parent_id} if parent_id is not None else {}),
                **values,
            },
        )
    return field


def custom_field_update(
    *,
    actor: Actor,
    source: Source,
    field_id: int,
    name: str,
    name_en: str = "",
    choices: Sequence[str] | None = None,
    is_required: bool = False,
    department_ids: Iterable[int] = (),
    order: int = 0,
    is_active: bool = True,
    parent_id: int | None = None,
) -> CustomField:
    """Change a field's names, choices, required flag, departments, order, activity or parent.

    ``choices`` (when given) become the offered values: a removed choice is retired, so the records that
    hold it keep it (see ``services.options``); ``None`` leaves the values as they are.
    """
    require_permission(actor, permissions.SETTINGS_MANAGE)
    field = CustomField.objects.filter(pk=field_id).first()
    if field is None:
        raise NotFound(_("No such custom field."))
    errors: dict[str, str] = {}
    values = _clean_common(
        errors,
        module=field.module,
        field_type=field.field_type,
        name=name,
        name_en=name_en,
        choices=choices,
        department_ids=department_ids,
        order=order,
    )
    if parent_id is not None and field.field_type not in CHOICE_TYPES:
        errors["parent_id"] = _("Only pick lists and multi-selects can depend on another field.")
    if parent_id != field.parent_id:
        _clean_parent(errors, field, field.module, parent_id)
    if errors:
        raise ValidationFailed(_("The custom field is not valid."), fields=errors)
    values.update(is_required=is_required, is_active=is_active, parent_id=parent_id)
    choices = values.pop("choices", None)
    department_ids = values.pop("department_ids")
    before_departments = sorted(field.departments.values_list("id", flat=True))
    changes: dict[str, Any] = {
        name_: [getattr(field, name_), value]
        for name_, value in values.items()
        if getattr(field, name_) != value
    }
    if before_departments != department_ids:
        changes["department_ids"] = [before_departments, department_ids]
    if choices is not None and choices != field.choices:
        changes["choices"] = [field.choices, choices]
    if not changes:
        return field
    with transaction.atomic():
        for name_, value in values.items():
            setattr(field, name_, value)
        field.save(update_fields=list(values))
        field.departments.set(department_ids)
        if choices is not None:
            sync_options(field, choices)
        audit_record(actor=actor, source=source, action="custom_field.updated", obj=field, changes=changes)
    return field
