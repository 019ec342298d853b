"""Validating ticket field values, shared by creation and every later change.

``clean_ticket_fields`` turns raw values (ids, names, strings) into model values and collects every
problem under the name of the field that caused it, so the API can answer with all of them at once.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kefu.contacts.models import Account, Contact
from kefu.core.errors import ValidationFailed
from kefu.core.html import normalise_body
from kefu.core.tags import tags_get_or_create
from kefu.customfields.selectors import field_specs
from kefu.customfields.validation import clean_values
from kefu.org.models import Brand, Department, Team, User
from kefu.org.selectors import active_department_get, agent_access
from kefu.org.services import LANGUAGES
from kefu.tickets.models import Channel, Ticket
from kefu.tickets.selectors import priority_lookup, status_lookup, ticket_type_lookup
from kefu.tickets.services.hierarchy import check_parent

MAX_SUBJECT = 255
MAX_BODY = 200_000
SHORT_TEXT_FIELDS = ("category", "sub_category", "product")
REFERENCE_FIELDS = (
    "department",
    "team",
    "assignee",
    "contact",
    "account",
    "brand",
    "parent",
    "status",
    "priority",
    "type",
)

EDITABLE = frozenset(
    {
        "subject", "description", "department_id", "team_id", "assignee_id", "contact_id", "account_id",
        "brand_id", "parent_id", "status", "priority", "type", "channel", "category", "sub_category",
        "product", "language", "custom_fields", "tags",
    }
)  # fmt: skip
# Set by the SLA policies, never by a client or an agent: naming one is refused with this reason.
READ_ONLY = frozenset({"first_response_due_at", "next_response_due_at", "resolution_due_at"})
READ_ONLY_REASON = gettext_lazy("Read-only: the SLA policy computes this time.")


def _text(
    value: Any, field: str, limit: int, errors: dict[str, str], *, required: bool = False
) -> str | None:
    if value is None:
        value = ""
    if not isinstance(value, str):
        errors[field] = _("Enter text.")
        return None
    value = value.strip()
    if required and not value:
        errors[field] = _("This field is required.")
        return None
    if len(value) > limit:
        errors[field] = _("Enter at most %(limit)d characters.") % {"limit": limit}
        return None
    return value


def _lookup(model: type[Any], value: Any, field: str, errors: dict[str, str], **filters: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        errors[field] = _("Enter an id.")
        return None
    found = model.objects.filter(pk=value, **filters).first()
    if found is None:
        errors[field] = _("Unknown id %(id)s.") % {"id": value}
    return found


def _department(value: Any, errors: dict[str, str]) -> Department | None:
    if isinstance(value, bool) or not isinstance(value, int):
        errors["department_id"] = _("Enter an id.")
        return None
    found = active_department_get(value)
    if found is None:
        errors["department_id"] = _("Unknown id %(id)s.") % {"id": value}
    return found


def _ticket_type(ticket: Ticket | None, given: Any, errors: dict[str, str]) -> Any:
    """A type by id or name; empty clears it on a change and means the default type on creation."""
    if given is None or given == "":
        return ticket_type_lookup(None) if ticket is None else None
    usable = isinstance(given, int | str) and not isinstance(given, bool)
    found = ticket_type_lookup(given) if usable else None
    if found is None:
        errors["type"] = _("Unknown ticket type.")
    return found


def clean_ticket_fields(ticket: Ticket | None, raw: Mapping[str, Any]) -> dict[str, Any]:
    """Return ``{model_attribute: value}`` for the fields in ``raw``; raise ``ValidationFailed`` otherwise.

    ``ticket`` is the ticket being changed (``None`` while creating): team, assignee and custom fields are
    checked against the department the ticket will have after the change.
    """
    # A create path may still pass the SLA fields empty (its input has them): that asks for nothing.
    read_only = sorted(name for name in READ_ONLY & set(raw) if ticket is not None or raw[name] is not None)
    if read_only:
        raise ValidationFailed(
            _("The ticket is not valid."), fields=dict.fromkeys(read_only, READ_ONLY_REASON)
        )
    raw = {name: value for name, value in raw.items() if name not in READ_ONLY}
    unknown = sorted(set(raw) - EDITABLE)
    if unknown:
        raise ValidationFailed(_("Unknown fields."), fields={name: _("Unknown field.") for name in unknown})
    errors: dict[str, str] = {}
    cleaned: dict[str, Any] = {}

    if "subject" in raw:
        cleaned["subject"] = _text(raw["subject"], "subject", MAX_SUBJECT, errors, required=True)
    if "description" in raw:
        description = _text(raw["description"], "description", MAX_BODY, errors)
        if description is not None:
            cleaned["description"] = normalise_body(description)[0] if description else ""
    for field in SHORT_TEXT_FIELDS:
        if field in raw:
            cleaned[field] = _text(raw[field], field, 100, errors)
    if "channel" in raw:
        if raw["channel"] not in Channel.values:
            errors["channel"] = _("Choose one of: %(choices)s.") % {"choices": ", ".join(Channel.values)}
        cleaned["channel"] = raw["channel"]
    if "language" in raw:
        if raw["language"] not in ("", None, *LANGUAGES):
            errors["language"] = _("Unsupported language.")
        cleaned["language"] = raw["language"] or ""
    if "department_id" in raw:
        if raw["department_id"] is None:
            errors["department_id"] = _("This field is required.")
        else:
            cleaned["department"] = _department(raw["department_id"], errors)
    department = cleaned.get("department") or (ticket.department if ticket else None)

    if "team_id" in raw:
        team = _lookup(Team, raw["team_id"], "team_id", errors)
        if team is not None and department is not None and team.department_id != department.pk:
            errors["team_id"] = _("The team belongs to another department.")
        cleaned["team"] = team
    if "assignee_id" in raw:
        assignee = _lookup(User, raw["assignee_id"], "assignee_id", errors, is_active=True)
        if assignee is not None:
            access = agent_access(assignee)
            if not access.is_agent:
                errors["assignee_id"] = _("Only agents can be assigned.")
            elif department is not None and not access.can_see_department(department.pk):
                errors["assignee_id"] = _("The agent does not work in the ticket's department.")
        cleaned["assignee"] = assignee
    if "contact_id" in raw:
        if raw["contact_id"] is None:
            errors["contact_id"] = _("This field is required.")
        else:
            cleaned["contact"] = _lookup(
                Contact, raw["contact_id"], "contact_id", errors, merged_into__isnull=True
            )
    if "account_id" in raw:
        cleaned["account"] = _lookup(Account, raw["account_id"], "account_id", errors)
    if "brand_id" in raw:
        cleaned["brand"] = _lookup(Brand, raw["brand_id"], "brand_id", errors)
    if "parent_id" in raw:
        parent = _lookup(Ticket, raw["parent_id"], "parent_id", errors, deleted_at__isnull=True)
        if parent is not None:
            check_parent(ticket, parent, errors)
        cleaned["parent"] = parent
    named = {
        "status": (status_lookup, _("No default status is configured."), _("Unknown status.")),
        "priority": (priority_lookup, _("No default priority is configured."), _("Unknown priority.")),
    }
    for name, (lookup, no_default, not_found) in named.items():
        if name not in raw:
            continue
        given = raw[name]
        usable = isinstance(given, int | str) and not isinstance(given, bool)
        found = lookup(given) if usable or (given is None and ticket is None) else None
        if found is None:
            errors[name] = str(no_default if given is None else not_found)
        cleaned[name] = found
    if "type" in raw:
        cleaned["type"] = _ticket_type(ticket, raw["type"], errors)
    if "tags" in raw:
        if not isinstance(raw["tags"], list):
            errors["tags"] = _("Enter a list of tags.")
        else:
            cleaned["tags"] = raw["tags"]

    if errors:
        raise ValidationFailed(_("The ticket is not valid."), fields=errors)

    if "custom_fields" in raw or (ticket is None) or "department" in cleaned:
        values = raw.get("custom_fields") or {}
        if not isinstance(values, Mapping):
            raise ValidationFailed(
                _("The ticket is not valid."), fields={"custom_fields": _("Enter an object.")}
            )
        specs = field_specs("ticket", department_id=department.pk if department else None)
        cleaned["custom_fields"] = clean_values(
            specs, values, existing=ticket.custom_fields if ticket else None
        )
    if "tags" in cleaned:
        cleaned["tags"] = tags_get_or_create(cleaned["tags"])
    return cleaned
