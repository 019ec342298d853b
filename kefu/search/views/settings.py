"""The search settings: the dictionary (synonyms and product terms) and the report of searches that
found nothing, for the administrators and the knowledge base's authors."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kefu.core.actors import Source
from kefu.core.errors import NotFound
from kefu.org import permissions
from kefu.org.decorators import agent_required
from kefu.org.selectors import agent_access
from kefu.org.views.common import actor_of, form_page, posted, render_settings
from kefu.search import services
from kefu.search.forms import DictionaryEntryForm
from kefu.search.models import MISS_AREAS
from kefu.search.selectors import dictionary_entries, dictionary_entry_get, search_misses
from kefu.search.tasks import reindex_all

MANAGE = permissions.SETTINGS_MANAGE


def _entry_or_404(entry_id: int) -> Any:
    try:
        return dictionary_entry_get(entry_id)
    except NotFound:
        raise Http404 from None


@agent_required(MANAGE)
def dictionary(request: HttpRequest) -> HttpResponse:
    """The list of entries and the form that adds one (HTMX: the panel is swapped in place)."""

    def submit(data: dict[str, Any]) -> None:
        services.dictionary_entry_create(
            actor=actor_of(request), source=Source.WEB, terms=data["terms"], note=data["note"]
        )

    return form_page(
        request,
        form=DictionaryEntryForm(posted(request)),
        submit=submit,
        success_message=_("The entry was added."),
        success_url=reverse("search:dictionary"),
        template="search/settings/dictionary.html",
        partial="search/settings/partials/dictionary.html",
        blank_form=lambda: DictionaryEntryForm(),
        context=lambda: {"entries": list(dictionary_entries())},
        nav="search-dictionary",
    )


@agent_required(MANAGE)
def dictionary_edit(request: HttpRequest, entry_id: int) -> HttpResponse:
    entry = _entry_or_404(entry_id)

    def submit(data: dict[str, Any]) -> None:
        services.dictionary_entry_update(
            actor=actor_of(request), source=Source.WEB, entry=entry, terms=data["terms"], note=data["note"]
        )

    return form_page(
        request,
        form=DictionaryEntryForm(posted(request), initial=DictionaryEntryForm.initial_for(entry)),
        submit=submit,
        success_message=_("The entry was saved."),
        success_url=reverse("search:dictionary"),
        template="search/settings/dictionary_edit.html",
        context=lambda: {"entry": entry},
        nav="search-dictionary",
    )


@require_POST
@agent_required(MANAGE)
def dictionary_delete(request: HttpRequest, entry_id: int) -> HttpResponse:
    entry = _entry_or_404(entry_id)
    services.dictionary_entry_delete(actor=actor_of(request), source=Source.WEB, entry=entry)
    messages.success(request, _("The entry was deleted."))
    return redirect("search:dictionary")


@require_POST
@agent_required(MANAGE)
def reindex(request: HttpRequest) -> HttpResponse:
    reindex_all.delay()
    messages.success(request, _("The search index is being rebuilt. Searches keep working meanwhile."))
    return redirect("search:dictionary")


@agent_required()
def misses(request: HttpRequest) -> HttpResponse:
    """Searches that found nothing, most frequent first: what the knowledge base should answer next."""
    area = request.GET.get("area", "")[:40]
    can_clear = agent_access(request.user).can(MANAGE)
    if request.method == "POST":
        if not can_clear:
            raise PermissionDenied
        deleted = services.search_misses_clear(actor=actor_of(request), source=Source.WEB)
        messages.success(request, _("%(count)d entries were cleared.") % {"count": deleted})
        return redirect("search:misses")
    context = {
        "misses": search_misses(area=area or None, limit=200),
        "area": area,
        "areas": MISS_AREAS.items(),
        "can_clear": can_clear,
    }
    return render_settings(request, "search/settings/misses.html", context, nav="search-misses")
