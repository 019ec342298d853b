"""The canned reply form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kefu.automation.models import CannedReply
from kefu.org.forms import StyledForm

Choices = list[tuple[Any, str]]


class CannedReplyForm(StyledForm):
    title = forms.CharField(label=_("Title"), max_length=150)
    shortcut = forms.CharField(
        label=_("Shortcut"),
        max_length=50,
        required=False,
        help_text=_("Type # and the shortcut in the reply editor to insert the text, e.g. #refund."),
    )
    language = forms.ChoiceField(label=_("Language"), choices=CannedReply.Language.choices)
    department = forms.TypedChoiceField(
        label=_("Department"), coerce=int, choices=(), required=False, empty_value=None
    )
    shared = forms.BooleanField(
        label=_("Shared with the department's agents"),
        required=False,
        initial=True,
        help_text=_("Only administrators can share canned replies; otherwise the reply is yours alone."),
    )
    body = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Placeholders such as {{ contact.name }}, {{ ticket.number }} and {{ agent.name }} are filled in."
        ),
    )

    def __init__(self, *args: Any, department_choices: Choices, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = [("", _("All departments")), *department_choices]
