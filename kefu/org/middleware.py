"""Show times in the signed-in agent's own time zone on every page."""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from kefu.org.selectors import agent_time_zone

SESSION_KEY = "kefu_time_zone"


def remember_time_zone(request: HttpRequest, time_zone: str) -> None:
    """Store the zone in the session (at sign-in and on profile save) so later requests need no query."""
    request.session[SESSION_KEY] = time_zone
    timezone.activate(zoneinfo.ZoneInfo(time_zone))


def _activate(time_zone: str) -> None:
    try:
        timezone.activate(zoneinfo.ZoneInfo(time_zone))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        timezone.deactivate()


class TimeZoneMiddleware:
    """Activate ``Agent.time_zone`` for the request; anyone else sees the installation's ``TIME_ZONE``.

    The zone is read from the session; a session without it (one that predates this middleware, or a
    test client's ``force_login``) looks it up once and keeps it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            time_zone = request.session.get(SESSION_KEY)
            if time_zone is None:
                time_zone = agent_time_zone(user) or ""
                request.session[SESSION_KEY] = time_zone
            _activate(time_zone)
        else:
            timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
