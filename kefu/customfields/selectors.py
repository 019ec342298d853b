"""Which custom fields apply to a record."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from kefu.core.catalog_cache import cached
from kefu.customfields.models import CustomField
from kefu.customfields.validation import FieldSpec


def field_specs(module: str, *, department_id: int | None = None) -> list[FieldSpec]:
    """The active fields of ``module`` (for one department: its own and the global ones), in order.

    Every create validates against these, so they come from the per-process catalogue cache.
    """
    return list(
        cached(("customfields.specs", module, department_id), lambda: _load_specs(module, department_id))
    )


def _load_specs(module: str, department_id: int | None) -> tuple[FieldSpec, ...]:
    queryset = CustomField.objects.filter(module=module, is_active=True)
    if department_id is not None:
        queryset = queryset.filter(Q(departments__isnull=True) | Q(departments=department_id)).distinct()
    return tuple(
        FieldSpec(
            key=field.key,
            field_type=field.field_type,
            choices=tuple(field.choices),
            is_required=field.is_required,
        )
        for field in queryset.order_by("order", "id")
    )


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
