"""An agent's own profile and password."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from kefu.core.actors import Source
from kefu.core.errors import ServiceError
from kefu.org import services
from kefu.org.decorators import agent_required
from kefu.org.forms import PasswordChangeForm, ProfileForm
from kefu.org.middleware import remember_time_zone
from kefu.org.models import Agent
from kefu.org.selectors import agent_for_user
from kefu.org.views.common import actor_of, posted, set_language_cookie


@agent_required()
def profile(request: HttpRequest) -> HttpResponse:
    agent = agent_for_user(request.user)
    if agent is None:
        return render(request, "org/no_profile.html", status=404)
    initial = {
        "name": agent.user.name,
        "language": agent.language,
        "time_zone": agent.time_zone,
        "signature": agent.signature,
        "availability": agent.availability,
    }
    form = ProfileForm(posted(request), initial=initial, availability_choices=Agent.Availability.choices)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            agent = services.profile_update(
                actor=actor_of(request),
                source=Source.WEB,
                user=request.user,
                name=data["name"],
                language=data["language"],
                time_zone=data["time_zone"],
                signature=data["signature"],
                availability=data["availability"],
            )
        except ServiceError as exc:
            form.apply_service_error(exc)
        else:
            remember_time_zone(request, agent.time_zone)
            messages.success(request, _("Your profile is saved."))
            response = redirect("profile")
            set_language_cookie(response, agent.language)
            return response
    return render(request, "org/profile.html", {"form": form, "agent": agent})


@sensitive_post_parameters("old_password", "new_password1", "new_password2")
@agent_required()
def password_change(request: HttpRequest) -> HttpResponse:
    """Change the password and stay signed in here; other sessions of the same user end."""
    form = PasswordChangeForm(request.user, posted(request))
    if request.method == "POST" and form.is_valid():
        user = services.password_set(
            actor=actor_of(request),
            source=Source.WEB,
            user=request.user,
            password=form.cleaned_data["new_password1"],
        )
        update_session_auth_hash(request, user)
        messages.success(request, _("Your password is changed."))
        return redirect("profile")
    return render(request, "org/password_change.html", {"form": form})


@require_POST
def language_switch(request: HttpRequest) -> HttpResponse:
    """The footer's language switch: the cookie for this browser and, for a signed-in agent, the profile,
    so that the choice sticks at the next sign-in (Django's own ``set_language`` only sets the cookie)."""
    language = request.POST.get("language", "")
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        target = "/"
    response = redirect(target)
    if language not in services.LANGUAGES:
        return response
    if request.user.is_authenticated:
        try:
            services.profile_language_set(
                actor=actor_of(request), source=Source.WEB, user=request.user, language=language
            )
        except ServiceError as exc:
            messages.error(request, exc.message)
            return response
    set_language_cookie(response, language)
    return response
