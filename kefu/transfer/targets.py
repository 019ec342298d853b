"""What each kind of import can fill, and the default mapping from a file's columns to those targets.

A mapping is ``{column in the file: target}``; targets are the names below, ``cf.<key>`` for a custom
field of contacts, accounts or tickets, and ``values.<key>`` for a field of a module's records. The
default mapping matches a column to a target by its name or its label in either language, ignoring case.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kefu.customfields.selectors import field_specs
from kefu.modules.selectors import module_definition

COMMON = [("external_id", _("External id"))]

TARGETS = {
    "contacts": [
        *COMMON,
        ("name", _("Name")),
        ("email", _("Email")),
        ("other_emails", _("Other email addresses")),
        ("phone", _("Phone")),
        ("mobile", _("Mobile")),
        ("account", _("Account")),
        ("language", _("Language")),
        ("time_zone", _("Time zone")),
        ("tags", _("Tags")),
    ],
    "accounts": [
        *COMMON,
        ("name", _("Name")),
        ("website", _("Website")),
        ("phone", _("Phone")),
        ("industry", _("Industry")),
    ],
    "tickets": [
        *COMMON,
        ("subject", _("Subject")),
        ("description", _("Description")),
        ("department", _("Department")),
        ("status", _("Status")),
        ("priority", _("Priority")),
        ("type", _("Type")),
        ("channel", _("Channel")),
        ("contact_email", _("Contact email")),
        ("contact_name", _("Contact name")),
        ("assignee_email", _("Assignee email")),
        ("tags", _("Tags")),
        ("category", _("Category")),
        ("created_at", _("Created")),
        ("message_type", _("Message type")),
        ("message_body", _("Message")),
        ("message_author", _("Message author")),
        ("message_created_at", _("Message time")),
        ("message_id", _("Message id")),
    ],
    "articles": [
        *COMMON,
        ("title", _("Title")),
        ("body", _("Body")),
        ("summary", _("Summary")),
        ("section_id", _("Section id")),
        ("tags", _("Tags")),
        ("status", _("Status")),
        ("visibility", _("Visibility")),
        ("language", _("Language")),
    ],
    "records": [*COMMON],
}

_CUSTOM_MODULE = {"contacts": "contact", "accounts": "account", "tickets": "ticket"}


def targets_for(kind: str, module_key: str = "") -> list[tuple[str, str]]:
    """``[(target, label)]`` of a kind, custom fields and module fields included."""
    found = [(name, str(label)) for name, label in TARGETS.get(kind, [])]
    if kind in _CUSTOM_MODULE:
        found += [(f"cf.{spec.key}", spec.key) for spec in field_specs(_CUSTOM_MODULE[kind])]
    if kind == "records":
        definition = module_definition(module_key)
        if definition is not None:
            found += [(f"values.{field.key}", field.display_label) for field in definition.fields]
    return found


def default_mapping(kind: str, header: list[str], module_key: str = "") -> dict[str, str]:
    """Columns whose name is a target's name or label (either language, any case) map to it."""
    from django.utils import translation

    names: dict[str, str] = {}
    for language in ("en", "zh-hans"):
        with translation.override(language):
            for target, label in targets_for(kind, module_key):
                for name in (target, target.split(".", 1)[-1], str(label)):
                    names.setdefault(name.casefold(), target)
    mapping: dict[str, str] = {}
    for column in header:
        target = names.get(column.strip().casefold())
        if target and target not in mapping.values():
            mapping[column] = target
    return mapping
