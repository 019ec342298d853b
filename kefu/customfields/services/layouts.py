"""Writing layouts: the sections, fields, mandatory flags and rules of one module for one department.

A layout is written whole (the settings page and ``PUT /api/v1/layouts/{module}`` send all of it), and
every problem is reported at once, named by its place in the payload (``sections.0.fields.2.field``,
``rules.1.when.values``). Layouts exist for the modules whose owning app registered them
(``kefu.customfields.layouts.register_builtin_fields`` for tickets, contacts and accounts,
``register_layout_modules`` for custom modules) and whose services enforce them through
``layout_missing`` below.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from kefu.core.actors import Actor, Source
from kefu.core.audit import audit_record
from kefu.core.catalog_cache import cached
from kefu.core.errors import NotFound, ValidationFailed
from kefu.customfields.layouts import (
    CLOSE,
    CUSTOM_PREFIX,
    LayoutModule,
    builtin_choices,
    builtin_fields,
    builtin_module,
    builtin_modules,
    provided_modules,
)
from kefu.customfields.models import CustomField, Layout
from kefu.customfields.selectors import layout_row, layout_spec
from kefu.org import permissions
from kefu.org.models import Department
from kefu.org.services import require_permission

MAX_SECTIONS = 20
MAX_FIELDS = 200
MAX_RULES = 100
MAX_VALUES = 50
MAX_NAME = 100
_SECTION_KEY_MAX = 32


def _custom_field_catalog(module: str, department_id: int | None) -> dict[str, str]:
    catalog = {name: str(label) for name, label in builtin_fields(module)}
    fields = CustomField.objects.filter(module=module, is_active=True)
    if department_id is not None:
        fields = fields.filter(Q(departments__isnull=True) | Q(departments=department_id)).distinct()
    for field in fields.order_by("order", "id"):
        catalog[f"{CUSTOM_PREFIX}{field.key}"] = field.display_name
    return catalog


def _custom_field_choices(module: str) -> dict[str, list[tuple[str, str]]]:
    choices = builtin_choices(module)
    for field in CustomField.objects.filter(module=module, is_active=True).prefetch_related("options"):
        if field.field_type in (CustomField.FieldType.PICKLIST, CustomField.FieldType.MULTI_SELECT):
            values = [(option.value, option.display_label) for option in field.options.all()]
            choices[f"{CUSTOM_PREFIX}{field.key}"] = values or [(choice, choice) for choice in field.choices]
        elif field.field_type == CustomField.FieldType.CHECKBOX:
            choices[f"{CUSTOM_PREFIX}{field.key}"] = [("true", _("Ticked")), ("false", _("Not ticked"))]
    return choices


def _layout_module(name: str) -> LayoutModule | None:
    found = builtin_module(name)
    if found is not None:
        return LayoutModule(
            name=name,
            label=CustomField.Module(name).label if name in CustomField.Module.values else name,
            fields=lambda department_id: _custom_field_catalog(name, department_id),
            choices=lambda: _custom_field_choices(name),
            strict_values=lambda field: _option_values(name, field),
            phases=found.phases,
            per_department=found.per_department,
        )
    return next((module for module in provided_modules() if module.name == name), None)


def layout_module_get(name: str) -> LayoutModule | None:
    """The module called ``name`` if it can have layouts (its owner registered it and enforces them)."""
    return _layout_module(name)


def layout_module_list() -> list[LayoutModule]:
    """Every module that can have layouts: tickets, contacts, accounts, then the custom modules."""
    ordered = [name for name in CustomField.Module.values if builtin_module(name)]
    ordered += [name for name in builtin_modules() if name not in ordered]
    found = [module for module in (_layout_module(name) for name in ordered) if module is not None]
    return found + provided_modules()


def layout_field_catalog(module: str, department_id: int | None) -> dict[str, str]:
    """Every field a layout of ``module`` may place, as API name → label: the module's built-in fields,
    then its active custom fields that apply to ``department_id`` (all departments: every one)."""
    found = _layout_module(module)
    return dict(found.fields(department_id)) if found else {}


def layout_field_choices(module: str) -> dict[str, list[tuple[str, str]]]:
    """What a rule may compare each field of ``module`` with, where that is known (for the editor)."""
    found = _layout_module(module)
    return {name: list(values) for name, values in found.choices().items()} if found else {}


def layout_modules() -> list[str]:
    """The modules that can have layouts (their fields are registered and their services enforce them)."""
    return [module.name for module in layout_module_list()]


def _placeable(module: str, department_id: int | None) -> frozenset[str]:
    return cached(
        ("customfields.layout_placeable", module, department_id),
        lambda: frozenset(layout_field_catalog(module, department_id)),
    )


def layout_missing(
    module: str,
    department_id: int | None,
    values: Mapping[str, Any],
    *,
    phases: Iterable[str] = (),
    touched: Iterable[str] | None = None,
    keep: Iterable[str] = (),
) -> list[str]:
    """The fields the layout ``module``'s records of ``department_id`` follow makes mandatory and that
    ``values`` (by layout name) leave empty, in layout order, for one write:

    - ``phases``: the fields mandatory when creating (``create``) or closing (``close``);
    - ``touched`` (a change to an existing record; the names that really changed): the fields a rule
      the change triggered makes mandatory, and those of ``keep`` phases the change emptied.

    A field that no longer applies (a custom field deactivated, or limited to other departments since
    the layout placed it) is never asked for: the record could not give it a value. Services call this
    and refuse with a 422 naming each field (``ValidationFailed``)."""
    spec = layout_spec(module, department_id)
    if spec is None:
        return []
    missing: list[str] = []
    for phase in phases:
        missing += spec.missing(values, phase=phase)
    if touched is not None:
        touched = set(touched)
        missing += spec.missing_after_change(values, touched)
        for phase in keep:
            missing += spec.emptied(values, touched, phase=phase)
    placeable = _placeable(module, department_id)
    return [name for name in dict.fromkeys(missing) if name in placeable]


def layout_refuse(missing: Iterable[str], message: str) -> None:
    """Refuse a write whose layout's mandatory fields ``missing`` are empty: a 422 naming each."""
    fields = {name: _("This field is required.") for name in missing}
    if fields:
        raise ValidationFailed(message, fields=fields)


