"""Forms of the status and priority settings pages. They parse and check shapes; services own the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kefu.core.validation import MAX_CATALOGUE_ORDER
from kefu.org.forms import Choices, StyledForm


class CatalogueForm(StyledForm):
    """Shared by statuses and priorities."""

    name = forms.CharField(label=_("Name (Chinese)"), max_length=100)
    name_en = forms.CharField(label=_("Name (English)"), max_length=100, required=False)
    order = forms.IntegerField(label=_("Order"), min_value=0, max_value=MAX_CATALOGUE_ORDER, initial=0)
    is_default = forms.BooleanField(label=_("Default for new tickets"), required=False)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)


class StatusForm(CatalogueForm):
    status_type = forms.ChoiceField(label=_("Type"), choices=())
    field_order = ["name", "name_en", "status_type", "order", "is_default", "is_active"]

    def __init__(self, *args: Any, type_choices: Choices, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["status_type"].choices = list(type_choices)


class PriorityForm(CatalogueForm):
    colour = forms.RegexField(
        label=_("Colour"),
        regex=r"^#[0-9a-fA-F]{6}$",
        initial="#6c757d",
        widget=forms.TextInput(attrs={"type": "color"}),
        error_messages={"invalid": _("Enter a colour as #rrggbb.")},
    )
    field_order = ["name", "name_en", "colour", "order", "is_default", "is_active"]

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["colour"].widget.attrs["class"] = "form-control form-control-color"


class TicketNumberForm(StyledForm):
    """The ticket number format; the service checks the tokens (``check_format``)."""

    format = forms.CharField(
        label=_("Ticket number format"),
        max_length=100,
        help_text=_("Applies to tickets created from now on; existing tickets keep their numbers."),
    )

    def __init__(self, *args: Any, preview_url: str, **kwargs: Any):
        super().__init__(*args, **kwargs)
        # The styling mixin owns "class"; a style attribute survives its re-styling after errors.
        self.fields["format"].widget.attrs.update(
            {
                "autocomplete": "off",
                "spellcheck": "false",
                "style": "font-family: var(--tblr-font-monospace)",
                "hx-get": preview_url,
                "hx-trigger": "input changed delay:250ms",
                "hx-target": "#ticket-number-preview",
                "hx-swap": "outerHTML",
                "aria-describedby": "ticket-number-preview",
            }
        )
