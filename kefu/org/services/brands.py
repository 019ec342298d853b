"""Brands: the product lines a help desk serves, each with its help center, departments and origins."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from django.db import transaction
from django.utils.translation import gettext as _

from kefu.core.actors import Actor, Source
from kefu.core.audit import audit_record
from kefu.core.errors import PermissionDenied, ValidationFailed
from kefu.org import permissions
from kefu.org.models import Brand, Department
from kefu.org.services.common import require_permission

_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
LANGUAGES = ("zh-hans", "en")
MAX_ORIGINS = 20


def clean_origin(value: object) -> str | None:
    """``https://shop.example.com[:port]`` exactly as a browser sends it in ``Origin``, or None."""
    if not isinstance(value, str):
        return None
    parts = urlsplit(value.strip().rstrip("/"))
    if (
        parts.scheme not in ("http", "https")
        or not parts.hostname
        or parts.path
        or parts.query
        or parts.fragment
    ):
        return None
    if parts.username or parts.password:
        return None
    try:
        port = parts.port
    except ValueError:
        return None
    host = parts.hostname.lower()
    return f"{parts.scheme}://{host}" + (f":{port}" if port else "")


def _clean(values: Mapping[str, Any], brand: Brand | None) -> dict[str, Any]:
    errors: dict[str, str] = {}
    cleaned: dict[str, Any] = {}
    if "name" in values:
        name = values["name"].strip() if isinstance(values["name"], str) else ""
        if not name or len(name) > 100:
            errors["name"] = _("Enter a name of at most 100 characters.")
        cleaned["name"] = name
    if "slug" in values:
        slug = values["slug"].strip().lower() if isinstance(values["slug"], str) else ""
        if not _SLUG.match(slug):
            errors["slug"] = _("Use lower-case letters, digits and hyphens.")
        elif Brand.objects.filter(slug=slug).exclude(pk=brand.pk if brand else 0).exists():
            errors["slug"] = _("Another brand has this slug.")
        cleaned["slug"] = slug
    if "default_language" in values:
        if values["default_language"] not in LANGUAGES:
            errors["default_language"] = _("Choose zh-hans or en.")
        cleaned["default_language"] = values["default_language"]
    if "allowed_origins" in values:
        raw = values["allowed_origins"]
        origins = [clean_origin(item) for item in raw] if isinstance(raw, list) else [None]
        if None in origins or len(origins) > MAX_ORIGINS:
            errors["allowed_origins"] = _("Give web origins such as https://shop.example.com (at most 20).")
        cleaned["allowed_origins"] = sorted({origin for origin in origins if origin})
    if "department_ids" in values:
        ids = values["department_ids"]
        found = list(Department.objects.filter(pk__in=ids)) if isinstance(ids, list) else []
        if not isinstance(ids, list) or len(found) != len(set(ids)):
            errors["department_ids"] = _("Unknown department id.")
        cleaned["departments"] = found
    if "is_default" in values:
        cleaned["is_default"] = bool(values["is_default"])
    if errors:
        raise ValidationFailed(_("The brand is not valid."), fields=errors)
    return cleaned


def _save(brand: Brand, cleaned: dict[str, Any]) -> Brand:
    departments = cleaned.pop("departments", None)
    for name, value in cleaned.items():
        setattr(brand, name, value)
    brand.save()
    if departments is not None:
        brand.departments.set(departments)
    if brand.is_default:
        Brand.objects.exclude(pk=brand.pk).filter(is_default=True).update(is_default=False)
    return brand


def _require_manager(actor: Actor) -> None:
    """Administrators (and the system: the demo, imports); never a customer."""
    if actor.is_contact:
        raise PermissionDenied(_("You do not have permission to do this."))
    require_permission(actor, permissions.SETTINGS_MANAGE)


def brand_create(*, actor: Actor, source: Source, values: Mapping[str, Any]) -> Brand:
    _require_manager(actor)
    missing = {name: _("This field is required.") for name in ("name", "slug") if name not in values}
    if missing:
        raise ValidationFailed(_("The brand is not valid."), fields=missing)
    cleaned = _clean(values, None)
    with transaction.atomic():
        brand = _save(Brand(), cleaned)
        audit_record(actor=actor, source=source, action="brand.created", obj=brand)
    return brand


def brand_update(*, actor: Actor, source: Source, brand: Brand, changes: Mapping[str, Any]) -> Brand:
    _require_manager(actor)
    cleaned = _clean(changes, brand)
    with transaction.atomic():
        brand = _save(brand, cleaned)
        audit_record(actor=actor, source=source, action="brand.updated", obj=brand,
                     changes={key: str(value) for key, value in changes.items()})  # fmt: skip
    return brand
