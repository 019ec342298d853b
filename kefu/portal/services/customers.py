"""Customers' help-center accounts: sign-up with email verification, invitations, password resets,
profile. Sign-in itself is Django's, behind the console's lock-out (``org.services.sign_in``).

A customer is a ``User`` without an agent profile, linked to the ``Contact`` the help desk already
knows by that address (tickets sent by email earlier show up in "my tickets" once the address is
verified). Links in emails carry Django's password-reset tokens (they stop working once the password
changes) or, for the verification, a signed value that expires after three days.
"""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kefu.contacts.models import Contact
from kefu.contacts.services import contact_get_or_create_by_email
from kefu.core import events
from kefu.core.actors import Actor, Source
from kefu.core.audit import audit_record
from kefu.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from kefu.core.event_types import EventType
from kefu.org import permissions
from kefu.org.models import Brand, User
from kefu.org.selectors import agent_access
from kefu.portal.models import Customer

VERIFY_SALT = "kefu.portal.verify"
VERIFY_MAX_AGE = 3 * 24 * 3600
LANGUAGES = ("zh-hans", "en")


def _email_event(kind: str, user: User, brand: Brand, site_url: str) -> None:
    events.publish(
        EventType.PORTAL_CUSTOMER_EMAIL, kind=kind, user_id=user.pk, brand_id=brand.pk, site_url=site_url
    )


def _check_password(password: str, user: User | None = None) -> None:
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise ValidationFailed(
            _("Choose another password."), fields={"password": " ".join(error.messages)}
        ) from None


def customer_sign_up(
    *, brand: Brand, name: str, email: str, password: str, language: str, site_url: str
) -> Customer:
    """An inactive account until the address is verified by the link in the email sent after commit."""
    errors: dict[str, str] = {}
    name = name.strip()[:150]
    if not name:
        errors["name"] = _("This field is required.")
    if language not in LANGUAGES:
        language = brand.default_language
    address = email.strip().lower()
    if User.objects.filter(email__iexact=address).exists():
        errors["email"] = _("An account with this email exists: sign in, or reset your password.")
    if errors:
        raise ValidationFailed(_("The sign-up is not valid."), fields=errors)
    _check_password(password, User(email=address, name=name))
    with transaction.atomic():
        contact = contact_get_or_create_by_email(
            actor=Actor.system(), source=Source.PORTAL, email=address, name=name
        )
        if Customer.objects.filter(contact=contact).exists():
            raise ValidationFailed(
                _("The sign-up is not valid."),
                fields={"email": _("An account with this email exists: sign in, or reset your password.")},
            )
        user = User.objects.create_user(address, password, name=name, is_active=False)
        customer = Customer.objects.create(
            user=user, contact=contact, signed_up_brand=brand, language=language
        )
        audit_record(
            actor=Actor.contact(contact), source=Source.PORTAL, action="customer.signed_up", obj=customer
        )
        _email_event("verify", user, brand, site_url)
    return customer


def verification_token(user: User) -> str:
    return signing.dumps({"u": user.pk, "e": user.email}, salt=VERIFY_SALT)


def customer_verify(*, token: str) -> Customer:
    """Activate the account the link was made for; a used, stale or forged link is a NotFound."""
    try:
        data = signing.loads(token, salt=VERIFY_SALT, max_age=VERIFY_MAX_AGE)
    except signing.BadSignature:
        raise NotFound(_("This link is not valid any more.")) from None
    customer = Customer.objects.select_related("user", "contact").filter(user_id=data.get("u")).first()
    if customer is None or customer.user.email != data.get("e"):
        raise NotFound(_("This link is not valid any more."))
    with transaction.atomic():
        if customer.email_verified_at is None:
            customer.email_verified_at = timezone.now()
            customer.save(update_fields=["email_verified_at"])
            customer.user.is_active = True
            customer.user.save(update_fields=["is_active"])
            audit_record(actor=Actor.contact(customer.contact), source=Source.PORTAL,
                         action="customer.verified", obj=customer)  # fmt: skip
    return customer


