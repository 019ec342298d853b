"""Health check, robots.txt and the error pages (400, 403, 404, 500) in the console's look and language."""

from __future__ import annotations

from django.db import connection
from django.db.utils import DatabaseError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader

from kefu.core.api_errors import api_not_found


def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database answers; 503 otherwise. No authentication, no session, no template."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "database": "down"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def robots(request: HttpRequest) -> HttpResponse:
    return HttpResponse("User-agent: *\nDisallow: /\n", content_type="text/plain")


def _error_page(request: HttpRequest, status: int, template: str) -> HttpResponse:
    """A page in the console's layout and language, with the navigation and a way back home."""
    return render(request, template, {"status": status}, status=status)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """404: a missing page, and anything the agent may not see (another department's ticket); API
    clients never get an HTML page."""
    if request.path_info.startswith("/api/"):
        return api_not_found()
    return _error_page(request, 404, "errors/404.html")


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error_page(request, 403, "errors/403.html")


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error_page(request, 400, "errors/400.html")


def server_error(request: HttpRequest) -> HttpResponse:
    """500: rendered without context processors or database reads, since either may be what failed;
    the language chosen by LocaleMiddleware still applies."""
    html = loader.get_template("errors/500.html").render({"status": 500})
    return HttpResponse(html, status=500)
