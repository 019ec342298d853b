"""The macro form: name, scope and the actions, built with drop-downs (the builder fills ``actions``)."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kefu.org.forms import StyledForm

Choices = list[tuple[Any, str]]


class MacroForm(StyledForm):
    name = forms.CharField(label=_("Name"), max_length=150)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    department = forms.TypedChoiceField(
        label=_("Department"), coerce=int, choices=(), required=False, empty_value=None
    )
    shared = forms.BooleanField(
        label=_("Shared with the department's agents"),
        required=False,
        initial=True,
        help_text=_("Only administrators can share macros; otherwise the macro is yours alone."),
    )
    actions = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, department_choices: Choices, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = [("", _("All departments")), *department_choices]

    def clean_actions(self) -> list[Any]:
        raw = self.cleaned_data.get("actions") or "[]"
        try:
            value = json.loads(raw)
        except ValueError:
            raise forms.ValidationError(_("The actions could not be read.")) from None
        if not isinstance(value, list):
            raise forms.ValidationError(_("The actions could not be read."))
        return value
