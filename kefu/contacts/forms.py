"""Console forms for contacts and accounts. They only parse input; the services validate and write."""

from __future__ import annotations

import functools
import zoneinfo
from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kefu.contacts.selectors import CustomFieldDefinition
from kefu.core.ids import MAX_ID

CUSTOM_PREFIX = "cf_"
MAX_QUERY = 200
MAX_OTHER_EMAILS = 20
LANGUAGE_CHOICES = [("", _("Not set")), ("zh-hans", "简体中文"), ("en", "English")]

# Where a service's error key is shown on the form: custom fields and list items map to one input.
_FIELD_OF_ERROR = {"account_id": "account_name", "other_emails": "other_emails"}
# The layout's (and the API's) name of an input whose form name differs.
_LAYOUT_NAMES = {"account_name": "account_id"}


@functools.cache
def _time_zone_choices() -> list[tuple[str, str]]:
    return [("", _("Not set"))] + [(zone, zone) for zone in sorted(zoneinfo.available_timezones())]


def _text(label: Any, max_length: int, *, required: bool = False, **attrs: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        widget=forms.TextInput(attrs={"class": "form-control", **attrs}),
    )


def _custom_field(definition: CustomFieldDefinition) -> forms.Field:
    """A form field for one custom field; values go to the service as text and are checked there."""
    spec = definition.spec
    common = {"label": definition.label, "required": False}
    if spec.field_type == "checkbox":
        return forms.BooleanField(**common, widget=forms.CheckboxInput(attrs={"class": "form-check-input"}))
    if spec.field_type == "picklist":
        return forms.ChoiceField(
            **common,
            choices=[("", "—")] + [(choice, choice) for choice in spec.choices],
            widget=forms.Select(attrs={"class": "form-select"}),
        )
    if spec.field_type == "multi_select":
        return forms.MultipleChoiceField(
            **common,
            choices=[(choice, choice) for choice in spec.choices],
            widget=forms.SelectMultiple(attrs={"class": "form-select"}),
        )
    if spec.field_type == "long_text":
        return forms.CharField(**common, widget=forms.Textarea(attrs={"class": "form-control", "rows": 3}))
    input_types = {"date": "date", "email": "email", "url": "url", "phone": "tel", "number": "number"}
    attrs = {"class": "form-control", "type": input_types.get(spec.field_type, "text")}
    if spec.field_type == "datetime":
        attrs["placeholder"] = "2026-01-31T09:30:00+08:00"
    return forms.CharField(**common, widget=forms.TextInput(attrs=attrs))


class ServiceErrorsMixin(forms.Form):
    """Puts a service's field errors (``ServiceError.fields``) on the matching inputs."""

    def add_service_errors(self, message: str, fields: Mapping[str, str]) -> None:
        if not fields:
            self.add_error(None, message)
        for key, error in fields.items():
            name = _FIELD_OF_ERROR.get(key.split(".")[0], key)
            if key.startswith("custom_fields."):
                name = CUSTOM_PREFIX + key.removeprefix("custom_fields.")
            self.add_error(name if name in self.fields else None, error)


class CustomFieldsMixin(ServiceErrorsMixin):
    def add_custom_fields(self, definitions: list[CustomFieldDefinition], values: Mapping[str, Any]) -> None:
        self.custom_keys = [definition.spec.key for definition in definitions]
        for definition in definitions:
            name = CUSTOM_PREFIX + definition.spec.key
            self.fields[name] = _custom_field(definition)
            if definition.spec.key in values and not self.is_bound:
                self.initial[name] = values[definition.spec.key]

    def custom_values(self) -> dict[str, Any]:
        """Every custom field, an empty input meaning "clear it"."""
        return {
            key: (self.cleaned_data.get(CUSTOM_PREFIX + key) or None)
            if not isinstance(self.fields[CUSTOM_PREFIX + key], forms.BooleanField)
            else self.cleaned_data.get(CUSTOM_PREFIX + key, False)
            for key in self.custom_keys
        }

    def custom_bound_fields(self) -> list[forms.BoundField]:
        return [self[CUSTOM_PREFIX + key] for key in self.custom_keys]

    def layout_names(self) -> dict[str, str]:
        """Each input by its layout (API) name → the form's field name, in the form's order."""
        names = {
            _LAYOUT_NAMES.get(name, name): name for name in self.fields if not name.startswith(CUSTOM_PREFIX)
        }
        names.update({f"custom_fields.{key}": CUSTOM_PREFIX + key for key in self.custom_keys})
        return names


