"""The values of pick lists and multi-selects: per department, dependent on a parent field, coloured,
ordered and retired rather than deleted.

An option's ``value`` is what records store, so it is fixed once created (like a field's key): records
keep pointing at it whatever happens to its label, colour, departments or order. Retiring stops
offering it while every record that holds it keeps it and still shows its label and colour; restoring
offers it again. Every write keeps the field's ``choices`` (the offered values, in order) in step.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from kefu.core.actors import Actor, Source
from kefu.core.audit import audit_record
from kefu.core.errors import Conflict, NotFound, ValidationFailed
from kefu.core.validation import MAX_CATALOGUE_ORDER
from kefu.customfields.models import CustomField, PicklistOption
from kefu.org import permissions
from kefu.org.models import Department
from kefu.org.services import require_permission

MAX_VALUE = 100
MAX_OPTIONS = 500
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
CHOICE_TYPES = (CustomField.FieldType.PICKLIST, CustomField.FieldType.MULTI_SELECT)
# What ``option_update`` accepts; ``value`` is permanent.
OPTION_FIELDS = ("label", "label_en", "colour", "department_ids", "parent_values", "order", "retired")


def choice_field_get(field_id: int) -> CustomField:
    """The pick list or multi-select ``field_id``; any other field has no options to edit."""
    field = CustomField.objects.select_related("parent").filter(pk=field_id).first()
    if field is None or field.field_type not in CHOICE_TYPES:
        raise NotFound(_("No such pick list."))
    return field


def refresh_choices(field: CustomField) -> None:
    """Store the offered values, in order, in ``field.choices`` (after any option write)."""
    offered = list(
        PicklistOption.objects.filter(field=field, retired=False)
        .order_by("order", "id")
        .values_list("value", flat=True)
    )
    if offered != field.choices:
        field.choices = offered
        field.save(update_fields=["choices"])


def _clean_text(errors: dict[str, str], name: str, value: Any, *, required: bool) -> str:
    if not isinstance(value, str):
        errors[name] = _("Enter text.")
        return ""
    value = value.strip()
    if required and not value:
        errors[name] = _("This field is required.")
    elif len(value) > MAX_VALUE:
        errors[name] = _("Enter at most %(limit)d characters.") % {"limit": MAX_VALUE}
    return value


def _clean_option(field: CustomField, errors: dict[str, str], changes: Mapping[str, Any]) -> dict[str, Any]:
    """The checked attributes among ``changes`` (a subset of ``OPTION_FIELDS``)."""
    cleaned: dict[str, Any] = {}
    for name in ("label", "label_en"):
        if name in changes:
            cleaned[name] = _clean_text(errors, name, changes[name], required=name == "label")
    if "colour" in changes:
        colour = changes["colour"] or ""
        if not isinstance(colour, str) or (colour and not _COLOUR.match(colour)):
            errors["colour"] = _("Enter a colour as #RRGGBB.")
        cleaned["colour"] = colour.lower() if isinstance(colour, str) else ""
    if "department_ids" in changes:
        ids = changes["department_ids"] or []
        if not isinstance(ids, list | tuple) or not all(
            isinstance(i, int) and not isinstance(i, bool) for i in ids
        ):
            errors["department_ids"] = _("Enter a list of ids.")
            ids = []
        ids = sorted(set(ids))
        if ids and field.module != CustomField.Module.TICKET:
            errors["department_ids"] = _("Only ticket fields can be limited to departments.")
        elif Department.objects.filter(pk__in=ids).count() != len(ids):
            errors["department_ids"] = _("Unknown department.")
        cleaned["department_ids"] = ids
    if "parent_values" in changes:
        wanted = changes["parent_values"] or []
        if not isinstance(wanted, list | tuple) or not all(isinstance(v, str) for v in wanted):
            errors["parent_values"] = _("Enter a list of values.")
            wanted = []
        wanted = list(dict.fromkeys(wanted))
        parent = field.parent
        if wanted and parent is None:
            errors["parent_values"] = _("This field does not depend on another field.")
        elif wanted and parent is not None:
            known = set(PicklistOption.objects.filter(field=parent).values_list("value", flat=True))
            unknown = [value for value in wanted if value not in known]
            if unknown:
                errors["parent_values"] = _("Not values of %(field)s: %(values)s.") % {
                    "field": parent.key,
                    "values": ", ".join(unknown),
                }
        cleaned["parent_values"] = wanted
    if "order" in changes:
        order = changes["order"]
        if isinstance(order, bool) or not isinstance(order, int) or not 0 <= order <= MAX_CATALOGUE_ORDER:
            errors["order"] = _("Enter a number from 0 to %(max)d.") % {"max": MAX_CATALOGUE_ORDER}
        cleaned["order"] = order
    if "retired" in changes:
        if not isinstance(changes["retired"], bool):
            errors["retired"] = _("Enter true or false.")
        cleaned["retired"] = changes["retired"]
    return cleaned


def _state(option: PicklistOption, department_ids: Sequence[int]) -> dict[str, Any]:
    return {
        "value": option.value,
        "label": option.label,
        "label_en": option.label_en,
        "colour": option.colour,
        "department_ids": list(department_ids),
        "parent_values": option.parent_values,
        "order": option.order,
        "retired": option.retired,
    }


def option_create(
    *,
    actor: Actor,
    source: Source,
    field_id: int,
    value: str,
    label: str = "",
    label_en: str = "",
    colour: str = "",
    department_ids: Iterable[int] = (),
    parent_values: Sequence[str] = (),
    order: int | None = None,
    retired: bool = False,
) -> PicklistOption:
    """Add a value to a pick list; without a label it reads as its value, without an order it goes last."""
    require_permission(actor, permissions.SETTINGS_MANAGE)
    field = choice_field_get(field_id)
    errors: dict[str, str] = {}
    value = _clean_text(errors, "value", value, required=True)
    changes: dict[str, Any] = {
        "label_en": label_en,
        "colour": colour,
        "department_ids": list(department_ids),
        "parent_values": list(parent_values),
        "retired": retired,
    }
    if order is not None:
        changes["order"] = order
    if not isinstance(label, str) or label.strip():
        changes["label"] = label
    cleaned = _clean_option(field, errors, changes)
    cleaned.setdefault("label", value)
    if errors:
        raise ValidationFailed(_("The value is not valid."), fields=errors)
    existing = PicklistOption.objects.filter(field=field)
    if existing.filter(value=value).exists():
        raise Conflict(_("This pick list already has this value."), fields={"value": _("Already in use.")})
    if existing.count() >= MAX_OPTIONS:
        raise ValidationFailed(
            _("The value is not valid."),
            fields={"value": _("A pick list has at most %(count)d values.") % {"count": MAX_OPTIONS}},
        )
    if "order" not in cleaned:
        cleaned["order"] = min((existing.aggregate(last=Max("order"))["last"] or 0) + 1, MAX_CATALOGUE_ORDER)
        if not existing.exists():
            cleaned["order"] = 0
    ids = cleaned.pop("department_ids")
    with transaction.atomic():
        option = PicklistOption.objects.create(field=field, value=value, **cleaned)
        option.departments.set(ids)
        refresh_choices(field)
        audit_record(
            actor=actor,
            source=source,
            action="custom_field.option_added",
            obj=field,
            changes=_state(option, ids),
        )
    return option


def option_update(
    *, actor: Actor, source: Source, field_id: int, option_id: int, changes: Mapping[str, Any]
) -> PicklistOption:
    """Change an option's labels, colour, departments, parent values, order or retirement (a partial
    update: only the keys in ``changes``). Its ``value`` is permanent: records store it."""
    require_permission(actor, permissions.SETTINGS_MANAGE)
    field = choice_field_get(field_id)
    option = PicklistOption.objects.filter(field=field, pk=option_id).first()
    if option is None:
        raise NotFound(_("No such value."))
    errors: dict[str, str] = {}
    if "value" in changes and changes["value"] != option.value:
        errors["value"] = _("A value is permanent: records store it. Retire it and add another.")
    unknown = sorted(set(changes) - set(OPTION_FIELDS) - {"value"})
    for name in unknown:
        errors[name] = _("Unknown field.")
    cleaned = _clean_option(field, errors, {k: v for k, v in changes.items() if k in OPTION_FIELDS})
    if errors:
        raise ValidationFailed(_("The value is not valid."), fields=errors)
    before_ids = sorted(option.departments.values_list("id", flat=True))
    ids = cleaned.pop("department_ids", before_ids)
    diff: dict[str, Any] = {
        name: [getattr(option, name), value]
        for name, value in cleaned.items()
        if getattr(option, name) != value
    }
    if ids != before_ids:
        diff["department_ids"] = [before_ids, ids]
    if not diff:
        return option
    with transaction.atomic():
        for name, value in cleaned.items():
            setattr(option, name, value)
        option.save()
        option.departments.set(ids)
        refresh_choices(field)
        audit_record(
            actor=actor,
            source=source,
            action="custom_field.option_changed",
            obj=field,
            changes={"value": option.value, **diff},
        )
    return option


def options_reorder(*, actor: Actor, source: Source, field_id: int, option_ids: Sequence[int]) -> list[int]:
    """Put a field's options in the order of ``option_ids`` (the drag-and-drop list): every option once."""
    require_permission(actor, permissions.SETTINGS_MANAGE)
    field = choice_field_get(field_id)
    current = list(
        PicklistOption.objects.filter(field=field).order_by("order", "id").values_list("id", flat=True)
    )
    wanted = list(option_ids)
    if len(wanted) != len(set(wanted)) or set(wanted) != set(current):
        raise ValidationFailed(
            _("The order is not valid."), fields={"option_ids": _("List every value of the pick list once.")}
        )
    if wanted == current:
        return wanted
    with transaction.atomic():
        for position, option_id in enumerate(wanted):
            PicklistOption.objects.filter(pk=option_id).update(order=position)
        refresh_choices(field)
        audit_record(
            actor=actor,
            source=source,
            action="custom_field.options_reordered",
            obj=field,
            changes={"order": wanted},
        )
    return wanted


def sync_options(field: CustomField, choices: Sequence[str]) -> None:
    """Make the offered values ``choices`` (the settings form's one-per-line list): new lines become
    options offered everywhere, missing ones are retired (records keep them), and the order follows the
    lines. Labels, colours and departments of the values that stay are left as they are."""
    options = {option.value: option for option in PicklistOption.objects.filter(field=field)}
    for position, value in enumerate(choices):
        option = options.get(value)
        if option is None:
            PicklistOption.objects.create(field=field, value=value, label=value, order=position)
        elif option.order != position or option.retired:
            option.order, option.retired = position, False
            option.save(update_fields=["order", "retired"])
    wanted = set(choices)
    for value, option in options.items():
        if value not in wanted and not option.retired:
            option.retired = True
            option.save(update_fields=["retired"])
    refresh_choices(field)
