"""Console forms of the search app."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kefu.org.forms import StyledForm

# Spellings are typed on one line, separated by commas (ASCII or Chinese), 、 or new lines.
_SEPARATORS = re.compile(r"[,，、;；\n]+")


def split_spellings(value: str) -> list[str]:
    return [part.strip() for part in _SEPARATORS.split(value) if part.strip()]


class DictionaryEntryForm(StyledForm):
    terms = forms.CharField(
        label=_("Spellings"),
        max_length=1100,
        help_text=_(
            "Words that mean the same, separated by commas, e.g. “Wi-Fi, wifi, 无线网络”. "
            "A single word is a product term that is never cut in two."
        ),
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def clean_terms(self) -> list[str]:
        spellings = split_spellings(self.cleaned_data["terms"])
        if not spellings:
            raise forms.ValidationError(_("Enter at least one word."))
        return spellings

    @staticmethod
    def initial_for(entry: Any) -> dict[str, Any]:
        return {"terms": ", ".join(entry.terms), "note": entry.note}
