"""What every organisation service shares: the permission check and the supported languages."""

from __future__ import annotations

from django.utils.translation import gettext as _

from kefu.core.actors import Actor
from kefu.core.errors import PermissionDenied
from kefu.org.selectors import agent_access

LANGUAGES = ("zh-hans", "en")


def require_permission(actor: Actor, permission: str) -> None:
    """Raise unless ``actor`` is a non-agent system actor or an agent holding ``permission``."""
    if not actor.is_agent:
        return
    if not agent_access(actor.user).can(permission):
        raise PermissionDenied(_("You do not have permission to do this."))


def required(errors: dict[str, str], field: str, value: str) -> str:
    """Strip ``value`` and note ``field`` as missing in ``errors`` when nothing is left."""
    value = value.strip()
    if not value:
        errors[field] = _("This field is required.")
    return value
