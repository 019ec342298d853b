"""Agent-facing pages of the organisation app: the start page and personal API keys."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kefu.core.actors import Actor, Source
from kefu.core.errors import ServiceError
from kefu.org import services
from kefu.org.forms import ApiKeyForm
from kefu.org.selectors import agent_access, api_key_list


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "org/home.html", {"access": agent_access(request.user)})


@login_required
def api_keys(request: HttpRequest) -> HttpResponse:
    created_secret = None
    form = ApiKeyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        _key, created_secret = services.api_key_create(
            actor=Actor.agent(request.user),
            source=Source.WEB,
            user=request.user,
            name=form.cleaned_data["name"],
        )
        form = ApiKeyForm()
    template = "org/partials/api_keys.html" if request.htmx else "org/api_keys.html"
    return render(
        request,
        template,
        {"form": form, "keys": api_key_list(user=request.user), "created_secret": created_secret},
    )


@login_required
@require_POST
def api_key_revoke(request: HttpRequest, key_id: int) -> HttpResponse:
    if not api_key_list(user=request.user).filter(pk=key_id).exists():
        raise Http404
    try:
        services.api_key_revoke(actor=Actor.agent(request.user), source=Source.WEB, key_id=key_id)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The key was revoked."))
    return redirect("api-keys")
