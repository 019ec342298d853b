"""A brand's help center: its look and its home page's modules."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import IO, Any

from django.core.files.base import File
from django.db import transaction
from django.utils.translation import gettext as _

from kefu.core.actors import Actor, Source
from kefu.core.audit import audit_record
from kefu.core.errors import PermissionDenied, ValidationFailed
from kefu.core.html import sanitize_html
from kefu.org import permissions
from kefu.org.models import Brand
from kefu.org.selectors import agent_access
from kefu.portal.models import MODULE_KEYS, HelpCenter, ModuleVisibility, Theme

_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
MAX_CSS = 50_000
MAX_LOGO_BYTES = 1024 * 1024
_LOGO_TYPES = {b"\x89PNG": "png", b"\xff\xd8\xff": "jpg", b"GIF8": "gif", b"RIFF": "webp"}


def require_manager(actor: Actor) -> None:
    if not (actor.is_agent and agent_access(actor.user).can(permissions.SETTINGS_MANAGE)):
        raise PermissionDenied(_("Only administrators may change help centers."))


def help_center_for(brand: Brand) -> HelpCenter:
    """The brand's help center, made with the defaults the first time anyone asks for it."""
    help_center, _created = HelpCenter.objects.get_or_create(brand=brand)
    return help_center


def clean_modules(value: object) -> list[dict[str, str]]:
    """Every known module exactly once, in the given order, each with a visibility."""
    visibilities = {choice.value for choice in ModuleVisibility}
    if not isinstance(value, list):
        raise ValidationFailed(
            _("The modules are not valid."), fields={"modules": _("Give a list of modules.")}
        )
    seen: list[dict[str, str]] = []
    for item in value:
        key = item.get("key") if isinstance(item, dict) else None
        visibility = item.get("visibility") if isinstance(item, dict) else None
        if key not in MODULE_KEYS or visibility not in visibilities or key in {m["key"] for m in seen}:
            raise ValidationFailed(
                _("The modules are not valid."),
                fields={"modules": _("Unknown or repeated module, or unknown visibility.")},
            )
        seen.append({"key": str(key), "visibility": str(visibility)})
    for key in MODULE_KEYS:  # a module missing from the list keeps existing, hidden
        if key not in {m["key"] for m in seen}:
            seen.append({"key": key, "visibility": ModuleVisibility.NOBODY.value})
    return seen


def _clean(values: Mapping[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    cleaned: dict[str, Any] = {}
    for name in ("title", "title_en"):
        if name in values:
            text = str(values[name] or "").strip()
            if len(text) > 150:
                errors[name] = _("Enter at most %(limit)d characters.") % {"limit": 150}
            cleaned[name] = text
    if "theme" in values:
        if values["theme"] not in {choice.value for choice in Theme}:
            errors["theme"] = _("Choose a theme.")
        cleaned["theme"] = values["theme"]
    if "primary_color" in values:
        if not isinstance(values["primary_color"], str) or not _COLOUR.match(values["primary_color"]):
            errors["primary_color"] = _("Enter a colour such as #206bc4.")
        cleaned["primary_color"] = values["primary_color"]
    if "custom_css" in values:
        css = str(values["custom_css"] or "")
        if len(css) > MAX_CSS:
            errors["custom_css"] = _("Enter at most %(limit)d characters.") % {"limit": MAX_CSS}
        # The CSS goes into a <style> element: it must not be able to close it.
        cleaned["custom_css"] = re.sub(r"<\s*/?\s*style", "", css, flags=re.IGNORECASE).replace("<", "")
    if "footer" in values:
        cleaned["footer"] = sanitize_html(str(values["footer"] or ""))[:5000]
    for name in ("is_enabled", "proof_of_work"):
        if name in values:
            cleaned[name] = bool(values[name])
    if "modules" in values:
        try:
            cleaned["modules"] = clean_modules(values["modules"])
        except ValidationFailed as error:
            errors.update(error.fields)
    if errors:
        raise ValidationFailed(_("The help center is not valid."), fields=errors)
    return cleaned


def help_center_update(
    *, actor: Actor, source: Source, brand: Brand, changes: Mapping[str, Any]
) -> HelpCenter:
    require_manager(actor)
    cleaned = _clean(changes)
    with transaction.atomic():
        help_center = help_center_for(brand)
        for name, value in cleaned.items():
            setattr(help_center, name, value)
        help_center.save()
        audit_record(actor=actor, source=source, action="help_center.updated", obj=help_center,
                     changes={key: str(value)[:200] for key, value in cleaned.items()})  # fmt: skip
    return help_center


def help_center_logo_set(
    *, actor: Actor, source: Source, brand: Brand, filename: str, content: IO[bytes]
) -> HelpCenter:
    """A PNG, JPEG, GIF or WebP logo of at most 1 MiB (SVG is refused: it can carry scripts)."""
    require_manager(actor)
    data = content.read(MAX_LOGO_BYTES + 1)
    kind = next((ext for magic, ext in _LOGO_TYPES.items() if data.startswith(magic)), None)
    if len(data) > MAX_LOGO_BYTES or kind is None:
        raise ValidationFailed(
            _("The logo is not valid."),
            fields={"logo": _("Upload a PNG, JPEG, GIF or WebP image of at most 1 MiB.")},
        )
    from django.core.files.base import ContentFile

    with transaction.atomic():
        help_center = help_center_for(brand)
        help_center.logo.save(f"{brand.slug}-logo.{kind}", File(ContentFile(data)), save=True)
        audit_record(actor=actor, source=source, action="help_center.logo_set", obj=help_center)
    return help_center
