"""The rule editor's form: the plain fields; the conditions and actions arrive as JSON from the builder."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kefu.automation.models import Trigger
from kefu.automation.workflow.services import TRIGGER_FIELDS
from kefu.org.forms import StyledForm


class _JsonField(forms.CharField):
    """A hidden input the builder fills with JSON; what it holds is validated by the services."""

    widget = forms.HiddenInput

    def to_python(self, value: Any) -> Any:
        text = super().to_python(value)
        if not text:
            return None
        try:
            return json.loads(text)
        except ValueError:
            raise forms.ValidationError(
                _("The rule builder sent something unreadable; reload the page.")
            ) from None

    def prepare_value(self, value: Any) -> Any:
        return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


class RuleForm(StyledForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    department = forms.TypedChoiceField(
        label=_("Department"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_("Empty: every department."),
    )
    enabled = forms.BooleanField(label=_("Enabled"), required=False)
    criteria = _JsonField(required=False)
    actions = _JsonField(required=False)

    def __init__(self, *args: Any, department_choices: list[tuple[int, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = [("", _("All departments")), *department_choices]  # type: ignore[attr-defined]
        self._style()


class WorkflowRuleForm(RuleForm):
    trigger = forms.ChoiceField(label=_("When"), choices=Trigger.choices)
    trigger_fields = forms.MultipleChoiceField(
        label=_("Only when these fields change"),
        required=False,
        choices=[(name, name) for name in TRIGGER_FIELDS],
        widget=forms.CheckboxSelectMultiple,
        help_text=_("For “Ticket updated”: leave empty for any change."),
    )

    field_order = ["name", "department", "trigger", "trigger_fields", "enabled", "criteria", "actions"]
