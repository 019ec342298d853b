"""Signing in and out, choosing a password from an invitation link, and the start page."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.tokens import default_token_generator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.encoding import force_str
from django.utils.http import url_has_allowed_host_and_scheme, urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from kefu.core.actors import Actor, Source
from kefu.core.ids import parse_id
from kefu.org import services
from kefu.org.forms import SetPasswordForm, SignInForm
from kefu.org.middleware import remember_time_zone
from kefu.org.models import User
from kefu.org.selectors import active_user_get, agent_access, agent_for_user
from kefu.org.views.common import posted, set_language_cookie

REMEMBER_ME_SECONDS = 30 * 24 * 60 * 60


def _next_url(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse(settings.LOGIN_REDIRECT_URL)


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def sign_in(request: HttpRequest) -> HttpResponse:
    """Email and password, with lock-out after repeated failures and an optional 30-day session."""
    if request.user.is_authenticated:
        return redirect(_next_url(request))
    form = SignInForm(posted(request))
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        ip_address = request.META.get("REMOTE_ADDR") or None
        locked_message = _("Too many failed sign-in attempts. Wait 15 minutes, then try again.")
        if services.sign_in_locked(email=email, ip_address=ip_address):
            form.add_error(None, locked_message)
        else:
            user = authenticate(request, username=email, password=form.cleaned_data["password"])
            if user is None:
                locked = services.sign_in_attempt_record(email=email, ip_address=ip_address)
                form.add_error(None, locked_message if locked else _("The email or password is not correct."))
            else:
                return _signed_in(request, user, email, ip_address, form.cleaned_data["remember_me"])
    return render(request, "org/login.html", {"form": form, "next": _next_url(request)})


def _signed_in(
    request: HttpRequest, user: User, email: str, ip_address: str | None, remember_me: bool
) -> HttpResponse:
    services.sign_in_succeeded(user=user, email=email, ip_address=ip_address)
    next_url = _next_url(request)
    login(request, user)
    request.session.set_expiry(REMEMBER_ME_SECONDS if remember_me else 0)
    agent = agent_for_user(user)
    response = redirect(next_url)
    if agent is not None:
        remember_time_zone(request, agent.time_zone)
        set_language_cookie(response, agent.language)
    return response


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        services.sign_out_record(user=request.user)
    logout(request)
    return redirect(settings.LOGOUT_REDIRECT_URL)


def _user_from_link(uidb64: str, token: str) -> User | None:
    try:
        user_id = parse_id(force_str(urlsafe_base64_decode(uidb64)))
    except (ValueError, UnicodeDecodeError):
        return None
    user = active_user_get(user_id) if user_id else None
    if user is None or not default_token_generator.check_token(user, token):
        return None
    return user


@sensitive_post_parameters("new_password1", "new_password2")
@never_cache
def password_set(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """The page an invitation links to. The link stops working once a password is set."""
    user = _user_from_link(uidb64, token)
    if user is None:
        return render(request, "org/password_set.html", {"valid_link": False}, status=400)
    form = SetPasswordForm(user, posted(request))
    if request.method == "POST" and form.is_valid():
        services.password_set(
            actor=Actor.agent(user), source=Source.WEB, user=user, password=form.cleaned_data["new_password1"]
        )
        messages.success(request, _("Your password is set. Sign in with it now."))
        return redirect("login")
    return render(request, "org/password_set.html", {"valid_link": True, "form": form, "email": user.email})


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The ticket list is the start page; until it exists, a page of links."""
    try:
        return redirect(reverse("tickets:list"))
    except NoReverseMatch:
        return render(request, "org/home.html", {"access": agent_access(request.user)})