def _text(value: Any, limit: int) -> str | None:
    if value is None:
        return ""
    if not isinstance(value, str) or len(value.strip()) > limit:
        return None
    return value.strip()


def _clean_sections(
    raw: Any, catalog: dict[str, str], phases: tuple[str, ...], errors: dict[str, str]
) -> list[dict[str, Any]]:
    if not isinstance(raw, list):
        errors["sections"] = _("Give a list of sections.")
        return []
    if len(raw) > MAX_SECTIONS:
        errors["sections"] = _("At most %(count)d sections.") % {"count": MAX_SECTIONS}
        return []
    sections: list[dict[str, Any]] = []
    seen_keys: set[str] = set()
    placed: set[str] = set()
    for index, section in enumerate(raw):
        where = f"sections.{index}"
        if not isinstance(section, dict):
            errors[where] = _("Give a section as an object.")
            continue
        key = section.get("key")
        if not isinstance(key, str) or not key.strip() or len(key.strip()) > _SECTION_KEY_MAX:
            errors[f"{where}.key"] = _("Enter a key of at most %(limit)d characters.") % {
                "limit": _SECTION_KEY_MAX
            }
        elif key.strip() in seen_keys:
            errors[f"{where}.key"] = _("Each section key may appear only once.")
        else:
            seen_keys.add(key.strip())
        name, name_en = _text(section.get("name"), MAX_NAME), _text(section.get("name_en"), MAX_NAME)
        if not name:
            errors[f"{where}.name"] = _("Enter a name of at most %(limit)d characters.") % {"limit": MAX_NAME}
        if name_en is None:
            errors[f"{where}.name_en"] = _("Enter at most %(limit)d characters.") % {"limit": MAX_NAME}
        fields = _clean_fields(section.get("fields"), f"{where}.fields", catalog, phases, placed, errors)
        sections.append(
            {
                "key": key.strip() if isinstance(key, str) else "",
                "name": name or "",
                "name_en": name_en or "",
                "fields": fields,
            }
        )
    if len(placed) > MAX_FIELDS:
        errors["sections"] = _("At most %(count)d fields.") % {"count": MAX_FIELDS}
    return sections


def _clean_fields(
    raw: Any,
    where: str,
    catalog: dict[str, str],
    phases: tuple[str, ...],
    placed: set[str],
    errors: dict[str, str],
) -> list[dict[str, Any]]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        errors[where] = _("Give a list of fields.")
        return []
    fields = []
    for index, item in enumerate(raw):
        spot = f"{where}.{index}"
        if not isinstance(item, dict):
            errors[spot] = _("Give a field as an object.")
            continue
        name = item.get("field")
        if not isinstance(name, str) or name not in catalog:
            errors[f"{spot}.field"] = _("Unknown field “%(name)s”.") % {"name": name}
            continue
        if name in placed:
            errors[f"{spot}.field"] = _("“%(name)s” is already in the layout.") % {"name": name}
            continue
        flags = {}
        for flag in ("required_on_create", "required_on_close"):
            value = item.get(flag, False)
            if not isinstance(value, bool):
                errors[f"{spot}.{flag}"] = _("Enter true or false.")
            elif value and flag == "required_on_close" and CLOSE not in phases:
                errors[f"{spot}.{flag}"] = _("Records of this module are never closed.")
            flags[flag] = value is True
        placed.add(name)
        fields.append({"field": name, **flags})
    return fields


def _option_values(module: str, name: str) -> list[str] | None:
    """A pick list's (or multi-select's) values, or ``None`` when any value is allowed."""
    if not name.startswith(CUSTOM_PREFIX):
        return None
    field = CustomField.objects.filter(module=module, key=name.removeprefix(CUSTOM_PREFIX)).first()
    if field is None or field.field_type not in (
        CustomField.FieldType.PICKLIST,
        CustomField.FieldType.MULTI_SELECT,
    ):
        return None
    values = list(field.options.values_list("value", flat=True))
    return values or list(field.choices)


