"""Which custom fields apply to a record."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import get_language

from kefu.core.catalog_cache import cached
from kefu.customfields.models import CustomField, PicklistOption
from kefu.customfields.validation import FieldSpec


def field_specs(module: str, *, department_id: int | None = None) -> list[FieldSpec]:
    """The active fields of ``module`` (for one department: its own and the global ones), in order.

    Every create validates against these, so they come from the per-process catalogue cache.
    """
    return list(
        cached(("customfields.specs", module, department_id), lambda: _load_specs(module, department_id))
    )


def _offered_to(option: PicklistOption, department_id: int | None) -> bool:
    """An option limited to departments is offered on their records only; a record without a
    department (contacts, accounts, a department-less view) sees only options offered everywhere."""
    departments = [department.pk for department in option.departments.all()]
    return not departments or department_id in departments


def _spec(field: CustomField, department_id: int | None) -> FieldSpec:
    options = [option for option in field.options.all() if _offered_to(option, department_id)]
    parent = field.parent
    return FieldSpec(
        key=field.key,
        field_type=field.field_type,
        choices=tuple(option.value for option in options if not option.retired),
        is_required=field.is_required,
        retired=tuple(option.value for option in options if option.retired),
        parent_key=parent.key if parent is not None and parent.is_active else "",
        choice_parents=tuple(
            (option.value, tuple(option.parent_values)) for option in options if option.parent_values
        ),
    )


def _load_specs(module: str, department_id: int | None) -> tuple[FieldSpec, ...]:
    queryset = CustomField.objects.filter(module=module, is_active=True)
    if department_id is not None:
        queryset = queryset.filter(Q(departments__isnull=True) | Q(departments=department_id)).distinct()
    queryset = queryset.select_related("parent").prefetch_related(
        Prefetch("options", PicklistOption.objects.prefetch_related("departments").order_by("order", "id"))
    )
    return tuple(_spec(field, department_id) for field in queryset.order_by("order", "id"))


@dataclass(frozen=True)
class OptionLook:
    """How a stored pick-list value is shown: its label in the viewer's language and its colour."""

    label: str
    colour: str
    retired: bool


def option_looks(module: str) -> dict[tuple[str, str], OptionLook]:
    """``(field key, value) → OptionLook`` for every option of ``module``, retired ones included, in the
    active language. The ticket list, the ticket page and the filters show values through this."""
    language = "en" if (get_language() or "").startswith("en") else "zh"
    return cached(("customfields.looks", module, language), lambda: _load_looks(module))


def _load_looks(module: str) -> dict[tuple[str, str], OptionLook]:
    options = PicklistOption.objects.filter(field__module=module).select_related("field")
    return {
        (option.field.key, option.value): OptionLook(option.display_label, option.colour, option.retired)
        for option in options
    }


def option_list(field_id: int) -> QuerySet[PicklistOption]:
    """A field's options, retired ones included, in order (the settings page and the API)."""
    return (
        PicklistOption.objects.filter(field_id=field_id)
        .prefetch_related("departments")
        .order_by("order", "id")
    )


def option_get(field_id: int, option_id: int) -> PicklistOption | None:
    return option_list(field_id).filter(pk=option_id).first()


# The settings pages edit every field of a module, inactive ones included.


def custom_field_catalog(*, module: str, department_id: int | None = None) -> QuerySet[CustomField]:
    queryset = CustomField.objects.filter(module=module).prefetch_related("departments")
    if department_id is not None:
        queryset = queryset.filter(Q(departments__isnull=True) | Q(departments=department_id)).distinct()
    return queryset.order_by("order", "id")


def custom_field_get(field_id: int) -> CustomField | None:
    return CustomField.objects.prefetch_related("departments").filter(pk=field_id).first()


def custom_field_type_choices() -> list[tuple[str, str]]:
    return [(value, str(label)) for value, label in CustomField.FieldType.choices]


def custom_field_module_choices() -> list[tuple[str, str]]:
    return [(value, str(label)) for value, label in CustomField.Module.choices]
