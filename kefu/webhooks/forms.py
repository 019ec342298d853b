"""The settings form of a webhook subscription (the service checks the URL, the events and the conditions)."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kefu.org.forms import StyledForm
from kefu.webhooks.events import WEBHOOK_EVENTS, event_label
from kefu.webhooks.inputs import WebhookInput


class WebhookForm(StyledForm):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    url = forms.CharField(
        label=gettext_lazy("URL"),
        max_length=2000,
        help_text=gettext_lazy("Where to POST the events, e.g. https://crm.example.com/hooks/kefu"),
    )
    event_types = forms.MultipleChoiceField(
        label=gettext_lazy("Events"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("None: only rules post to this webhook (the “Post a webhook” action)."),
    )
    enabled = forms.BooleanField(label=gettext_lazy("Enabled"), required=False, initial=True)
    criteria = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["event_types"].choices = [
            (member.value, event_label(member.value)) for member in WEBHOOK_EVENTS
        ]

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

    def to_input(self) -> WebhookInput:
        data = self.cleaned_data
        return WebhookInput(
            name=data["name"],
            url=data["url"],
            event_types=list(data["event_types"]),
            criteria=data["criteria"] or None,
            enabled=bool(data["enabled"]),
        )


def webhook_initial(subscription: Any) -> dict[str, Any]:
    return {
        "name": subscription.name,
        "url": subscription.url,
        "event_types": list(subscription.event_types),
        "enabled": subscription.enabled,
        "criteria": json.dumps(subscription.criteria or {"all": []}, ensure_ascii=False),
    }
