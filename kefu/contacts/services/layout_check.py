"""The contact and account layouts' mandatory fields, enforced by the contact and account services — so
the API, the console and any later door get the same answer. Contacts and accounts belong to no
department: each module has one layout (``Settings → Layouts``).

Policy, as for tickets (``kefu.tickets.services.layout_check``):

- **Mandatory when creating** applies to contacts and accounts an agent creates (the console, the API).
  A contact made for the sender of an email or a help-center form (``contact_get_or_create_by_email``),
  and imports, are created with what they bring.
- **An edit** may not empty a field that creating requires, nor leave empty a field a layout rule makes
  mandatory when the edit touched the rule's condition or the field (imports excepted).

A refusal is a 422 naming each missing field by its API name (``phone``, ``custom_fields.vip_level``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kefu.contacts.models import Account, Contact
from kefu.core.actors import Actor, Source
from kefu.customfields.layouts import CREATE, CUSTOM_PREFIX
from kefu.customfields.services.layouts import layout_missing, layout_refuse

CONTACT = "contact"
ACCOUNT = "account"

# The fields an agent can set on every door (the API and the console's form), by their API names.
CONTACT_FIELDS = (
    ("name", gettext_lazy("Name")),
    ("email", gettext_lazy("Primary email")),
    ("other_emails", gettext_lazy("Other email addresses")),
    ("phone", gettext_lazy("Phone")),
    ("mobile", gettext_lazy("Mobile")),
    ("account_id", gettext_lazy("Account")),
    ("language", gettext_lazy("Language")),
    ("time_zone", gettext_lazy("Time zone")),
    ("tags", gettext_lazy("Tags")),
)
ACCOUNT_FIELDS = (
    ("name", gettext_lazy("Name")),
    ("website", gettext_lazy("Website")),
    ("phone", gettext_lazy("Phone")),
    ("industry", gettext_lazy("Industry")),
)


def contact_layout_fields() -> tuple[tuple[str, Any], ...]:
    return CONTACT_FIELDS


def account_layout_fields() -> tuple[tuple[str, Any], ...]:
    return ACCOUNT_FIELDS


def _with_custom(values: dict[str, Any], custom: Mapping[str, Any] | None) -> dict[str, Any]:
    for key, value in (custom or {}).items():
        values[f"{CUSTOM_PREFIX}{key}"] = value
    return values


def contact_values(contact: Contact) -> dict[str, Any]:
    """A stored contact's values by layout name."""
    values = {name: getattr(contact, name) for name in ("name", "email", "phone", "mobile", "language")}
    values["time_zone"] = contact.time_zone
    values["account_id"] = contact.account_id
    values["other_emails"] = sorted(
        contact.addresses.filter(is_primary=False).values_list("address", flat=True)
    )
    values["tags"] = sorted(contact.tags.values_list("name", flat=True))
    return _with_custom(values, contact.custom_fields)


def account_values(account: Account) -> dict[str, Any]:
    """A stored account's values by layout name."""
    values = {name: getattr(account, name) for name in ("name", "website", "phone", "industry")}
    return _with_custom(values, account.custom_fields)


def cleaned_values(cleaned: Mapping[str, Any]) -> dict[str, Any]:
    """What a service cleaned (tags as rows, custom fields as one object) by layout name."""
    values = {name: value for name, value in cleaned.items() if name not in ("tags", "custom_fields")}
    if "tags" in cleaned:
        values["tags"] = sorted(tag.name for tag in cleaned["tags"])
    return _with_custom(values, cleaned.get("custom_fields"))


def changed_values(before: Mapping[str, Any], cleaned: Mapping[str, Any]) -> dict[str, Any]:
    """``before`` (a record's values by layout name) with a service's cleaned changes applied."""
    after = dict(before)
    if "custom_fields" in cleaned:
        after = {name: value for name, value in after.items() if not name.startswith(CUSTOM_PREFIX)}
    after.update(cleaned_values(cleaned))
    return after


def _message(module: str) -> str:
    return _("The contact is not valid.") if module == CONTACT else _("The account is not valid.")


def check_create(actor: Actor, source: Source, module: str, values: Mapping[str, Any]) -> None:
    """Refuse a new contact or account an agent leaves without a field its layout makes mandatory."""
    if source == Source.IMPORT or not actor.is_agent:
        return
    layout_refuse(layout_missing(module, None, values, phases=[CREATE]), _message(module))


def check_update(source: Source, module: str, before: Mapping[str, Any], after: Mapping[str, Any]) -> None:
    """Refuse an edit that empties a field creating requires, or leaves empty a field a rule it
    triggered makes mandatory. ``before`` and ``after`` are the record's values by layout name."""
    if source == Source.IMPORT:
        return
    touched = _touched(before, after)
    if not touched:
        return
    missing = layout_missing(module, None, after, touched=touched, keep=[CREATE])
    layout_refuse(missing, _message(module))


def _touched(before: Mapping[str, Any], after: Mapping[str, Any]) -> set[str]:
    return {name for name in set(before) | set(after) if _same(before.get(name)) != _same(after.get(name))}


def _same(value: Any) -> Any:
    """Empty values compare equal (``""``, ``None``, ``[]``), lists as sets."""
    if value in (None, "", [], {}):
        return None
    if isinstance(value, list):
        return tuple(sorted(map(str, value)))
    return value
