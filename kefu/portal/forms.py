"""Forms of the help center: they parse shapes, the services own the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kefu.org.forms import StyledForm, time_zone_choices

LANGUAGE_CHOICES = [("zh-hans", "简体中文"), ("en", "English")]


class SignUpForm(StyledForm):
    name = forms.CharField(label=_("Your name"), max_length=150)
    email = forms.EmailField(label=_("Email"), max_length=254)
    password = forms.CharField(label=_("Password"), strip=False, widget=forms.PasswordInput, max_length=128)


class SignInForm(StyledForm):
    email = forms.EmailField(label=_("Email"), max_length=254)
    password = forms.CharField(label=_("Password"), strip=False, widget=forms.PasswordInput, max_length=128)


class EmailForm(StyledForm):
    email = forms.EmailField(label=_("Email"), max_length=254)


class PasswordForm(StyledForm):
    password = forms.CharField(
        label=_("New password"), strip=False, widget=forms.PasswordInput, max_length=128
    )


class ProfileForm(StyledForm):
    name = forms.CharField(label=_("Your name"), max_length=150)
    language = forms.ChoiceField(label=_("Language"), choices=LANGUAGE_CHOICES)
    time_zone = forms.ChoiceField(label=_("Time zone"), required=False)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = [("", "—"), *time_zone_choices()]


class ReplyForm(StyledForm):
    body = forms.CharField(
        label=_("Your message"), widget=forms.Textarea(attrs={"rows": 5}), max_length=100_000
    )
