"""Forms of the skills pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kefu.org.forms import StyledForm

Choices = list[tuple[Any, str]]


class SkillForm(StyledForm):
    name = forms.CharField(label=_("Name (Chinese)"), max_length=100)
    name_en = forms.CharField(label=_("Name (English)"), max_length=100, required=False)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    agents = forms.TypedMultipleChoiceField(
        label=_("Agents who have it"),
        coerce=int,
        choices=(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, agent_choices: Choices, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["agents"].choices = agent_choices


class AgentSkillsForm(StyledForm):
    skills = forms.TypedMultipleChoiceField(
        label=_("Skills"), coerce=int, choices=(), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, skill_choices: Choices, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["skills"].choices = skill_choices
