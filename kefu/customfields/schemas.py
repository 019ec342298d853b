"""Shapes of the custom-field endpoints."""

from __future__ import annotations

from ninja import Field, Schema

from kefu.core.api_types import Id, InputSchema, text

Label = text(100)
Colour = text(7)


class OptionOut(Schema):
    id: int
    value: str
    label: str
    label_en: str
    colour: str = Field(description="#RRGGBB, or empty for no colour.")
    department_ids: list[int] = Field(
        description="Offered on tickets of these departments; empty: everywhere."
    )
    parent_values: list[str] = Field(
        description="Dependent pick list: offered while the parent field holds one of these; empty: always."
    )
    order: int
    retired: bool = Field(description="No longer offered; records that hold it keep it.")


class OptionCreateIn(InputSchema):
    value: text(100, min_length=1)  # type: ignore[valid-type]
    label: Label = ""  # type: ignore[valid-type]
    label_en: Label = ""  # type: ignore[valid-type]
    colour: Colour = ""  # type: ignore[valid-type]
    department_ids: list[Id] = Field(default_factory=list, max_length=500)  # type: ignore[valid-type]
    parent_values: list[Label] = Field(default_factory=list, max_length=500)  # type: ignore[valid-type]
    order: int | None = None
    retired: bool = False


class OptionUpdateIn(InputSchema):
    """Only the keys sent change. ``value`` may be sent unchanged (what a client read); it cannot change."""

    value: Label | None = None  # type: ignore[valid-type]
    label: Label | None = None  # type: ignore[valid-type]
    label_en: Label | None = None  # type: ignore[valid-type]
    colour: Colour | None = None  # type: ignore[valid-type]
    department_ids: list[Id] | None = Field(None, max_length=500)  # type: ignore[valid-type]
    parent_values: list[Label] | None = Field(None, max_length=500)  # type: ignore[valid-type]
    order: int | None = None
    retired: bool | None = None


class OptionOrderIn(InputSchema):
    option_ids: list[Id] = Field(max_length=500, description="Every value's id once, in the new order.")  # type: ignore[valid-type]


class CustomFieldOut(Schema):
    id: int
    module: str
    key: str
    type: str
    name: str
    name_en: str
    is_required: bool
    is_active: bool
    department_ids: list[int]
    parent_id: int | None
    order: int
    options: list[OptionOut] = Field(
        description="Pick lists and multi-selects: every value, retired ones too."
    )
