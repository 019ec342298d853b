"""The field catalog: what the rule builders and API clients can choose from, in the viewer's language."""

from __future__ import annotations

from typing import Any

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from kefu.automation.criteria.clean import operators_for
from kefu.automation.criteria.fields import Field, all_fields
from kefu.automation.criteria.operators import OPERATORS

GROUPS = {
    "ticket": _("Ticket"),
    "conversation": _("Conversation"),
    "time": _("Time"),
    "custom": _("Custom fields"),
    "contact": _("Contact"),
    "account": _("Account"),
}


def _labels(label: Any) -> dict[str, str]:
    labels = {}
    for language in ("zh-hans", "en"):
        with translation.override(language):
            labels[language] = str(label)
    return labels


def field_entry(field: Field, *, allow_changes: bool = True, with_choices: bool = True) -> dict[str, Any]:
    choices = field.choices() if (with_choices and field.choices) else None
    return {
        "key": field.key,
        "label": str(field.label),
        "labels": _labels(field.label),
        "group": field.group,
        "type": field.kind.name,
        "operators": list(operators_for(field, allow_changes=allow_changes)),
        "choices": [{"value": value, "label": label} for value, label in choices]
        if choices is not None
        else None,
    }


def field_catalog(*, allow_changes: bool = True) -> dict[str, Any]:
    """``{"fields": [...], "operators": [...], "groups": [...]}``; labels in the active language.

    Each field lists the operators it takes and, for fields with a known set of values, the choices
    (value and label); each operator says which value it expects (``none``, ``one``, ``list``, ``range``).
    """
    return {
        "fields": [field_entry(field, allow_changes=allow_changes) for field in all_fields()],
        "operators": [
            {"key": op.key, "label": str(op.label), "value": op.value.value, "needs_change": op.needs_change}
            for op in OPERATORS.values()
            if allow_changes or not op.needs_change
        ],
        "groups": [{"key": key, "label": str(label)} for key, label in GROUPS.items()],
    }
