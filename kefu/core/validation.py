"""Small checks every domain needs, returning a yes or no so that services can collect all field errors."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _


def is_email(address: str) -> bool:
    try:
        validate_email(address)
    except ValidationError:
        return False
    return True


MAX_CATALOGUE_NAME = 100  # the models' max_length, and the number in the message
MAX_CATALOGUE_ORDER = 10_000


def clean_catalogue_names(errors: dict[str, str], *, name: str, name_en: str, order: int) -> dict[str, Any]:
    """The names (Chinese, English) and sort order that every settings catalogue row has — statuses,
    priorities, custom fields — checked alike, with each problem added to ``errors`` by field."""
    values: dict[str, Any] = {"name": name.strip(), "name_en": name_en.strip(), "order": order}
    if not values["name"]:
        errors["name"] = _("This field is required.")
    for field in ("name", "name_en"):
        if len(values[field]) > MAX_CATALOGUE_NAME:
            errors[field] = _("Enter at most 100 characters.")
    if not 0 <= order <= MAX_CATALOGUE_ORDER:
        errors["order"] = _("Enter a number from 0 to %(max)d.") % {"max": MAX_CATALOGUE_ORDER}
    return values