def customer_verification_resend(*, email: str, brand: Brand, site_url: str) -> None:
    """Send the verification link again; says nothing about whether the address has an account."""
    customer = (
        Customer.objects.select_related("user")
        .filter(user__email__iexact=email.strip(), email_verified_at__isnull=True)
        .first()
    )
    if customer is not None:
        with transaction.atomic():
            _email_event("verify", customer.user, brand, site_url)


def customer_invite(
    *, actor: Actor, source: Source, contact: Contact, brand: Brand, site_url: str
) -> Customer:
    """An agent invites a contact: the email's link lets them choose a password (and verifies the address)."""
    if not (actor.is_agent and agent_access(actor.user).can(permissions.CONTACT_MANAGE)):
        raise PermissionDenied(_("You do not have permission to do this."))
    address = (contact.email or "").strip().lower()
    if not address:
        raise ValidationFailed(
            _("The contact has no email address."), fields={"email": _("This field is required.")}
        )
    existing = Customer.objects.select_related("user").filter(contact=contact).first()
    if existing is not None and existing.user.has_usable_password():
        raise Conflict(_("This contact already has a help-center account."))
    if existing is None and User.objects.filter(email__iexact=address).exists():
        raise Conflict(_("Someone already signs in with this email address."))
    with transaction.atomic():
        if existing is None:
            user = User.objects.create_user(address, None, name=contact.name[:150])
            existing = Customer.objects.create(
                user=user, contact=contact, signed_up_brand=brand, language=brand.default_language
            )
        audit_record(actor=actor, source=source, action="customer.invited", obj=existing)
        _email_event("invite", existing.user, brand, site_url)
    return existing


def customer_password_reset_request(*, email: str, brand: Brand, site_url: str) -> None:
    """Email a reset link to an active customer with this address; silent otherwise (no account probing)."""
    customer = (
        Customer.objects.select_related("user")
        .filter(user__email__iexact=email.strip(), user__is_active=True)
        .first()
    )
    if customer is not None:
        with transaction.atomic():
            _email_event("reset", customer.user, brand, site_url)


def customer_password_set(*, user: User, password: str) -> User:
    """From an invitation or reset link (already checked by the caller): the address is proven too."""
    _check_password(password, user)
    customer = Customer.objects.select_related("contact").filter(user=user).first()
    if customer is None:
        raise NotFound(_("This link is not valid any more."))
    with transaction.atomic():
        user.set_password(password)
        user.is_active = True
        user.save(update_fields=["password", "is_active"])
        if customer.email_verified_at is None:
            customer.email_verified_at = timezone.now()
            customer.save(update_fields=["email_verified_at"])
        audit_record(actor=Actor.contact(customer.contact), source=Source.PORTAL,
                     action="user.password_changed", obj=user)  # fmt: skip
    return user


def customer_profile_update(*, customer: Customer, name: str, language: str, time_zone: str) -> Customer:
    import zoneinfo

    errors: dict[str, str] = {}
    name = name.strip()
    if not name or len(name) > 150:
        errors["name"] = _("Enter a name of at most 150 characters.")
    if language not in LANGUAGES:
        errors["language"] = _("Choose zh-hans or en.")
    if time_zone and time_zone not in zoneinfo.available_timezones():
        errors["time_zone"] = _("Unknown time zone.")
    if errors:
        raise ValidationFailed(_("The profile is not valid."), fields=errors)
    with transaction.atomic():
        customer.language, customer.time_zone = language, time_zone
        customer.save(update_fields=["language", "time_zone"])
        customer.user.name = name
        customer.user.save(update_fields=["name"])
        audit_record(actor=Actor.contact(customer.contact), source=Source.PORTAL,
                     action="customer.profile_updated", obj=customer)  # fmt: skip
    return customer
