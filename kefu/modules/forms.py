"""Console forms for modules and records. They parse input; the services validate and write."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kefu.modules.models import ModuleField, ModuleRoleAccess
from kefu.modules.selectors import ModuleDefinition

FIELD_PREFIX = "v_"
_INPUT_TYPES = {"date": "date", "email": "email", "url": "url", "phone": "tel", "number": "number"}


def _value_field(field: ModuleField, choices: list[tuple[int, str]]) -> forms.Field:
    """The input of one module field; it sends text (or a list, or a tick) and the service checks it."""
    common: dict[str, Any] = {"label": field.display_label, "required": False}
    if field.field_type == "checkbox":
        return forms.BooleanField(**common, widget=forms.CheckboxInput(attrs={"class": "form-check-input"}))
    if field.field_type == "picklist":
        return forms.ChoiceField(
            **common,
            choices=[("", "—")] + [(choice, choice) for choice in field.choices],
            widget=forms.Select(attrs={"class": "form-select"}),
        )
    if field.field_type == "multi_select":
        return forms.MultipleChoiceField(
            **common,
            choices=[(choice, choice) for choice in field.choices],
            widget=forms.SelectMultiple(attrs={"class": "form-select"}),
        )
    if field.is_lookup:
        return forms.ChoiceField(
            **common,
            choices=[("", "—")] + [(str(pk), label) for pk, label in choices],
            widget=forms.Select(attrs={"class": "form-select"}),
        )
    if field.field_type == "long_text":
        return forms.CharField(**common, widget=forms.Textarea(attrs={"class": "form-control", "rows": 3}))
    attrs = {"class": "form-control", "type": _INPUT_TYPES.get(field.field_type, "text")}
    if field.field_type == "datetime":
        attrs["placeholder"] = "2026-01-31T09:30:00+08:00"
    if field.field_type == "decimal":
        attrs["inputmode"] = "decimal"
    return forms.CharField(**common, widget=forms.TextInput(attrs=attrs))


class RecordForm(forms.Form):
    """The values of one record; lookups to tickets are edited from the ticket page, not here."""

    def __init__(
        self,
        *args: Any,
        definition: ModuleDefinition,
        values: Mapping[str, Any],
        lookup_choices: Mapping[str, list[tuple[int, str]]],
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        self.module_fields = list(definition.value_fields)
        for field in self.module_fields:
            name = FIELD_PREFIX + field.key
            self.fields[name] = _value_field(field, list(lookup_choices.get(field.key, [])))
            self.fields[name].is_required_marker = field.is_required
            if field.key in values and not self.is_bound:
                value = values[field.key]
                self.initial[name] = str(value) if field.is_lookup else value

    def bound_value_fields(self) -> list[forms.BoundField]:
        return [self[FIELD_PREFIX + field.key] for field in self.module_fields]

    def layout_names(self) -> dict[str, str]:
        """Each input by its layout (API) name (``values.<key>``) → the form's field name."""
        return {f"values.{field.key}": FIELD_PREFIX + field.key for field in self.module_fields}

    def values(self) -> dict[str, Any]:
        """Every field, an empty input meaning "clear it"."""
        found: dict[str, Any] = {}
        for field in self.module_fields:
            value = self.cleaned_data.get(FIELD_PREFIX + field.key)
            if field.field_type == "checkbox":
                found[field.key] = bool(value)
            elif field.is_lookup:
                found[field.key] = int(value) if value else None
            else:
                found[field.key] = value or None
        return found

    def add_service_errors(self, message: str, fields: Mapping[str, str]) -> None:
        placed = False
        for key, error in fields.items():
            name = FIELD_PREFIX + key.removeprefix("values.")
            if name in self.fields:
                self.add_error(name, error)
                placed = True
            else:
                self.add_error(None, error)
        if not placed and not fields:
            self.add_error(None, message)


def _text(label: Any, max_length: int, *, required: bool = True, **attrs: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        widget=forms.TextInput(attrs={"class": "form-control", **attrs}),
    )


class ModuleForm(forms.Form):
    """A module's names; the key only when it is created."""

    key = _text(_("Key"), 40, autocomplete="off", placeholder="vehicles")
    name = _text(_("Name (Chinese)"), 100)
    name_en = _text(_("Name (English)"), 100, required=False)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 2}),
    )
    is_active = forms.BooleanField(
        label=_("Active"),
        required=False,
        initial=True,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )

    def __init__(self, *args: Any, creating: bool, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if creating:
            del self.fields["is_active"]
        else:
            del self.fields["key"]

    def apply_service_error(self, exc: Any, field_map: Mapping[str, str] | None = None) -> None:
        if not exc.fields:
            self.add_error(None, exc.message)
        for key, error in exc.fields.items():
            self.add_error(key if key in self.fields else None, error)


class FieldForm(forms.Form):
    """One field of the builder: key and type only when it is added."""

    key = _text(_("Key"), 64, autocomplete="off", placeholder="plate")
    label = _text(_("Label (Chinese)"), 100)
    label_en = _text(_("Label (English)"), 100, required=False)
    type = forms.ChoiceField(label=_("Type"), choices=(), widget=forms.Select(attrs={"class": "form-select"}))
    options = forms.CharField(
        label=_("Options"),
        required=False,
        help_text=_("Pick lists and multi-selects: one option per line."),
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 3}),
    )
    lookup_module = forms.ChoiceField(
        label=_("Looks up"),
        required=False,
        choices=(),
        help_text=_("Lookup fields: what the value points at."),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    required = forms.BooleanField(
        label=_("Required"), required=False, widget=forms.CheckboxInput(attrs={"class": "form-check-input"})
    )

    def __init__(
        self,
        *args: Any,
        type_choices: list[tuple[str, str]],
        lookup_choices: list[tuple[str, str]],
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        self.fields["type"].choices = type_choices
        self.fields["lookup_module"].choices = [("", "—"), *lookup_choices]

    def option_list(self) -> tuple[str, ...]:
        return tuple(
            line.strip() for line in self.cleaned_data.get("options", "").splitlines() if line.strip()
        )

    def apply_service_error(self, exc: Any, field_map: Mapping[str, str] | None = None) -> None:
        if not exc.fields:
            self.add_error(None, exc.message)
        for key, error in exc.fields.items():
            self.add_error(key if key in self.fields else None, error)


class AccessForm(forms.Form):
    """One level per role."""

    def __init__(self, *args: Any, roles: list[tuple[int, str]], levels: Mapping[int, int], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.role_ids = [role_id for role_id, _label in roles]
        for role_id, label in roles:
            self.fields[f"role_{role_id}"] = forms.TypedChoiceField(
                label=label,
                choices=ModuleRoleAccess.Level.choices,
                coerce=int,
                initial=levels.get(role_id, ModuleRoleAccess.Level.READ),
                widget=forms.Select(attrs={"class": "form-select"}),
            )

    def levels(self) -> dict[int, int]:
        return {role_id: self.cleaned_data[f"role_{role_id}"] for role_id in self.role_ids}


class SavedViewForm(forms.Form):
    name = _text(_("View name"), 100)
    is_shared = forms.BooleanField(
        label=_("Share with everyone"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
