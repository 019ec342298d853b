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
    parent = forms.TypedChoiceField(
        label=_("Depends on"),
        coerce=int,
        empty_value=None,
        choices=(),
        required=False,
        help_text=_(
            "Pick lists only: another pick list whose value decides which values this one offers "
            "(category → sub-category). Set per value on the values page."
        ),
    )
    order = forms.IntegerField(label=_("Order"), min_value=0, max_value=MAX_CATALOGUE_ORDER, initial=0)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(
        self,
        *args: Any,
        type_choices: Choices,
        department_choices: Choices,
        parent_choices: Choices = (),
        with_departments: bool,
        editing: bool = False,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        self.fields["field_type"].choices = list(type_choices)
        self.fields["departments"].choices = list(department_choices)
        self.fields["parent"].choices = [("", "—"), *parent_choices]
        if not with_departments:
            del self.fields["departments"]
        if editing:
            # A pick list's values are edited on its values page (colours, departments, order, retiring).
            del self.fields["key"]
            del self.fields["field_type"]
            del self.fields["choices"]

    def choice_list(self) -> list[str] | None:
        if "choices" not in self.fields:
            return None
        return [line.strip() for line in self.cleaned_data.get("choices", "").splitlines() if line.strip()]


# Tabler's palette: what the console offers; the API takes any #RRGGBB.
PALETTE = (
    ("#d63939", _("Red")),
    ("#f76707", _("Orange")),
    ("#f59f00", _("Yellow")),
    ("#2fb344", _("Green")),
    ("#0ca678", _("Teal")),
    ("#066fd1", _("Blue")),
    ("#ae3ec9", _("Purple")),
    ("#d6336c", _("Pink")),
    ("#667382", _("Grey")),
)


class OptionForm(StyledForm):
    """One value of a pick list. Its order is set by dragging the rows of the values page."""

    value = forms.CharField(
        label=_("Value"),
        max_length=100,
        help_text=_("What tickets store, in the API and in rules; permanent."),
    )
    label = forms.CharField(label=_("Label (Chinese)"), max_length=100, required=False)
    label_en = forms.CharField(label=_("Label (English)"), max_length=100, required=False)
    colour = forms.ChoiceField(label=_("Colour"), choices=(), required=False)
    departments = forms.TypedMultipleChoiceField(
        label=_("Departments"),
        coerce=int,
        choices=(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: offered in every department."),
    )
    parent_values = forms.MultipleChoiceField(
        label=_("Offered when the parent field is"),
        choices=(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: offered whatever the parent field holds."),
    )

    def __init__(
        self,
        *args: Any,
        department_choices: Choices,
        parent_value_choices: Choices,
        with_departments: bool,
        current_colour: str = "",
        editing: bool = False,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        colours = [("", _("No colour")), *PALETTE]
        if current_colour and current_colour not in dict(PALETTE):
            colours.append((current_colour, current_colour))
        self.fields["colour"].choices = colours
        self.fields["departments"].choices = list(department_choices)
        self.fields["parent_values"].choices = list(parent_value_choices)
        if not with_departments:
            del self.fields["departments"]
        if not parent_value_choices:
            del self.fields["parent_values"]
        if editing:
            del self.fields["value"]
