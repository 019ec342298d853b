"""Defining modules: their names, fields and which roles may read, write or manage them.

Creating a module needs the settings permission; changing one needs that or the manage level in it.
A field's key and type are fixed once created, as for custom fields: stored values are keyed by the key
and were cleaned for the type. Dropping a field from a definition deactivates it and keeps its values.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from kefu.core.actors import Actor, ActorKind, Source
from kefu.core.audit import audit_record
from kefu.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from kefu.customfields.models import CustomField
from kefu.modules.inputs import FieldInput
from kefu.modules.models import CustomModule, ModuleField, ModuleRoleAccess
from kefu.modules.selectors import DEFAULT_LEVELS, Level, module_level
from kefu.org import permissions
from kefu.org.models import Role
from kefu.org.services import require_permission

_KEY = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
_FIELD_KEY = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
FIELD_TYPES = (*CustomField.FieldType.values, ModuleField.LOOKUP)
CHOICE_TYPES = ("picklist", "multi_select")
LOOKUP_TARGETS = (ModuleField.LOOKUP_TICKETS, ModuleField.LOOKUP_CONTACTS, ModuleField.LOOKUP_ACCOUNTS)
MAX_FIELDS = 100
MAX_OPTIONS = 200
MAX_OPTION_LENGTH = 100
MAX_NAME = 100


def _require_manage(actor: Actor, module: CustomModule) -> None:
    """Administrators (settings permission) and agents with the manage level in this module."""
    if actor.kind is ActorKind.AGENT and module_level(actor.user, module.pk) >= Level.MANAGE:
        return
    require_permission(actor, permissions.SETTINGS_MANAGE)
    if actor.kind not in (ActorKind.AGENT, ActorKind.SYSTEM):
        raise PermissionDenied(_("You do not have permission to do this."))


def _name(errors: dict[str, str], field: str, value: str, *, required: bool = True) -> str:
    value = value.strip()
    if required and not value:
        errors[field] = _("This field is required.")
    elif len(value) > MAX_NAME:
        errors[field] = _("Enter at most %(limit)d characters.") % {"limit": MAX_NAME}
    return value


def _options(errors: dict[str, str], name: str, field_type: str, options: Sequence[str]) -> list[str]:
    cleaned = [str(option).strip() for option in options if str(option).strip()]
    if field_type not in CHOICE_TYPES:
        if cleaned:
            errors[name] = _("Only pick lists and multi-selects have options.")
        return []
    if not cleaned:
        errors[name] = _("Enter at least one option.")
    elif len(cleaned) > MAX_OPTIONS:
        errors[name] = _("Enter at most %(count)d options.") % {"count": MAX_OPTIONS}
    elif any(len(option) > MAX_OPTION_LENGTH for option in cleaned):
        errors[name] = _("An option has at most %(count)d characters.") % {"count": MAX_OPTION_LENGTH}
    elif len(set(cleaned)) != len(cleaned):
        errors[name] = _("Each option may appear only once.")
    return cleaned


def _lookup_target(errors: dict[str, str], name: str, field_type: str, target: str, own_key: str) -> str:
    target = target.strip()
    if field_type != ModuleField.LOOKUP:
        if target:
            errors[name] = _("Only lookup fields look up another module.")
        return ""
    if target in LOOKUP_TARGETS or target == own_key or CustomModule.objects.filter(key=target).exists():
        return target
    errors[name] = _("Choose tickets, contacts, accounts or the key of a module.")
    return target


def _clean_field(
    errors: dict[str, str], prefix: str, data: FieldInput, *, own_key: str, field_type: str | None = None
) -> dict[str, Any]:
    """The columns of one field from ``data``; errors go to ``errors`` under ``prefix + attribute``.
    ``field_type`` is the stored type when an existing field is changed (its type cannot change)."""
    key = data.key.strip().lower()
    if not _FIELD_KEY.match(key):
        errors[f"{prefix}key"] = _(
            "Start with a letter; use lower-case letters, digits and underscores (at most 64)."
        )
    if field_type is None:
        field_type = data.type
        if field_type not in FIELD_TYPES:
            errors[f"{prefix}type"] = _("Unknown field type.")
    elif data.type and data.type != field_type:
        errors[f"{prefix}type"] = _("A field's type cannot change; add a new field instead.")
    return {
        "key": key,
        "field_type": field_type,
        "label": _name(errors, f"{prefix}label", data.label),
        "label_en": _name(errors, f"{prefix}label_en", data.label_en, required=False),
        "is_required": bool(data.required),
        "choices": _options(errors, f"{prefix}options", field_type, data.options),
        "lookup_module": _lookup_target(
            errors, f"{prefix}lookup_module", field_type, data.lookup_module, own_key
        ),
    }


def _field_changes(field: ModuleField, values: Mapping[str, Any]) -> dict[str, list[Any]]:
    return {
        name: [getattr(field, name), value]
        for name, value in values.items()
        if name not in ("key", "field_type") and getattr(field, name) != value
    }


def _clean_module(errors: dict[str, str], *, name: str, name_en: str, description: str) -> dict[str, str]:
    return {
        "name": _name(errors, "name", name),
        "name_en": _name(errors, "name_en", name_en, required=False),
        "description": description.strip()[:2000],
    }


def module_create(
    *,
    actor: Actor,
    source: Source,
    key: str,
    name: str,
    name_en: str = "",
    description: str = "",
    fields: Sequence[FieldInput] = (),
) -> CustomModule:
    """A new module with its fields; each built-in role gets its default level (see DEFAULT_LEVELS)."""
    require_permission(actor, permissions.SETTINGS_MANAGE)
    if actor.kind not in (ActorKind.AGENT, ActorKind.SYSTEM):
        raise PermissionDenied(_("You do not have permission to do this."))
    errors: dict[str, str] = {}
    key = key.strip().lower()
    if not _KEY.match(key):
        errors["key"] = _("Start with a letter; use lower-case letters, digits and underscores (at most 40).")
    values = _clean_module(errors, name=name, name_en=name_en, description=description)
    if len(fields) > MAX_FIELDS:
        errors["fields"] = _("A module has at most %(count)d fields.") % {"count": MAX_FIELDS}
    cleaned = [_clean_field(errors, f"fields.{i}.", data, own_key=key) for i, data in enumerate(fields)]
    seen: set[str] = set()
    for i, field in enumerate(cleaned):
        if field["key"] in seen:
            errors[f"fields.{i}.key"] = _("Each field needs its own key.")
        seen.add(field["key"])
    if errors:
        raise ValidationFailed(_("The module is not valid."), fields=errors)
    if CustomModule.objects.filter(key=key).exists():
        raise Conflict(_("A module with this key exists."), fields={"key": _("Already in use.")})
    with transaction.atomic():
        module = CustomModule.objects.create(key=key, **values)
        ModuleField.objects.bulk_create(
            [ModuleField(module=module, order=i, **field) for i, field in enumerate(cleaned)]
        )
        ModuleRoleAccess.objects.bulk_create(
            [
                ModuleRoleAccess(module=module, role=role, level=DEFAULT_LEVELS.get(role.key, Level.READ))
                for role in Role.objects.all()
            ]
        )
        audit_record(
            actor=actor,
            source=source,
            action="module.created",
            obj=module,
            changes={"key": key, **values, "fields": [field["key"] for field in cleaned]},
        )
    return module


def module_update(
    *,
    actor: Actor,
    source: Source,
    module: CustomModule,
    name: str,
    name_en: str = "",
    description: str = "",
    is_active: bool = True,
    fields: Sequence[FieldInput] | None = None,
) -> CustomModule:
    """Change names and activity; with ``fields``, make the definition's fields exactly these (in this
    order): known keys are changed, new keys added, and active fields not named are deactivated."""
    _require_manage(actor, module)
    errors: dict[str, str] = {}
    values: dict[str, Any] = _clean_module(errors, name=name, name_en=name_en, description=description)
    values["is_active"] = is_active
    existing = {field.key: field for field in ModuleField.objects.filter(module=module)}
    cleaned: list[dict[str, Any]] = []
    for i, data in enumerate(fields or ()):
        known = existing.get(data.key.strip().lower())
        cleaned.append(
            _clean_field(
                errors,
                f"fields.{i}.",
                data,
                own_key=module.key,
                field_type=known.field_type if known else None,
            )
        )
    if len({field["key"] for field in cleaned}) != len(cleaned):
        errors["fields"] = _("Each field needs its own key.")
    if errors:
        raise ValidationFailed(_("The module is not valid."), fields=errors)
    changes: dict[str, Any] = {
        name_: [getattr(module, name_), value]
        for name_, value in values.items()
        if getattr(module, name_) != value
    }
    with transaction.atomic():
        for name_, value in values.items():
            setattr(module, name_, value)
        module.save(update_fields=list(values))
        if fields is not None:
            named = set()
            for order, field_values in enumerate(cleaned):
                named.add(field_values["key"])
                field = existing.get(field_values["key"])
                if field is None:
                    ModuleField.objects.create(module=module, order=order, **field_values)
                    changes.setdefault("fields_added", []).append(field_values["key"])
                    continue
                field_values = {**field_values, "order": order, "is_active": True}
                diff = _field_changes(field, field_values)
                if diff:
                    for attr, value in field_values.items():
                        setattr(field, attr, value)
                    field.save()
                    changes[f"fields.{field.key}"] = diff
            for key, field in existing.items():
                if key not in named and field.is_active:
                    field.is_active = False
                    field.save(update_fields=["is_active"])
                    changes.setdefault("fields_deactivated", []).append(key)
        if changes:
            audit_record(actor=actor, source=source, action="module.updated", obj=module, changes=changes)
    return module


def module_field_add(*, actor: Actor, source: Source, module: CustomModule, data: FieldInput) -> ModuleField:
    """Add one field at the end (the console's field builder)."""
    _require_manage(actor, module)
    errors: dict[str, str] = {}
    values = _clean_field(errors, "", data, own_key=module.key)
    if errors:
        raise ValidationFailed(_("The field is not valid."), fields=errors)
    if ModuleField.objects.filter(module=module, key=values["key"]).exists():
        raise Conflict(
            _("This module already has a field with this key."), fields={"key": _("Already in use.")}
        )
    if ModuleField.objects.filter(module=module).count() >= MAX_FIELDS:
        raise ValidationFailed(
            _("A module has at most %(count)d fields.") % {"count": MAX_FIELDS},
            fields={"key": _("A module has at most %(count)d fields.") % {"count": MAX_FIELDS}},
        )
    last = (
        ModuleField.objects.filter(module=module).order_by("-order").values_list("order", flat=True).first()
    )
    with transaction.atomic():
        field = ModuleField.objects.create(module=module, order=(last or 0) + 1, **values)
        audit_record(
            actor=actor, source=source, action="module.field_added", obj=module, changes={"field": values}
        )
    return field


def module_field_update(
    *,
    actor: Actor,
    source: Source,
    field_id: int,
    data: FieldInput,
    is_active: bool = True,
    order: int | None = None,
) -> ModuleField:
    """Change one field's labels, options, required flag, order or activity (not its key or type)."""
    field = ModuleField.objects.select_related("module").filter(pk=field_id).first()
    if field is None:
        raise NotFound(_("No such field."))
    _require_manage(actor, field.module)
    errors: dict[str, str] = {}
    values = _clean_field(
        errors,
        "",
        FieldInput(**{**data.__dict__, "key": field.key}),
        own_key=field.module.key,
        field_type=field.field_type,
    )
    if errors:
        raise ValidationFailed(_("The field is not valid."), fields=errors)
    values["is_active"] = is_active
    if order is not None:
        values["order"] = order
    diff = _field_changes(field, values)
    if not diff:
        return field
    with transaction.atomic():
        for attr, value in values.items():
            setattr(field, attr, value)
        field.save()
        audit_record(
            actor=actor,
            source=source,
            action="module.field_updated",
            obj=field.module,
            changes={f"fields.{field.key}": diff},
        )
    return field


def module_access_set(
    *, actor: Actor, source: Source, module: CustomModule, levels: Mapping[int, int]
) -> CustomModule:
    """Set each role's level (``role id → Level``) in ``module``."""
    _require_manage(actor, module)
    roles = set(Role.objects.filter(pk__in=list(levels)).values_list("pk", flat=True))
    errors = {
        f"levels.{role_id}": _("Unknown role.") if role_id not in roles else _("Unknown access level.")
        for role_id, level in levels.items()
        if role_id not in roles or level not in Level.values
    }
    if errors:
        raise ValidationFailed(_("The access levels are not valid."), fields=errors)
    current = dict(ModuleRoleAccess.objects.filter(module=module).values_list("role_id", "level"))
    changes = {
        str(role_id): [current.get(role_id), level]
        for role_id, level in levels.items()
        if current.get(role_id) != level
    }
    if not changes:
        return module
    with transaction.atomic():
        for role_id, level in levels.items():
            ModuleRoleAccess.objects.update_or_create(
                module=module, role_id=role_id, defaults={"level": level}
            )
        audit_record(actor=actor, source=source, action="module.access_changed", obj=module, changes=changes)
    return module
