"""The ticket layout's mandatory fields, enforced by ``ticket_create`` and ``ticket_update`` — so the API,
the console, email, the help center, the widget and rules all get the same answer.

Policy (a channel that cannot supply a field must not make a ticket impossible to open):

- **Mandatory when creating** applies to tickets an agent creates (the console, the API, an agent
  logging a call). A customer's ticket (email, help center, widget) names no agent field, and rules,
  the system and imports create what they are given: for them it does not apply.
- **Mandatory when closing** applies to every close, whoever closes (agent, API, customer, rule), except
  imports of history: the ticket cannot be closed until the fields have values.
- **A rule's mandatory fields** ("show B and make it mandatory when A = x") are mandatory when creating
  and closing as above, and on any change that sets A to x or empties B while A = x.

A refusal is a 422 naming each missing field by its API name (``type``, ``custom_fields.vehicle``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kefu.core.actors import Actor, Source
from kefu.customfields.layouts import CLOSE, CREATE, CUSTOM_PREFIX
from kefu.customfields.selectors import layout_spec
from kefu.customfields.services.layouts import layout_field_catalog, layout_missing, layout_refuse
from kefu.tickets.models import StatusType, Ticket
from kefu.tickets.selectors import priority_list, ticket_type_list

MODULE = "ticket"

# The ticket's own fields a layout may place, by their API names: those an agent can set on every door
# (the API, the console's create form and its properties panel), so that a mandatory field can always be
# filled in. The ticket's custom fields are added by the custom-fields app. Subject, description,
# department and contact are always required and need no layout.
BUILTIN_FIELDS = (
    ("priority", gettext_lazy("Priority")),
    ("type", gettext_lazy("Type")),
    ("assignee_id", gettext_lazy("Assignee")),
    ("tags", gettext_lazy("Tags")),
)
# An input name the services accept → the layout's name for the same field.
_CHANGE_NAMES = {
    "team": "team_id",
    "assignee": "assignee_id",
    "account": "account_id",
    "contact": "contact_id",
}


def builtin_layout_fields() -> tuple[tuple[str, Any], ...]:
    return BUILTIN_FIELDS


def builtin_layout_choices() -> dict[str, list[tuple[str, str]]]:
    """What a rule may compare the priority and the type with: their ids, named."""
    return {
        "priority": [(str(row.pk), row.display_name) for row in priority_list()],
        "type": [(str(row.pk), row.display_name) for row in ticket_type_list()],
    }


def layout_values(ticket: Ticket, tags: Iterable[str] | None = None) -> dict[str, Any]:
    """The ticket's values by layout field name; references by id (rules compare ids as text)."""
    values: dict[str, Any] = {
        "subject": ticket.subject,
        "description": ticket.description,
        "contact_id": ticket.contact_id,
        "account_id": ticket.account_id,
        "status": ticket.status_id,
        "priority": ticket.priority_id,
        "type": ticket.type_id,
        "team_id": ticket.team_id,
        "assignee_id": ticket.assignee_id,
        "category": ticket.category,
        "sub_category": ticket.sub_category,
        "product": ticket.product,
        "language": ticket.language,
        "tags": sorted(tags) if tags is not None else sorted(t.name for t in ticket.tags.all()),
    }
    for key, value in (ticket.custom_fields or {}).items():
        values[f"{CUSTOM_PREFIX}{key}"] = value
    return values


def create_errors(actor: Actor, source: Source, values: dict[str, Any]) -> dict[str, str]:
    """The fields the new ticket's layout makes mandatory for this creator that ``values`` (what
    ``clean_ticket_fields`` gave) leave empty, by name, to be reported with every other bad field."""
    if source == Source.IMPORT or values.get("department") is None:
        return {}
    department_id = values["department"].pk
    if layout_spec(MODULE, department_id) is None:
        return {}
    probe = Ticket(**{name: value for name, value in values.items() if name != "tags"})
    current = layout_values(probe, [tag.name for tag in values.get("tags", [])])
    phases = [CREATE] if actor.is_agent else []
    status = values.get("status")
    if status is not None and status.status_type == StatusType.CLOSED:
        phases.append(CLOSE)
    missing = layout_missing(MODULE, department_id, current, phases=phases)
    return {name: _("This field is required.") for name in missing}


def check_update(
    actor: Actor, source: Source, ticket: Ticket, touched: Iterable[str], *, closing: bool
) -> None:
    """After a change is applied to ``ticket`` (not yet saved): a close needs the close-mandatory
    fields; any change needs the fields a rule it triggered makes mandatory. ``touched`` names what
    really changed (``custom_fields.<key>`` for each custom field)."""
    if source == Source.IMPORT:
        return
    if layout_spec(MODULE, ticket.department_id) is None:
        return
    values = layout_values(ticket)
    names = {_CHANGE_NAMES.get(name, name) for name in touched}
    missing = layout_missing(
        MODULE, ticket.department_id, values, phases=[CLOSE] if closing else [], touched=names
    )
    if closing and missing:
        labels = layout_field_catalog(MODULE, ticket.department_id)
        named = ", ".join(labels.get(name, name) for name in missing)
        layout_refuse(missing, _("Fill in before closing the ticket: %(fields)s.") % {"fields": named})
    layout_refuse(missing, _("The ticket is not valid."))
