"""The gate in front of every console page: who may open it at all.

One decorator for every app's views, so that "not signed in" always means the sign-in page and
"signed in but not an agent (or without the right)" always means a 403. Per-object rules stay in the
services and selectors (another department's ticket is a 404 there, not here).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from kefu.org.selectors import agent_access

View = Callable[..., HttpResponse]


def agent_required(permission: str | None = None) -> Callable[[View], View]:
    """Anonymous people go to the sign-in page; signed-in users who are not agents, or lack
    ``permission``, get a 403."""

    def decorator(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            access = agent_access(request.user)
            if not access.is_agent or (permission is not None and not access.can(permission)):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
