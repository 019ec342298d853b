"""Which custom fields apply to a record."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import get_language

from kefu.core.catalog_cache import cached
from kefu.customfields.layouts import LayoutSpec, spec_from_row
from kefu.customfields.models import CustomField, Layout, PicklistOption
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
    """The field as the validator sees it for one department.

    A pick list without option rows (one written straight to the table, by the admin or a fixture)
    offers its ``choices`` everywhere, as before options existed.
    """
    every = list(field.options.all())
    if not every and field.choices:
        return FieldSpec(field.key, field.field_type, tuple(field.choices), field.is_required)
    options = [option for option in every if _offered_to(option, department_id)]
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
    queryset = (
        CustomField.objects.filter(module=module).select_related("parent").prefetch_related("departments")
    )
    if department_id is not None:
        queryset = queryset.filter(Q(departments__isnull=True) | Q(departments=department_id)).distinct()
    return queryset.order_by("order", "id")


def custom_field_get(field_id: int) -> CustomField | None:
    return (
        CustomField.objects.select_related("parent")
        .prefetch_related("departments")
        .filter(pk=field_id)
        .first()
    )


def custom_field_type_choices() -> list[tuple[str, str]]:
    return [(value, str(label)) for value, label in CustomField.FieldType.choices]


def custom_field_module_choices() -> list[tuple[str, str]]:
    return [(value, str(label)) for value, label in CustomField.Module.choices]


def parent_field_choices(module: str, *, exclude_id: int | None = None) -> list[tuple[int, str]]:
    """The pick lists of ``module`` another field may depend on (the settings form's choices)."""
    fields = CustomField.objects.filter(module=module, field_type=CustomField.FieldType.PICKLIST)
    if exclude_id is not None:
        fields = fields.exclude(pk=exclude_id)
    return [(field.pk, f"{field.display_name} ({field.key})") for field in fields.order_by("order", "id")]


@dataclass(frozen=True)
class ChoiceField:
    """An active pick list or multi-select as lists and filters show it."""

    key: str
    field_type: str
    name: str
    name_en: str
    values: tuple[str, ...]  # every value, retired ones last
    departments: tuple[tuple[str, tuple[int, ...]], ...] = ()  # value → its departments, if limited

    def offered_in(self, value: str, department_ids: Iterable[int] | None) -> bool:
        """Whether ``value`` belongs to one of ``department_ids`` (``None``: every department)."""
        limited = dict(self.departments).get(value)
        return not limited or department_ids is None or bool(set(limited) & set(department_ids))

    @property
    def label(self) -> str:
        return self.name_en if (get_language() or "").startswith("en") and self.name_en else self.name


def choice_fields(module: str) -> tuple[ChoiceField, ...]:
    """The active pick lists and multi-selects of ``module`` in order (list columns and filters)."""
    return cached(("customfields.choice_fields", module), lambda: _load_choice_fields(module))


def _load_choice_fields(module: str) -> tuple[ChoiceField, ...]:
    fields = CustomField.objects.filter(
        module=module,
        is_active=True,
        field_type__in=[CustomField.FieldType.PICKLIST, CustomField.FieldType.MULTI_SELECT],
    ).prefetch_related(
        Prefetch(
            "options",
            PicklistOption.objects.prefetch_related("departments").order_by("retired", "order", "id"),
        )
    )
    return tuple(
        ChoiceField(
            key=field.key,
            field_type=field.field_type,
            name=field.name,
            name_en=field.name_en,
            values=tuple(option.value for option in field.options.all()) or tuple(field.choices),
            departments=tuple(
                (option.value, tuple(d.pk for d in option.departments.all()))
                for option in field.options.all()
                if option.departments.all()
            ),
        )
        for field in fields.order_by("order", "id")
    )


def layout_spec(module: str, department_id: int | None) -> LayoutSpec | None:
    """The layout records of ``department_id`` follow: the department's own, else the default one, else
    none (every field shown, none mandatory by layout). From the catalogue cache: every write reads it."""
    return cached(("customfields.layout", module, department_id), lambda: _load_layout(module, department_id))


def _load_layout(module: str, department_id: int | None) -> LayoutSpec | None:
    rows = {
        row.department_id: row
        for row in Layout.objects.filter(module=module).filter(
            Q(department__isnull=True) | Q(department_id=department_id)
        )
    }
    row = rows.get(department_id) or rows.get(None)
    if row is None:
        return None
    return spec_from_row(module, row.department_id, row.sections, row.rules)


def layout_rows(module: str | None = None) -> QuerySet[Layout]:
    """Every stored layout (of ``module``), the default one first, then by department."""
    rows = Layout.objects.select_related("department").order_by("module", "department_id")
    return rows.filter(module=module) if module else rows


def layout_row(module: str, department_id: int | None) -> Layout | None:
    """The layout stored for exactly ``department_id`` (``None``: the default layout)."""
    where = Q(department__isnull=True) if department_id is None else Q(department_id=department_id)
    return Layout.objects.filter(where, module=module).first()
