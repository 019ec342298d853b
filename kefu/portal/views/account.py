"""Customers' accounts in the help center: sign up, verify the address, sign in and out, reset or set
the password from an emailed link, and the profile (name, language, time zone)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.tokens import default_token_generator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.encoding import force_str
from django.utils.http import url_has_allowed_host_and_scheme, urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from kefu.core.errors import ServiceError
from kefu.core.ids import parse_id
from kefu.org.selectors import active_user_get
from kefu.org.services import sign_in_attempt_record, sign_in_locked, sign_in_succeeded
from kefu.org.views.common import posted, set_language_cookie, site_url
from kefu.portal import services
from kefu.portal.forms import EmailForm, PasswordForm, ProfileForm, SignInForm, SignUpForm
from kefu.portal.views.common import Site, client_ip, help_center_view, page


def _home(site: Site) -> str:
    return reverse("portal:home", args=[site.brand.slug])


def _next(request: HttpRequest, site: Site) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    prefix = _home(site)
    if candidate.startswith(prefix) and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}
    ):
        return candidate
    return reverse("portal:tickets", args=[site.brand.slug])


@sensitive_post_parameters("password")
@never_cache
@help_center_view
def sign_up(request: HttpRequest, site: Site) -> HttpResponse:
    form = SignUpForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.customer_sign_up(
                brand=site.brand,
                name=form.cleaned_data["name"],
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password"],
                language=site.language,
                site_url=site_url(request),
            )
        except ServiceError as error:
            form.apply_service_error(error)
        else:
            return page(request, site, "portal/sign_up_sent.html", {"email": form.cleaned_data["email"]})
    return page(request, site, "portal/sign_up.html", {"form": form}, status=422 if form.errors else 200)


@never_cache
@help_center_view
def verify(request: HttpRequest, site: Site, token: str) -> HttpResponse:
    try:
        customer = services.customer_verify(token=token)
    except ServiceError:
        return page(request, site, "portal/link_invalid.html", {}, status=400)
    login(request, customer.user, backend="django.contrib.auth.backends.ModelBackend")
    messages.success(request, _("Your email address is confirmed. Welcome!"))
    return redirect(reverse("portal:tickets", args=[site.brand.slug]))


@sensitive_post_parameters("password")
@never_cache
@help_center_view
def sign_in(request: HttpRequest, site: Site) -> HttpResponse:
    """Email and password, behind the console's lock-out after repeated failures."""
    form = SignInForm(posted(request))
    if request.method == "POST" and form.is_valid():
        email, ip_address = form.cleaned_data["email"], client_ip(request)
        locked_message = _("Too many failed sign-in attempts. Wait 15 minutes, then try again.")
        if sign_in_locked(email=email, ip_address=ip_address):
            form.add_error(None, locked_message)
        else:
            user = authenticate(request, username=email, password=form.cleaned_data["password"])
            if user is None:
                locked = sign_in_attempt_record(email=email, ip_address=ip_address)
                form.add_error(
                    None,
                    locked_message
                    if locked
                    else _(
                        "The email or password is not correct, or the email address is not confirmed yet."
                    ),
                )
            else:
                sign_in_succeeded(user=user, email=email, ip_address=ip_address)
                login(request, user)
                response = redirect(_next(request, site))
                customer = getattr(user, "customer", None)
                if customer is not None and customer.language:
                    set_language_cookie(response, customer.language)
                return response
    context = {"form": form, "next": request.GET.get("next", "")}
    return page(request, site, "portal/sign_in.html", context, status=422 if form.errors else 200)


@require_POST
@help_center_view
def sign_out(request: HttpRequest, site: Site) -> HttpResponse:
    logout(request)
    return redirect(_home(site))


@never_cache
@help_center_view
def password_reset(request: HttpRequest, site: Site) -> HttpResponse:
    form = EmailForm(posted(request))
    if request.method == "POST" and form.is_valid():
        services.customer_password_reset_request(
            email=form.cleaned_data["email"], brand=site.brand, site_url=site_url(request)
        )
        services.customer_verification_resend(
            email=form.cleaned_data["email"], brand=site.brand, site_url=site_url(request)
        )
        return page(request, site, "portal/password_reset_sent.html", {"email": form.cleaned_data["email"]})
    return page(request, site, "portal/password_reset.html", {"form": form})


@sensitive_post_parameters("password")
@never_cache
@help_center_view
def password_set(request: HttpRequest, site: Site, uidb64: str, token: str) -> HttpResponse:
    """From an invitation or a reset email. The link stops working once a password is set."""
    try:
        user_id = parse_id(force_str(urlsafe_base64_decode(uidb64)))
    except (ValueError, UnicodeDecodeError):
        user_id = None
    user = active_user_get(user_id) if user_id else None
    if user is None or not default_token_generator.check_token(user, token):
        return page(request, site, "portal/link_invalid.html", {}, status=400)
    form = PasswordForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.customer_password_set(user=user, password=form.cleaned_data["password"])
        except ServiceError as error:
            form.apply_service_error(error)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Your password is set."))
            return redirect(reverse("portal:tickets", args=[site.brand.slug]))
    return page(request, site, "portal/password_set.html", {"form": form, "email": user.email})


@help_center_view
def profile(request: HttpRequest, site: Site) -> HttpResponse:
    if site.customer is None:
        return redirect(reverse("portal:sign-in", args=[site.brand.slug]) + f"?next={request.path}")
    customer = site.customer
    initial = {
        "name": customer.user.name,
        "language": customer.language or site.language,
        "time_zone": customer.time_zone,
    }
    form = ProfileForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.customer_profile_update(customer=customer, **form.cleaned_data)
        except ServiceError as error:
            form.apply_service_error(error)
        else:
            messages.success(request, _("Your profile is saved."))
            response = redirect(reverse("portal:profile", args=[site.brand.slug]))
            set_language_cookie(response, form.cleaned_data["language"])
            return response
    return page(request, site, "portal/profile.html", {"form": form}, status=422 if form.errors else 200)
