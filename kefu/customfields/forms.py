"""The form of the custom-field settings page. It parses and checks shapes; services own the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kefu.core.validation import MAX_CATALOGUE_ORDER
from kefu.org.forms import Choices, StyledForm


class CustomFieldForm(StyledForm):
    key = forms.RegexField(
        label=_("Key"),
        regex=r"^[a-z][a-z0-9_]{0,63}$",
        help_text=_("Used in the API and in rules; permanent. Lower-case letters, digits and underscores."),
        error_messages={"invalid": _("Start with a letter; use lower-case letters, digits and underscores.")},
    )
    field_type = forms.ChoiceField(label=_("Type"), choices=())
    name = forms.CharField(label=_("Name (Chinese)"), max_length=100)
    name_en = forms.CharField(label=_("Name (English)"), max_length=100, required=False)
    choices = forms.CharField(
        label=_("Choices"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For pick lists and multi-selects: one choice per line."),
    )
    is_required = forms.BooleanField(label=_("Required"), required=False)
    departments = forms.TypedMultipleChoiceField(
        label=_("Departments"),
        coerce=int,
        choices=(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Ticket fields only. None ticked: the field applies to every department."),
    )
    order = forms.IntegerField(label=_("Order"), min_value=0, max_value=MAX_CATALOGUE_ORDER, initial=0)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(
        self,
        *args: Any,
        type_choices: Choices,
        department_choices: Choices,
        with_departments: bool,
        editing: bool = False,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        self.fields["field_type"].choices = list(type_choices)
        self.fields["departments"].choices = list(department_choices)
        if not with_departments:
            del self.fields["departments"]
        if editing:
            del self.fields["key"]
            del self.fields["field_type"]

    def choice_list(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data.get("choices", "").splitlines() if line.strip()]
