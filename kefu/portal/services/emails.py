"""Emails to customers about their help-center account, sent after commit by an outbox consumer.

``verify`` (sign-up), ``invite`` (an agent invited the contact) and ``reset`` (forgotten password).
They go out from the installation's sender address under the brand's name. A redelivered event sends
the link again, which is harmless: every link of a kind stays valid until it is used.
"""

from __future__ import annotations

from email.utils import formataddr, parseaddr
from typing import Any

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from kefu.core.event_types import EventType
from kefu.core.events import Event, register_consumer
from kefu.org.models import Brand
from kefu.portal.models import Customer
from kefu.portal.services.customers import verification_token


def password_link(site_url: str, brand: Brand, user: Any) -> str:
    path = reverse(
        "portal:password-set",
        args=[
            brand.slug,
            urlsafe_base64_encode(force_bytes(user.pk)),
            default_token_generator.make_token(user),
        ],
    )
    return site_url.rstrip("/") + path


def _message(kind: str, brand: Brand, customer: Customer, site_url: str) -> tuple[str, str]:
    name = customer.user.name or customer.user.email
    if kind == "verify":
        link = site_url.rstrip("/") + reverse(
            "portal:verify", args=[brand.slug, verification_token(customer.user)]
        )
        subject = _("Confirm your email address for %(brand)s") % {"brand": brand.name}
        body = _(
            "Hello %(name)s,\n\nThank you for signing up to the %(brand)s help center.\n"
            "Confirm your email address by opening this link (valid for three days):\n\n%(link)s\n"
        )
    elif kind == "invite":
        link = password_link(site_url, brand, customer.user)
        subject = _("Your %(brand)s help center account") % {"brand": brand.name}
        body = _(
            "Hello %(name)s,\n\nAn account has been created for you in the %(brand)s help center, "
            "where you can follow and answer your tickets.\nChoose your password here:\n\n%(link)s\n"
        )
    else:
        link = password_link(site_url, brand, customer.user)
        subject = _("Reset your %(brand)s help center password") % {"brand": brand.name}
        body = _(
            "Hello %(name)s,\n\nSomeone asked to reset the password of your %(brand)s help center account.\n"
            "Choose a new password here:\n\n%(link)s\n\nIf it was not you, ignore this email.\n"
        )
    return subject, body % {"name": name, "brand": brand.name, "link": link}


def send_customer_emails(events: list[Event]) -> None:
    for event in events:
        payload = event.payload
        customer = Customer.objects.select_related("user").filter(user_id=payload["user_id"]).first()
        brand = Brand.objects.filter(pk=payload["brand_id"]).first()
        if customer is None or brand is None:
            continue
        with translation.override(customer.language or brand.default_language):
            subject, body = _message(payload["kind"], brand, customer, payload["site_url"])
        address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or settings.DEFAULT_FROM_EMAIL
        sender = formataddr((brand.name, address)) if brand.name.isascii() else f"{brand.name} <{address}>"
        send_mail(subject, body, sender, [customer.user.email])


def register() -> None:
    register_consumer("portal.customer_email", [EventType.PORTAL_CUSTOMER_EMAIL], send_customer_emails)