def _clean_rules(
    raw: Any, strict_values: Callable[[str], list[str] | None], placed: list[str], errors: dict[str, str]
) -> list[dict[str, Any]]:
    if raw is None:
        return []
    if not isinstance(raw, list) or len(raw) > MAX_RULES:
        errors["rules"] = _("Give a list of at most %(count)d rules.") % {"count": MAX_RULES}
        return []
    rules = []
    for index, rule in enumerate(raw):
        where = f"rules.{index}"
        if not isinstance(rule, dict):
            errors[where] = _("Give a rule as an object.")
            continue
        when = rule.get("when")
        if not isinstance(when, dict):
            when = {}
        field = when.get("field")
        if field not in placed:
            errors[f"{where}.when.field"] = _("Choose a field of the layout.")
        values = when.get("values")
        if isinstance(values, str | int) and not isinstance(values, bool):
            values = [values]
        if (
            not isinstance(values, list)
            or not values
            or len(values) > MAX_VALUES
            or any(
                isinstance(v, bool) or not isinstance(v, str | int) or len(str(v)) > MAX_NAME for v in values
            )
        ):
            errors[f"{where}.when.values"] = _("Give from 1 to %(count)d values.") % {"count": MAX_VALUES}
            values = []
        values = [str(value).strip() for value in values]
        offered = strict_values(field) if isinstance(field, str) else None
        if offered is not None and any(value not in offered for value in values):
            errors[f"{where}.when.values"] = _("Choose among: %(values)s.") % {"values": ", ".join(offered)}
        show = rule.get("show")
        if not isinstance(show, list) or not show:
            errors[f"{where}.show"] = _("Choose at least one field to show.")
            show = []
        for spot, name in enumerate(show):
            if name not in placed:
                errors[f"{where}.show.{spot}"] = _("Choose a field of the layout.")
            elif name == field:
                errors[f"{where}.show.{spot}"] = _("A rule cannot show the field it depends on.")
        require = rule.get("require", True)
        if not isinstance(require, bool):
            errors[f"{where}.require"] = _("Enter true or false.")
        rules.append(
            {
                "when": {"field": field, "values": values},
                "show": list(dict.fromkeys(show)),
                "require": require is True,
            }
        )
    return rules


def _department(department_id: int | None, errors: dict[str, str]) -> Department | None:
    if department_id is None:
        return None
    found = Department.objects.filter(pk=department_id).first()
    if found is None:
        errors["department_id"] = _("Unknown id %(id)s.") % {"id": department_id}
    return found


def layout_save(
    *,
    actor: Actor,
    source: Source,
    module: str,
    department_id: int | None,
    sections: Any,
    rules: Any = (),
) -> Layout:
    """Write the layout of ``module`` for ``department_id`` (``None``: every department without its
    own), replacing what was there."""
    require_permission(actor, permissions.SETTINGS_MANAGE)
    errors: dict[str, str] = {}
    found = _layout_module(module)
    if found is None:
        raise ValidationFailed(
            _("The layout is not valid."), fields={"module": _("Layouts are not available for this module.")}
        )
    if department_id is not None and not found.per_department:
        raise ValidationFailed(
            _("The layout is not valid."),
            fields={"department_id": _("This module has one layout for every department.")},
        )
    department = _department(department_id, errors)
    catalog = found.fields(department_id) if not errors else {}
    cleaned_sections = _clean_sections(sections, dict(catalog), found.phases, errors)
    placed = [field["field"] for section in cleaned_sections for field in section["fields"]]
    cleaned_rules = _clean_rules(
        list(rules) if isinstance(rules, tuple) else rules, found.strict_values, placed, errors
    )
    if errors:
        raise ValidationFailed(_("The layout is not valid."), fields=errors)
    with transaction.atomic():
        row = Layout.objects.select_for_update().filter(module=module, department=department).first()
        before = {"sections": row.sections, "rules": row.rules} if row else None
        if row is None:
            row = Layout(module=module, department=department)
        row.sections, row.rules = cleaned_sections, cleaned_rules
        row.save()
        audit_record(
            actor=actor,
            source=source,
            action="layout.saved",
            obj=row,
            changes={"before": before, "after": {"sections": cleaned_sections, "rules": cleaned_rules}},
        )
    return row


def layout_delete(*, actor: Actor, source: Source, module: str, department_id: int | None) -> None:
    """Remove a layout: the department falls back to the default layout (or to none)."""
    require_permission(actor, permissions.SETTINGS_MANAGE)
    with transaction.atomic():
        row = layout_row(module, department_id)
        if row is None:
            raise NotFound(_("No such layout."))
        audit_record(
            actor=actor,
            source=source,
            action="layout.deleted",
            obj=row,
            changes={"before": {"sections": row.sections, "rules": row.rules}},
        )
        row.delete()
