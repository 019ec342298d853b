"""Which custom fields apply to a record."""

from __future__ import annotations

from django.db.models import Q

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
