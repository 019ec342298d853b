"""Search-as-you-type for a contact, used by the create-ticket page: an HTML fragment or JSON."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from kefu.contacts.forms import SearchForm
from kefu.contacts.selectors import contact_lookup
from kefu.org.selectors import agent_access


def _wants_json(request: HttpRequest) -> bool:
    accept = request.headers.get("Accept", "")
    return "application/json" in accept and "text/html" not in accept


def _error(
    request: HttpRequest, status: int, code: str, message: str, fields: dict[str, str]
) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse({"error": {"code": code, "message": message, "fields": fields}}, status=status)
    return render(request, "contacts/partials/lookup.html", {"error": message}, status=status)


def contact_lookup_view(request: HttpRequest) -> HttpResponse:
    """Up to ten contacts matching ``q``. Answers 401/403 rather than redirecting: it is never a page."""
    if not request.user.is_authenticated:
        return _error(request, 401, "not_authenticated", _("Sign in first."), {})
    if not agent_access(request.user).is_agent:
        return _error(request, 403, "permission_denied", _("Only agents can look up contacts."), {})
    form = SearchForm(request.GET)
    if not form.is_valid():
        fields = {name: " ".join(errors) for name, errors in form.errors.items()}
        return _error(request, 400, "validation_failed", _("The search text is not valid."), fields)
    q = form.query()
    contacts = contact_lookup(q) if q else []
    if _wants_json(request):
        return JsonResponse(
            {
                "items": [
                    {
                        "id": contact.pk,
                        "name": contact.name,
                        "email": contact.email,
                        "phone": contact.phone,
                        "mobile": contact.mobile,
                        "account": contact.account.name if contact.account else None,
                        "url": reverse("contacts:detail", args=[contact.pk]),
                    }
                    for contact in contacts
                ]
            }
        )
    return render(request, "contacts/partials/lookup.html", {"contacts": contacts, "q": q})
