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
    """What a record may hold in one field, for one department.

    ``choices`` are the values offered; ``retired`` the values no longer offered that a record may keep
    (a value it already holds stays when the record is saved again). On a dependent pick list,
    ``parent_key`` names the controlling field and ``choice_parents`` maps a value to the parent values
    it is offered under (a value not in the map is offered under any).
    """

    key: str
    field_type: str
    choices: tuple[str, ...] = ()
    is_required: bool = False
    retired: tuple[str, ...] = ()
    parent_key: str = ""
    choice_parents: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def parents_of(self, value: str) -> tuple[str, ...]:
        """The parent values ``value`` is offered under; empty means under any."""
        return dict(self.choice_parents).get(value, ())


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


def _kept(spec: FieldSpec, value: Any, existing: Any) -> Any:
    """``value`` when it only repeats what the record holds in a value no longer offered, else ``None``.

    A retired value stays on the records that have it: saving such a record again (the whole form, or a
    client sending back what it read) must not fail because of it.
    """
    if value == existing and spec.field_type == "picklist" and value in spec.retired:
        return value
    if spec.field_type == "multi_select" and isinstance(value, list) and isinstance(existing, list):
        offered = (*spec.choices, *(item for item in spec.retired if item in existing))
        if all(isinstance(item, str) and item in offered for item in value):
            return list(dict.fromkeys(value))
    return None


def _offered(spec: FieldSpec, value: Any, parent_value: Any) -> bool:
    """Whether a dependent pick list's ``value`` fits its parent's value."""
    items = value if isinstance(value, list) else [value]
    parents = parent_value if isinstance(parent_value, list) else [parent_value]
    for item in items:
        needed = spec.parents_of(item)
        if needed and not any(parent in needed for parent in parents):
            return False
    return True


def clean_values(
    specs: Iterable[FieldSpec],
    values: Mapping[str, Any],
    *,
    existing: Mapping[str, Any] | None = None,
    field_prefix: str = "custom_fields",
) -> dict[str, Any]:
    """Validate ``values`` (a partial update over ``existing``) and return the merged, cleaned dict.

    ``None`` clears a value. Unknown keys, values not offered (for the record's department, or under the
    parent field's value) and missing required values are errors naming the field.
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
        kept = _kept(spec, value, (existing or {}).get(key))
        if kept is not None:
            merged[key] = kept
            continue
        try:
            merged[key] = clean_value(spec, value)
        except ValueError as exc:
            errors[f"{field_prefix}.{key}"] = str(exc)
    for spec in by_key.values():
        name = f"{field_prefix}.{spec.key}"
        held = merged.get(spec.key)
        if spec.field_type in ("picklist", "multi_select") and held is not None and name not in errors:
            # A value kept from before that this record may not hold now (it moved to a department
            # where the value is not offered) is refused like a new one.
            stale = [
                item
                for item in (held if isinstance(held, list) else [held])
                if item not in spec.choices and item not in spec.retired
            ]
            if stale:
                errors[name] = _("Not offered here: %(values)s.") % {"values": ", ".join(map(str, stale))}
                continue
        if not spec.parent_key or spec.key not in merged or name in errors:
            continue
        if not _offered(spec, merged[spec.key], merged.get(spec.parent_key)):
            errors[name] = _("Not a choice for %(parent)s = %(value)s.") % {
                "parent": spec.parent_key,
                "value": merged.get(spec.parent_key) or "—",
            }
    for spec in by_key.values():
        if spec.is_required and spec.key not in merged and f"{field_prefix}.{spec.key}" not in errors:
            errors[f"{field_prefix}.{spec.key}"] = _("This field is required.")
    merged = {key: value for key, value in merged.items() if key in by_key}
    if errors:
        raise ValidationFailed(_("Some custom fields are not valid."), fields=errors)
    return merged
