"""What every help-center page shares: the brand from the URL, the language, the reader and the layout.

Language: ``?lang=`` (kept in the language cookie), else the cookie, else the signed-in customer's
language, else the brand's default language. Pages are rendered per brand and language; canonical
URLs carry ``?lang=`` only when the language is not the brand's default.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation

from kefu.kb.selectors import Reader
from kefu.org.views.common import set_language_cookie
from kefu.portal import selectors

LANGUAGES = ("zh-hans", "en")


@dataclass
class Site:
    """The help center a request is for, and who is reading it in which language."""

    brand: Any
    help_center: Any
    customer: Any
    agent: bool
    language: str
    language_chosen: bool

    @property
    def reader(self) -> Reader:
        return Reader(brand_id=self.brand.pk, customer=self.customer is not None, agent=self.agent)

    @property
    def signed_in(self) -> bool:
        return self.customer is not None


def _language(request: HttpRequest, brand: Any, customer: Any) -> tuple[str, bool]:
    asked = request.GET.get("lang", "")
    if asked in LANGUAGES:
        return asked, True
    cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    if cookie in LANGUAGES:
        return cookie, False
    if customer is not None and customer.language in LANGUAGES:
        return customer.language, False
    return (brand.default_language if brand.default_language in LANGUAGES else "zh-hans"), False


def site_for(request: HttpRequest, slug: str) -> Site:
    brand = selectors.brand_by_slug(slug)
    if brand is None:
        raise Http404
    help_center = selectors.help_center_of(brand)
    agent = selectors.is_agent(request.user)
    if not help_center.is_enabled and not agent:
        raise Http404
    customer = selectors.customer_of(request.user)
    language, chosen = _language(request, brand, customer)
    return Site(brand, help_center, customer, agent, language, chosen)


View = Callable[..., HttpResponse]


def help_center_view(view: View) -> View:
    """Give the view its ``Site`` and render it in the site's language."""

    @wraps(view)
    def wrapped(request: HttpRequest, slug: str, *args: Any, **kwargs: Any) -> HttpResponse:
        site = site_for(request, slug)
        with translation.override(site.language):
            request.LANGUAGE_CODE = site.language
            response = view(request, site, *args, **kwargs)
        if site.language_chosen:
            set_language_cookie(response, site.language)
        response.headers.setdefault("Content-Language", site.language)
        return response

    return wrapped


def page(
    request: HttpRequest, site: Site, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    return render(request, template, {"site": site, **context}, status=status)


def client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None
