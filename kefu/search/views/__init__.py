"""The global search page and the quick results under the navbar's search box."""

from __future__ import annotations

from django import forms
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from kefu.core.htmx import is_partial
from kefu.org.selectors import agent_access, helpdesk_settings
from kefu.search.selectors import search_everything
from kefu.search.services import search_miss_record

MAX_QUERY = 200
PAGE_LIMIT = 20
QUICK_LIMIT = 5


class SearchForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Search"), required=False, max_length=MAX_QUERY, strip=True)


def results(request: HttpRequest) -> HttpResponse:
    """The full page for a plain GET; the quick dropdown for an HTMX request (the navbar box)."""
    quick = is_partial(request)
    if not request.user.is_authenticated:
        if quick:
            return HttpResponse(status=401)
        return redirect_to_login(request.get_full_path())
    if not agent_access(request.user).is_agent:
        raise PermissionDenied
    prefix = helpdesk_settings().ticket_number_prefix
    form = SearchForm(request.GET)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    notice = ""
    found = None
    if not form.is_valid():
        notice = _("Search for at most %(limit)d characters.") % {"limit": MAX_QUERY}
    elif not query:
        notice = _("Type a ticket number, a name, an email address, a phone number or words from a ticket.")
    else:
        found = search_everything(
            request.user, query, prefix=prefix, limit=QUICK_LIMIT if quick else PAGE_LIMIT
        )
        if not quick and not found.total:
            # Only the full page: the dropdown searches every prefix typed on the way.
            search_miss_record(area="console", query=query, language=get_language() or "")
    context = {
        "form": form,
        "query": query,
        "raw_query": request.GET.get("q", "")[:MAX_QUERY],
        "notice": notice,
        "results": found,
        "number_prefix": prefix,
    }
    template = "search/partials/quick.html" if quick else "search/results.html"
    return render(request, template, context)
