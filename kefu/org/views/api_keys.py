"""An agent's own API keys, shown inside the settings layout."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kefu.core.actors import Source
from kefu.core.errors import ServiceError
from kefu.org import services
from kefu.org.decorators import agent_required
from kefu.org.forms import ApiKeyForm
from kefu.org.selectors import api_key_list
from kefu.org.views.common import actor_of, posted, render_settings


@agent_required()
def api_keys(request: HttpRequest) -> HttpResponse:
    created_secret = None
    form = ApiKeyForm(posted(request))
    if request.method == "POST" and form.is_valid():
        _key, created_secret = services.api_key_create(
            actor=actor_of(request), source=Source.WEB, user=request.user, name=form.cleaned_data["name"]
        )
        form = ApiKeyForm()
    return render_settings(
        request,
        "org/api_keys.html",
        {"form": form, "keys": api_key_list(user=request.user), "created_secret": created_secret},
        nav="api-keys",
        partial="org/partials/api_keys.html",
    )


@agent_required()
@require_POST
def api_key_revoke(request: HttpRequest, key_id: int) -> HttpResponse:
    if not api_key_list(user=request.user).filter(pk=key_id).exists():
        raise Http404
    try:
        services.api_key_revoke(actor=actor_of(request), source=Source.WEB, key_id=key_id)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The key was revoked."))
    return redirect("api-keys")
