"""What the API routers and console pages of assignment, skills, macros and canned replies share."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from kefu.core.actors import Actor
from kefu.core.errors import PermissionDenied
from kefu.org.selectors import agent_access


def agent_actor(user: Any) -> Actor:
    """The calling agent as an actor; anyone else (a contact's key, a user without a profile) is refused."""
    if not agent_access(user).is_agent:
        raise PermissionDenied(_("Only agents can use this endpoint."))
    return Actor.agent(user)
