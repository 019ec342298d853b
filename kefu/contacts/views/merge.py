"""Merging a duplicate contact: find the other contact, pick the one to keep, confirm."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from kefu.contacts.forms import MergeForm, SearchForm
from kefu.contacts.models import Contact
from kefu.contacts.selectors import contact_get, contact_lookup
from kefu.contacts.services.merge import contact_merge
from kefu.contacts.views.common import require_manage
from kefu.contacts.views.contacts import resolve_contact
from kefu.core.actors import Actor, Source
from kefu.core.errors import ServiceError
from kefu.core.ids import parse_id
from kefu.org.decorators import agent_required


def _other(request: HttpRequest) -> Contact | None:
    other_id = parse_id((request.POST if request.method == "POST" else request.GET).get("other", ""))
    return contact_get(other_id) if other_id else None


@agent_required()
def contact_merge_page(request: HttpRequest, contact_id: int) -> HttpResponse:
    require_manage(request)
    contact, survivor = resolve_contact(contact_id)
    if contact is None:
        return redirect("contacts:merge", survivor)
    other = _other(request)
    search = SearchForm(request.GET)
    q = search.query()
    candidates = [found for found in contact_lookup(q) if found.pk != contact.pk] if q else []
    form = MergeForm(request.POST or None, pair=(contact, other)) if other else None
    if form is not None and request.method == "POST" and form.is_valid():
        keep, merge = (contact, other) if form.cleaned_data["keep"] == contact.pk else (other, contact)
        try:
            contact_merge(actor=Actor.agent(request.user), source=Source.WEB, keep=keep, merge=merge)
        except ServiceError as exc:
            form.add_service_errors(exc.message, exc.fields)
        else:
            messages.success(
                request, _("%(merged)s was merged into %(kept)s.") % {"merged": merge, "kept": keep}
            )
            return redirect("contacts:detail", keep.pk)
    return render(
        request,
        "contacts/contact_merge.html",
        {
            "contact": contact,
            "other": other,
            "other_given": bool(request.GET.get("other") or request.POST.get("other")),
            "form": form,
            "search": search,
            "q": q,
            "candidates": candidates,
        },
    )
