"""What the organisation's pages share: the settings layout's context and small helpers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from kefu.core.actors import Actor
from kefu.core.errors import ServiceError
from kefu.core.htmx import is_partial
from kefu.org import permissions

# Re-exported: the email channel's settings pages import the gate from here.
from kefu.org.decorators import agent_required as agent_required
from kefu.org.selectors import agent_access


def actor_of(request: HttpRequest) -> Actor:
    return Actor.agent(request.user)


def site_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")


def set_language_cookie(response: HttpResponse, language: str) -> None:
    """What Django's own language switch does: LocaleMiddleware reads this cookie on every request."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


def render_settings(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    *,
    nav: str,
    partial: str | None = None,
    status: int = 200,
) -> HttpResponse:
    """Render a settings page inside the settings layout, or only ``partial`` for an HTMX request."""
    access = agent_access(request.user)
    context = {
        **context,
        "settings_nav": nav,
        "can_manage_settings": access.can(permissions.SETTINGS_MANAGE),
        "can_manage_agents": access.can(permissions.AGENT_MANAGE),
    }
    chosen = partial if partial and is_partial(request) else template
    return render(request, chosen, context, status=status)


def form_page(
    request: HttpRequest,
    *,
    form: Any,
    submit: Callable[[dict[str, Any]], Any],
    success_message: str,
    success_url: str,
    template: str,
    context: Callable[[], dict[str, Any]],
    nav: str,
    partial: str | None = None,
    blank_form: Callable[[], Any] | None = None,
    field_map: dict[str, str] | None = None,
) -> HttpResponse:
    """The shape of every settings form: validate, call the service, show its refusal on the form.

    A full-page POST redirects after success; an HTMX POST gets the partial back with a blank form and
    the confirmation, so the list updates in place. ``context`` is called after the write so that the
    list shows the new row.
    """
    saved_message = None
    if request.method == "POST" and form.is_valid():
        try:
            submit(form.cleaned_data)
        except ServiceError as exc:
            form.apply_service_error(exc, field_map)
        else:
            if not (partial and blank_form and is_partial(request)):
                messages.success(request, success_message)
                return redirect(success_url)
            form, saved_message = blank_form(), success_message
    return render_settings(
        request,
        template,
        {**context(), "form": form, "saved_message": saved_message},
        nav=nav,
        partial=partial,
    )


def posted(request: HttpRequest) -> Any:
    """The POST data of a POST (even an empty one, so that it shows “required” errors), else None."""
    return request.POST if request.method == "POST" else None
