"""Creating and changing contacts and accounts, including the email-address lookup every channel relies on."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from kefu.contacts.inputs import AccountInput, ContactInput
from kefu.contacts.models import Account, Contact, ContactEmail
from kefu.contacts.services import layout_check
from kefu.core.actors import Actor, Source
from kefu.core.audit import audit_record
from kefu.core.errors import Conflict, ValidationFailed
from kefu.core.tags import tags_get_or_create
from kefu.core.validation import is_email
from kefu.customfields.selectors import field_specs
from kefu.customfields.validation import clean_values
from kefu.org import permissions
from kefu.org.models import User, validate_time_zone
from kefu.org.services import LANGUAGES, require_permission

_CONTACT_TEXT_LIMITS = {"name": 200, "phone": 32, "mobile": 32}
_ACCOUNT_TEXT_LIMITS = {"name": 200, "phone": 32, "industry": 100, "website": 200}


def normalise_email(address: str) -> str:
    return address.strip().lower()


def _check_email(address: str, field: str, errors: dict[str, str]) -> str:
    address = normalise_email(address)
    if not is_email(address):
        errors[field] = _("Enter a valid email address.")
    return address


def _check_text(values: Mapping[str, Any], limits: Mapping[str, int], errors: dict[str, str]) -> None:
    for field, limit in limits.items():
        value = values.get(field)
        if value is None:
            continue
        if not isinstance(value, str):
            errors[field] = _("Enter text.")
        elif len(value) > limit:
            errors[field] = _("Enter at most %(limit)d characters.") % {"limit": limit}


def _clean_contact_changes(changes: Mapping[str, Any], contact: Contact | None) -> dict[str, Any]:
    errors: dict[str, str] = {}
    cleaned: dict[str, Any] = {}
    _check_text(changes, _CONTACT_TEXT_LIMITS, errors)
    for field in ("name", "phone", "mobile"):
        if field in changes:
            cleaned[field] = (changes[field] or "").strip()
    if changes.get("email"):
        cleaned["email"] = _check_email(changes["email"], "email", errors)
    if "other_emails" in changes:
        cleaned["other_emails"] = [
            _check_email(address, f"other_emails.{index}", errors)
            for index, address in enumerate(changes["other_emails"] or [])
        ]
    if changes.get("account_id") is not None:
        if not Account.objects.filter(pk=changes["account_id"]).exists():
            errors["account_id"] = _("Unknown account.")
        cleaned["account_id"] = changes["account_id"]
    elif "account_id" in changes:
        cleaned["account_id"] = None
    if changes.get("owner_id") is not None:
        if not User.objects.filter(pk=changes["owner_id"], agent__isnull=False).exists():
            errors["owner_id"] = _("Unknown agent.")
        cleaned["owner_id"] = changes["owner_id"]
    if changes.get("language"):
        if changes["language"] not in LANGUAGES:
            errors["language"] = _("Unsupported language.")
        cleaned["language"] = changes["language"]
    if changes.get("time_zone"):
        try:
            validate_time_zone(changes["time_zone"])
        except DjangoValidationError:
            errors["time_zone"] = _("Unknown time zone.")
        cleaned["time_zone"] = changes["time_zone"]
    if errors:
        raise ValidationFailed(_("The contact is not valid."), fields=errors)
    if "custom_fields" in changes:
        cleaned["custom_fields"] = clean_values(
            field_specs("contact"),
            changes["custom_fields"] or {},
            existing=contact.custom_fields if contact else None,
        )
    if "tags" in changes:
        cleaned["tags"] = tags_get_or_create(changes["tags"] or [])
    return cleaned


def _set_addresses(contact: Contact, primary: str, others: list[str]) -> None:
    wanted = [primary, *others] if primary else others
    wanted = list(dict.fromkeys(address for address in wanted if address))
    taken = (
        ContactEmail.objects.filter(address__in=wanted)
        .exclude(contact=contact)
        .values_list("address", flat=True)
    )
    if taken:
        raise Conflict(
            _("This email address belongs to another contact."),
            fields={"email" if primary in taken else "other_emails": _("Already in use.")},
        )
    contact.addresses.exclude(address__in=wanted).delete()
    existing = set(contact.addresses.values_list("address", flat=True))
    ContactEmail.objects.bulk_create(
        ContactEmail(contact=contact, address=address) for address in wanted if address not in existing
    )
    contact.addresses.update(is_primary=False)
    if primary:
        contact.addresses.filter(address=primary).update(is_primary=True)


def contact_create(*, actor: Actor, source: Source, data: ContactInput) -> Contact:
    require_permission(actor, permissions.CONTACT_MANAGE)
    changes = {key: value for key, value in vars(data).items() if value not in (None, "", [], {})}
    cleaned = _clean_contact_changes(changes, None)
    tags = cleaned.pop("tags", [])
    others = cleaned.pop("other_emails", [])
    if not cleaned.get("name") and not cleaned.get("email"):
        raise ValidationFailed(
            _("A contact needs a name or an email address."), fields={"name": _("Enter a name or an email.")}
        )
    layout_check.check_create(
        actor,
        source,
        layout_check.CONTACT,
        layout_check.cleaned_values({**cleaned, "tags": tags, "other_emails": others}),
    )
    try:
        with transaction.atomic():
            contact = Contact.objects.create(**cleaned)
            _set_addresses(contact, cleaned.get("email", ""), others)
            contact.tags.set(tags)
            audit_record(actor=actor, source=source, action="contact.created", obj=contact)
    except IntegrityError as exc:
        raise Conflict(
            _("This email address belongs to another contact."), fields={"email": _("Already in use.")}
        ) from exc
    return contact


def contact_update(*, actor: Actor, source: Source, contact: Contact, changes: Mapping[str, Any]) -> Contact:
    require_permission(actor, permissions.CONTACT_MANAGE)
    cleaned = _clean_contact_changes(changes, contact)
    before = layout_check.contact_values(contact)
    layout_check.check_update(
        source, layout_check.CONTACT, before, layout_check.changed_values(before, cleaned)
    )
    tags = cleaned.pop("tags", None)
    others = cleaned.pop("other_emails", None)
    with transaction.atomic():
        for field, value in cleaned.items():
            setattr(contact, field, value)
        contact.save()
        if "email" in cleaned or others is not None:
            current_others = list(
                contact.addresses.filter(is_primary=False).values_list("address", flat=True)
            )
            _set_addresses(contact, contact.email, current_others if others is None else others)
        if tags is not None:
            contact.tags.set(tags)
        audit_record(
            actor=actor,
            source=source,
            action="contact.updated",
            obj=contact,
            changes={"fields": sorted(changes)},
        )
    return contact


def contact_get_or_create_by_email(*, actor: Actor, source: Source, email: str, name: str = "") -> Contact:
    """Find the contact owning ``email`` (any of their addresses, any case) or create one.

    Channels call this for every sender, so it is safe against two messages from a new address arriving
    at once: the unique address row decides, and the loser reads the winner's contact.
    """
    errors: dict[str, str] = {}
    address = _check_email(email, "email", errors)
    if errors:
        raise ValidationFailed(_("The contact is not valid."), fields={"contact.email": errors["email"]})
    found = ContactEmail.objects.select_related("contact").filter(address=address).first()
    if found is not None:
        return found.contact
    try:
        with transaction.atomic():
            contact = Contact.objects.create(name=(name or "").strip()[:200], email=address)
            ContactEmail.objects.create(contact=contact, address=address, is_primary=True)
            audit_record(actor=actor, source=source, action="contact.created", obj=contact)
    except IntegrityError:
        return ContactEmail.objects.select_related("contact").get(address=address).contact
    return contact


def _clean_account_changes(changes: Mapping[str, Any], account: Account | None) -> dict[str, Any]:
    errors: dict[str, str] = {}
    _check_text(changes, _ACCOUNT_TEXT_LIMITS, errors)
    cleaned = {
        field: (changes[field] or "").strip()
        for field in ("name", "website", "phone", "industry")
        if field in changes and field not in errors
    }
    if "name" in cleaned and not cleaned["name"]:
        errors["name"] = _("This field is required.")
    if cleaned.get("website"):
        try:
            URLValidator(schemes=["http", "https"])(cleaned["website"])
        except DjangoValidationError:
            errors["website"] = _("Enter a valid URL.")
    if errors:
        raise ValidationFailed(_("The account is not valid."), fields=errors)
    if "custom_fields" in changes:
        cleaned["custom_fields"] = clean_values(
            field_specs("account"),
            changes["custom_fields"] or {},
            existing=account.custom_fields if account else None,
        )
    return cleaned


def account_create(*, actor: Actor, source: Source, data: AccountInput) -> Account:
    require_permission(actor, permissions.CONTACT_MANAGE)
    cleaned = _clean_account_changes({"name": data.name, **{k: v for k, v in vars(data).items() if v}}, None)
    layout_check.check_create(actor, source, layout_check.ACCOUNT, layout_check.cleaned_values(cleaned))
    with transaction.atomic():
        account = Account.objects.create(**cleaned)
        audit_record(actor=actor, source=source, action="account.created", obj=account)
    return account


def account_get_or_create_by_name(*, actor: Actor, source: Source, name: str) -> Account:
    """The account called ``name`` (any case; the oldest if several), created when there is none yet.

    The contact form picks an account by typing its name; an agent who types a new one expects it to
    exist afterwards, so it is created with the same checks and audit entry as ``account_create``.
    """
    found = Account.objects.filter(name__iexact=name.strip()).order_by("id").first()
    if found is not None:
        return found
    return account_create(actor=actor, source=source, data=AccountInput(name=name))


def account_update(*, actor: Actor, source: Source, account: Account, changes: Mapping[str, Any]) -> Account:
    require_permission(actor, permissions.CONTACT_MANAGE)
    cleaned = _clean_account_changes(changes, account)
    before = layout_check.account_values(account)
    layout_check.check_update(
        source, layout_check.ACCOUNT, before, layout_check.changed_values(before, cleaned)
    )
    with transaction.atomic():
        for field, value in cleaned.items():
            setattr(account, field, value)
        account.save()
        audit_record(
            actor=actor,
            source=source,
            action="account.updated",
            obj=account,
            changes={"fields": sorted(changes)},
        )
    return account
