"""Who may call the agent endpoints of the REST API: one check shared by every app's router."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _

from kefu.core.actors import Actor
from kefu.core.errors import PermissionDenied
from kefu.org.selectors import agent_access


def api_agent(request: HttpRequest) -> Actor:
    """The agent behind an API request, as the actor of what it changes; 403 for anyone else (a
    customer's session, a deactivated agent's key)."""
    if not agent_access(request.auth).is_agent:  # type: ignore[attr-defined]
        raise PermissionDenied(_("Only agents can use this endpoint."))
    return Actor.agent(request.auth)  # type: ignore[attr-defined]
