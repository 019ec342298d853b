"""The assignment rule form: what the API takes, as drop-downs and check boxes."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kefu.automation.models import AssignmentRule
from kefu.org.forms import StyledForm

Choices = list[tuple[Any, str]]


class AssignmentRuleForm(StyledForm):
    name = forms.CharField(label=_("Name"), max_length=150)
    department = forms.TypedChoiceField(label=_("Department"), coerce=int, choices=())
    enabled = forms.BooleanField(label=_("Enabled"), required=False, initial=True)
    type = forms.ChoiceField(label=_("How tickets are handed out"), choices=AssignmentRule.Type.choices)
    agents = forms.TypedMultipleChoiceField(
        label=_("Agents, in the order they take turns"),
        coerce=int,
        choices=(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Drag to change the order. With no agent chosen, the team's members (or every agent of the "
            "department) take turns alphabetically."
        ),
    )
    team = forms.TypedChoiceField(label=_("Team"), coerce=int, choices=(), required=False, empty_value=None)
    skills = forms.TypedMultipleChoiceField(
        label=_("Required skills"),
        coerce=int,
        choices=(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    skip_unavailable = forms.BooleanField(label=_("Skip agents who are away or offline"), required=False)
    cap = forms.IntegerField(
        label=_("Open tickets per agent at most"), required=False, min_value=1, max_value=10_000
    )
    fallback = forms.ChoiceField(
        label=_("When nobody can take the ticket"), choices=AssignmentRule.Fallback.choices
    )
    fallback_team = forms.TypedChoiceField(
        label=_("Fallback team"), coerce=int, choices=(), required=False, empty_value=None
    )
    fallback_agent = forms.TypedChoiceField(
        label=_("Fallback agent"), coerce=int, choices=(), required=False, empty_value=None
    )
    criteria = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(
        self,
        *args: Any,
        department_choices: Choices,
        agent_choices: Choices,
        team_choices: Choices,
        skill_choices: Choices,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = department_choices
        self.fields["agents"].choices = agent_choices
        self.fields["team"].choices = [("", "—"), *team_choices]
        self.fields["skills"].choices = skill_choices
        self.fields["fallback_team"].choices = [("", "—"), *team_choices]
        self.fields["fallback_agent"].choices = [("", "—"), *agent_choices]

    def clean_criteria(self) -> dict[str, Any]:
        raw = self.cleaned_data.get("criteria") or ""
        if not raw.strip():
            return {}
        try:
            value = json.loads(raw)
        except ValueError:
            raise forms.ValidationError(_("The conditions could not be read.")) from None
        if not isinstance(value, dict):
            raise forms.ValidationError(_("The conditions could not be read."))
        return value
