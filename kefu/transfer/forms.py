"""Console forms of imports and exports: they parse input; the services check it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kefu.transfer.models import ExportJob, ImportKind

SELECT = {"class": "form-select"}


class ImportUploadForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What to import"), choices=ImportKind.choices, widget=forms.Select(attrs=SELECT)
    )
    module = forms.ChoiceField(
        label=_("Module (records)"), required=False, choices=(), widget=forms.Select(attrs=SELECT)
    )
    department = forms.ChoiceField(
        label=_("Department of tickets without one (Zendesk, Zoho)"),
        required=False,
        choices=(),
        widget=forms.Select(attrs=SELECT),
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_("CSV or XLSX with a header row; for Zendesk or Zoho Desk, the ZIP of their export."),
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ".csv,.xlsx,.zip"}),
    )

    def __init__(
        self, *args: Any, modules: list[tuple[str, str]], departments: list[tuple[str, str]], **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        self.fields["module"].choices = [("", "—"), *modules]
        self.fields["department"].choices = [("", "—"), *departments]


class MappingForm(forms.Form):
    """One select per column of the file: which target it fills (or none)."""

    save_as = forms.CharField(
        label=_("Save this mapping as"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )

    def __init__(
        self,
        *args: Any,
        columns: list[str],
        targets: list[tuple[str, str]],
        mapping: dict[str, str],
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        self.columns = columns
        for index, column in enumerate(columns):
            self.fields[f"col_{index}"] = forms.ChoiceField(
                label=column,
                required=False,
                choices=[("", _("Do not import")), *targets],
                initial=mapping.get(column, ""),
                widget=forms.Select(attrs=SELECT),
            )

    def column_fields(self) -> list[forms.BoundField]:
        return [self[f"col_{index}"] for index in range(len(self.columns))]

    def mapping(self) -> dict[str, str]:
        return {
            column: self.cleaned_data[f"col_{index}"]
            for index, column in enumerate(self.columns)
            if self.cleaned_data.get(f"col_{index}")
        }


class ExportForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What to export"),
        choices=[
            ("tickets", _("Tickets")),
            ("contacts", _("Contacts")),
            ("accounts", _("Accounts")),
            ("records", _("Module records")),
            ("articles", _("Knowledge base articles")),
        ],
        widget=forms.Select(attrs=SELECT),
    )
    module = forms.ChoiceField(
        label=_("Module (records)"), required=False, choices=(), widget=forms.Select(attrs=SELECT)
    )
    format = forms.ChoiceField(
        label=_("Format"), choices=ExportJob.Format.choices, widget=forms.Select(attrs=SELECT)
    )

    def __init__(self, *args: Any, modules: list[tuple[str, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["module"].choices = [("", "—"), *modules]
