"""Forms of the organisation's console pages. They parse and check shapes; services own the rules."""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.utils.translation import gettext_lazy as _

from kefu.core.errors import ServiceError

Choices = Iterable[tuple[Any, str]]


@cache
def time_zone_choices() -> list[tuple[str, str]]:
    return [(name, name) for name in sorted(zoneinfo.available_timezones()) if "/" in name or name == "UTC"]


def language_choices() -> list[tuple[str, str]]:
    return [(code, str(name)) for code, name in settings.LANGUAGES]


class TablerMixin:
    """Give every widget Tabler's classes, and mark the fields with errors for screen readers too."""

    def _style(self) -> None:
        errors = self._errors or {}  # type: ignore[attr-defined]  (never trigger validation from here)
        for name, field in self.fields.items():  # type: ignore[attr-defined]
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple):
                css = "form-check-input"
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                css = "form-select"
            elif getattr(widget, "input_type", "") == "color":
                css = "form-control form-control-color"  # a swatch, not a full-width grey bar
            else:
                css = "form-control"
            if name in errors:
                css += " is-invalid"
                widget.attrs["aria-invalid"] = "true"
            widget.attrs["class"] = css.strip()

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        self._style()

    def apply_service_error(self, error: ServiceError, field_map: Mapping[str, str] | None = None) -> None:
        """Show a service's refusal on the form: per field where the field is on it, else on top."""
        field_map = field_map or {}
        placed = False
        for key, message in error.fields.items():
            name = field_map.get(key, key)
            if name in self.fields:  # type: ignore[attr-defined]
                self.add_error(name, message)  # type: ignore[attr-defined]
                placed = True
        if not placed or not error.fields:
            self.add_error(None, error.message)  # type: ignore[attr-defined]
        self._style()


class StyledForm(TablerMixin, forms.Form):
    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._style()


class SignInForm(StyledForm):
    email = forms.EmailField(label=_("Email"), max_length=254)
    password = forms.CharField(label=_("Password"), strip=False, widget=forms.PasswordInput)
    remember_me = forms.BooleanField(
        label=_("Remember me for 30 days"),
        required=False,
        help_text=_("Leave unticked on a shared computer: you are signed out when the browser closes."),
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs.update(autocomplete="username", autofocus=True)
        self.fields["password"].widget.attrs.update(autocomplete="current-password")


class ProfileForm(StyledForm):
    name = forms.CharField(label=_("Name"), max_length=150, required=False)
    language = forms.ChoiceField(label=_("Language"), choices=language_choices)
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=time_zone_choices)
    signature = forms.CharField(
        label=_("Signature"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Added below your replies to customers."),
    )
    availability = forms.ChoiceField(label=_("Availability"), choices=())

    def __init__(self, *args: Any, availability_choices: Choices, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["availability"].choices = list(availability_choices)


class PasswordChangeForm(TablerMixin, auth_forms.PasswordChangeForm):
    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._style()


class SetPasswordForm(TablerMixin, auth_forms.SetPasswordForm):
    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._style()


class ApiKeyForm(StyledForm):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the key is for, e.g. “CRM sync”."),
    )


class DepartmentForm(StyledForm):
    name = forms.CharField(label=_("Name (Chinese)"), max_length=100)
    name_en = forms.CharField(label=_("Name (English)"), max_length=100, required=False)
    code = forms.SlugField(
        label=_("Code"),
        max_length=32,
        help_text=_("A short permanent identifier used by rules and integrations, e.g. “after-sales”."),
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)
    reopen_within_days = forms.IntegerField(
        label=_("Reopen within (days)"),
        required=False,
        min_value=0,
        max_value=3650,
        initial=14,
        help_text=_(
            "A customer's message on a ticket closed less than this many days ago reopens it; "
            "a later one opens a follow-up ticket. A mailbox may set its own."
        ),
    )
    close_parent_with_last_child = forms.BooleanField(
        label=_("Close a parent ticket with its last child"),
        required=False,
        initial=True,
        help_text=_(
            "When the last open child ticket is closed, its parent ticket in this department closes too."
        ),
    )

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["code"]
        else:
            del self.fields["is_active"]


class TeamForm(StyledForm):
    department = forms.TypedChoiceField(label=_("Department"), coerce=int, choices=())
    name = forms.CharField(label=_("Name"), max_length=100)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    members = forms.TypedMultipleChoiceField(
        label=_("Members"), coerce=int, choices=(), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, department_choices: Choices, member_choices: Choices, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = list(department_choices)
        self.fields["members"].choices = list(member_choices)


class AgentForm(StyledForm):
    email = forms.EmailField(label=_("Email"), max_length=254)
    name = forms.CharField(label=_("Name"), max_length=150, required=False)
    role = forms.ChoiceField(label=_("Role"), choices=())
    departments = forms.TypedMultipleChoiceField(
        label=_("Departments"), coerce=int, choices=(), required=False, widget=forms.CheckboxSelectMultiple
    )
    teams = forms.TypedMultipleChoiceField(
        label=_("Teams"), coerce=int, choices=(), required=False, widget=forms.CheckboxSelectMultiple
    )
    language = forms.ChoiceField(label=_("Language"), choices=language_choices)
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=time_zone_choices)

    def __init__(
        self,
        *args: Any,
        role_choices: Choices,
        department_choices: Choices,
        team_choices: Choices,
        editing: bool = False,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = list(role_choices)
        self.fields["departments"].choices = list(department_choices)
        self.fields["teams"].choices = list(team_choices)
        if editing:
            for name in ("email", "language", "time_zone"):
                del self.fields[name]


class HelpdeskSettingsForm(StyledForm):
    ticket_number_prefix = forms.CharField(
        label=_("Ticket number prefix"),
        max_length=16,
        required=False,
        help_text=_("Shown before every ticket number, e.g. “#” or “KF-”."),
    )
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        choices=time_zone_choices,
        help_text=_("The starting time zone of new agents."),
    )
    default_language = forms.ChoiceField(
        label=_("Default language"),
        choices=language_choices,
        help_text=_("The starting language of new agents."),
    )