class ContactForm(CustomFieldsMixin):
    name = _text(_("Name"), 200, autocomplete="off")
    email = forms.EmailField(
        label=_("Primary email"),
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"class": "form-control"}),
    )
    other_emails = forms.CharField(
        label=_("Other email addresses"),
        required=False,
        help_text=_("One address per line."),
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 2}),
    )
    phone = _text(_("Phone"), 32, type="tel")
    mobile = _text(_("Mobile"), 32, type="tel")
    account_name = _text(_("Account"), 200, list="account-names", autocomplete="off")
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        choices=LANGUAGE_CHOICES,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    time_zone = forms.ChoiceField(
        label=_("Time zone"), required=False, choices=(), widget=forms.Select(attrs={"class": "form-select"})
    )
    tags = _text(_("Tags"), 1000)

    def __init__(
        self, *args: Any, custom_fields: list[CustomFieldDefinition], values: Mapping[str, Any], **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        self.fields["account_name"].help_text = _("Pick an existing account or type a new name to create it.")
        self.fields["tags"].help_text = _("Separate tags with commas.")
        self.fields["time_zone"].choices = _time_zone_choices()
        self.add_custom_fields(custom_fields, values)

    def clean_other_emails(self) -> list[str]:
        raw = self.cleaned_data.get("other_emails") or ""
        addresses = [line.strip() for line in raw.replace(",", "\n").splitlines() if line.strip()]
        if len(addresses) > MAX_OTHER_EMAILS:
            raise forms.ValidationError(_("Enter at most %(limit)d addresses.") % {"limit": MAX_OTHER_EMAILS})
        return addresses

    def clean_tags(self) -> list[str]:
        return [tag.strip() for tag in (self.cleaned_data.get("tags") or "").split(",") if tag.strip()]

    def changes(self) -> dict[str, Any]:
        """The contact service's input: every field of the form, for create and edit alike."""
        data = self.cleaned_data
        return {
            "name": data["name"],
            "email": data["email"],
            "other_emails": data["other_emails"],
            "phone": data["phone"],
            "mobile": data["mobile"],
            "language": data["language"],
            "time_zone": data["time_zone"],
            "tags": data["tags"],
            "custom_fields": self.custom_values(),
        }


class AccountForm(CustomFieldsMixin):
    name = _text(_("Name"), 200, required=True)
    website = forms.URLField(
        label=_("Website"),
        required=False,
        max_length=200,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"class": "form-control"}),
    )
    phone = _text(_("Phone"), 32, type="tel")
    industry = _text(_("Industry"), 100)

    def __init__(
        self, *args: Any, custom_fields: list[CustomFieldDefinition], values: Mapping[str, Any], **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        self.add_custom_fields(custom_fields, values)

    def changes(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "website": data["website"],
            "phone": data["phone"],
            "industry": data["industry"],
            "custom_fields": self.custom_values(),
        }


class SearchForm(forms.Form):
    """The ``q`` of a list page; too long a query is a field error, never a 500."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=MAX_QUERY,
        widget=forms.TextInput(attrs={"class": "form-control", "type": "search"}),
    )
    cursor = forms.CharField(required=False, max_length=500)

    def query(self) -> str:
        return (self.cleaned_data.get("q") or "").strip() if self.is_valid() else ""


class MergeForm(ServiceErrorsMixin):
    """Which of the two contacts survives; the other one is merged into it."""

    keep = forms.TypedChoiceField(label=_("Contact to keep"), coerce=int, widget=forms.RadioSelect)
    other = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=MAX_ID)

    def __init__(self, *args: Any, pair: tuple[Any, Any], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.pair = pair
        self.fields["keep"].choices = [(contact.pk, str(contact)) for contact in pair]

    def choices_with_contacts(self) -> list[tuple[bool, Any]]:
        """(checked, contact) per radio button; by default the contact whose page this is."""
        selected = self["keep"].value()
        return [
            (str(contact.pk) == str(selected) if selected else index == 0, contact)
            for index, contact in enumerate(self.pair)
        ]
