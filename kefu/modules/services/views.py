"""Saved views of a module's record list: a name and the filters, private or shared."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from kefu.core.actors import Actor, ActorKind
from kefu.core.errors import NotFound, PermissionDenied, ValidationFailed
from kefu.modules.models import RecordView
from kefu.modules.selectors import Level, module_definition
from kefu.modules.services.common import definition_of, require_level

MAX_NAME = 100


def record_view_save(
    *, actor: Actor, module_key: str, name: str, filters: Mapping[str, Any], is_shared: bool = False
) -> RecordView:
    """Save the current filters under ``name`` (the same name again replaces the agent's own view);
    sharing with everyone needs the manage level."""
    if actor.kind is not ActorKind.AGENT:
        raise PermissionDenied(_("Only agents have saved views."))
    definition = definition_of(module_key)
    require_level(actor, definition, Level.MANAGE if is_shared else Level.READ)
    name = name.strip()
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = _("This field is required.")
    elif len(name) > MAX_NAME:
        errors["name"] = _("Enter at most %(limit)d characters.") % {"limit": MAX_NAME}
    known = {field.key for field in definition.fields} | {"q"}
    unknown = [key for key in filters if key not in known]
    if unknown:
        errors["filters"] = _("Unknown field: %(keys)s.") % {"keys": ", ".join(unknown)}
    if errors:
        raise ValidationFailed(_("The view is not valid."), fields=errors)
    clean = {key: str(value) for key, value in filters.items() if value not in (None, "")}
    view, _created = RecordView.objects.update_or_create(
        module_id=definition.id,
        owner=actor.user,
        name=name,
        defaults={"filters": clean, "is_shared": is_shared},
    )
    return view


def record_view_delete(*, actor: Actor, module_key: str, view_id: int) -> None:
    """Agents delete their own views; a shared view of someone else needs the manage level."""
    if actor.kind is not ActorKind.AGENT:
        raise PermissionDenied(_("Only agents have saved views."))
    definition = module_definition(module_key)
    view = RecordView.objects.filter(pk=view_id, module_id=definition.id if definition else 0).first()
    if definition is None or view is None or (view.owner_id != actor.user.pk and not view.is_shared):
        raise NotFound(_("No such view."))
    if view.owner_id != actor.user.pk:
        require_level(actor, definition, Level.MANAGE)
    view.delete()
