"""Checking custom-field values against their definitions. Pure: takes definitions, returns clean values."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import URLValidator, validate_email
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from kefu.core.errors import ValidationFailed

MAX_TEXT = 255
MAX_LONG_TEXT = 32_000
_PHONE = re.compile(r"^\+?[0-9 ()\-.]{3,32}$")


@dataclass(frozen=True)
class FieldSpec:
    key: str
    field_type: str
    choices: tuple[str, ...] = ()
    is_required: bool = False


def _text(value: Any, limit: int) -> str:
    if not isinstance(value, str):
        raise ValueError(_("Enter text."))
    if len(value) > limit:
        raise ValueError(_("Enter at most %(limit)d characters.") % {"limit": limit})
    return value


def _number(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValueError(_("Enter a whole number."))
    try:
        number = int(value)
    except ValueError as exc:
        raise ValueError(_("Enter a whole number.")) from exc
    if abs(number) > 2**53:
        raise ValueError(_("The number is too large."))
    return number


def _decimal(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ValueError(_("Enter a number."))
    try:
        number = Decimal(str(value))
    except InvalidOperation as exc:
        raise ValueError(_("Enter a number.")) from exc
    if not number.is_finite() or abs(number) > Decimal(10) ** 15:
        raise ValueError(_("Enter a number."))
    return str(number)


def _date(value: Any) -> str:
    try:
        parsed = parse_date(value) if isinstance(value, str) else None
    except ValueError:  # well-formed but impossible, such as 2020-13-01
        parsed = None
    if parsed is None:
        raise ValueError(_("Enter a date as YYYY-MM-DD."))
    return parsed.isoformat()


def _datetime(value: Any) -> str:
    try:
        parsed = parse_datetime(value) if isinstance(value, str) else None
    except ValueError:
        parsed = None
    if parsed is None or parsed.tzinfo is None:
        raise ValueError(_("Enter a date and time in ISO 8601 with an offset."))
    return parsed.astimezone(dt.UTC).isoformat()


def _choice(value: Any, choices: tuple[str, ...]) -> str:
    if value not in choices:
        raise ValueError(_("Choose one of: %(choices)s.") % {"choices": ", ".join(choices)})
    return value


def _multi(value: Any, choices: tuple[str, ...]) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValueError(_("Enter a list of choices."))
    unknown = [item for item in value if item not in choices]
    if unknown:
        raise ValueError(_("Choose from: %(choices)s.") % {"choices": ", ".join(choices)})
    return list(dict.fromkeys(value))


def _checkbox(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError(_("Enter true or false."))
    return value


def _email(value: Any) -> str:
    value = _text(value, MAX_TEXT)
    try:
        validate_email(value)
    except DjangoValidationError as exc:
        raise ValueError(_("Enter a valid email address.")) from exc
    return value


def _url(value: Any) -> str:
    value = _text(value, 2000)
    try:
        URLValidator(schemes=["http", "https"])(value)
    except DjangoValidationError as exc:
        raise ValueError(_("Enter a valid URL.")) from exc
    return value


def _phone(value: Any) -> str:
    value = _text(value, 32)
    if not _PHONE.match(value):
        raise ValueError(_("Enter a valid phone number."))
    return value


def clean_value(spec: FieldSpec, value: Any) -> Any:
    """Return the stored form of ``value`` for ``spec``, or raise ``ValueError`` with the reason."""
    cleaners = {
        "text": lambda v: _text(v, MAX_TEXT),
        "long_text": lambda v: _text(v, MAX_LONG_TEXT),
        "number": _number,
        "decimal": _decimal,
        "date": _date,
        "datetime": _datetime,
        "picklist": lambda v: _choice(v, spec.choices),
        "multi_select": lambda v: _multi(v, spec.choices),
        "checkbox": _checkbox,
        "email": _email,
        "url": _url,
        "phone": _phone,
    }
    return cleaners[spec.field_type](value)


def clean_values(
    specs: Iterable[FieldSpec],
    values: Mapping[str, Any],
    *,
    existing: Mapping[str, Any] | None = None,
    field_prefix: str = "custom_fields",
) -> dict[str, Any]:
    """Validate ``values`` (a partial update over ``existing``) and return the merged, cleaned dict.

    ``None`` clears a value. Unknown keys and missing required values are errors naming the field.
    """
    by_key = {spec.key: spec for spec in specs}
    merged = dict(existing or {})
    errors: dict[str, str] = {}
    for key, value in values.items():
        spec = by_key.get(key)
        if spec is None:
            errors[f"{field_prefix}.{key}"] = _("Unknown field.")
            continue
        if value is None or value == "" or value == []:
            merged.pop(key, None)
            continue
        try:
            merged[key] = clean_value(spec, value)
        except ValueError as exc:
            errors[f"{field_prefix}.{key}"] = str(exc)
    for spec in by_key.values():
        if spec.is_required and spec.key not in merged and f"{field_prefix}.{spec.key}" not in errors:
            errors[f"{field_prefix}.{spec.key}"] = _("This field is required.")
    merged = {key: value for key, value in merged.items() if key in by_key}
    if errors:
        raise ValidationFailed(_("Some custom fields are not valid."), fields=errors)
    return merged
