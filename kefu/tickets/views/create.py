"""Creating a ticket on behalf of a contact: an existing one (found with ``contacts:lookup``) or a new one
by email address, which ``ticket_create`` finds or creates through the contacts services."""

from __future__ import annotations

import json
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from kefu.core.actors import Actor, Source
from kefu.core.errors import ServiceError
from kefu.core.htmx import is_partial
from kefu.customfields.selectors import field_specs
from kefu.org import permissions
from kefu.org.selectors import agent_access, department_list
from kefu.tickets import services
from kefu.tickets.inputs import ContactRef, MessageInput, TicketCreateInput
from kefu.tickets.models import Channel
from kefu.tickets.selectors import priority_list, ticket_agents, ticket_type_list, ticket_visible
from kefu.tickets.views.detail import custom_field_rows
from kefu.tickets.views.forms import CREATE_CHANNELS, split_addresses, uploaded_files
from kefu.tickets.views.layout import layout_groups
from kefu.tickets.views.properties import choice_id, custom_values, parse_tags

CUSTOM_PREFIX = "cf_"
# The service names some inputs differently from the form; every other key is the form's own name.
_FORM_FIELD = {
    "department_id": "department",
    "assignee_id": "assignee",
    "contact_id": "contact",
    "contact.email": "contact_email",
    "parent_id": "parent",
    "email": "contact_email",
    "custom_fields": "form",
    "file": "files",
}


def _departments(request: HttpRequest) -> Any:
    access = agent_access(request.user)
    departments = department_list(active_only=True)
    return departments if access.sees_all_departments else departments.filter(pk__in=access.department_ids)


def _layout_values(values: dict[str, Any]) -> dict[str, Any]:
    """The form's values by layout name, as rules compare them (ids and choices as text)."""
    shown: dict[str, Any] = {
        "priority": values.get("priority") or None,
        "type": values.get("type") or None,
        "assignee_id": values.get("assignee") or None,
        "tags": parse_tags(str(values.get("tags", ""))),
    }
    for key, value in values.items():
        if key.startswith(CUSTOM_PREFIX):
            shown[f"custom_fields.{key.removeprefix(CUSTOM_PREFIX)}"] = value
    return shown


def _department_context(
    department_id: int | None, values: dict[str, Any], errors: dict[str, str]
) -> dict[str, Any]:
    """What depends on the chosen department: who can be assigned, which custom fields apply and how the
    department's layout arranges the fields (sections, order, mandatory, shown by rules)."""
    custom = {
        key.removeprefix(CUSTOM_PREFIX): value
        for key, value in values.items()
        if key.startswith(CUSTOM_PREFIX)
    }
    rows = custom_field_rows(department_id, custom) if department_id else []
    for row in rows:
        row["error"] = errors.get(CUSTOM_PREFIX + row["spec"].key, "")
        row["layout_name"] = f"custom_fields.{row['spec'].key}"
    offered = ["priority", "type", "tags", "assignee_id", *(row["layout_name"] for row in rows)]
    layout = layout_groups(department_id, phase="create", values=_layout_values(values), offered=offered)
    return {
        "agents": ticket_agents(department_id) if department_id else [],
        "custom_fields": rows,
        "custom_prefix": CUSTOM_PREFIX,
        "values": values,
        "errors": errors,
        "priorities": priority_list(),
        "ticket_types": ticket_type_list(),
        "layout": layout,
        "layout_rules_json": json.dumps(layout["rules"], ensure_ascii=False),
    }


def _form_errors(exc: ServiceError) -> dict[str, str]:
    errors: dict[str, str] = {}
    for key, message in exc.fields.items():
        if key.startswith("custom_fields."):
            errors[CUSTOM_PREFIX + key.removeprefix("custom_fields.")] = message
        else:
            errors[_FORM_FIELD.get(key, key)] = message
    if not errors:
        errors["form"] = exc.message
    return errors


def _parent_id(value: str) -> int | None:
    """The parent a child ticket is created under (the parent page's "Add child ticket")."""
    chosen = choice_id(value)
    return chosen if isinstance(chosen, int) else None


def _create(request: HttpRequest, department_id: int | None) -> tuple[Any, dict[str, str]]:
    data = request.POST
    if department_id is None:
        return None, {"department": _("This field is required.")}
    zone = timezone.get_current_timezone()
    channel = data.get("channel", "") if data.get("channel") in CREATE_CHANNELS else Channel.WEB
    try:
        specs = field_specs("ticket", department_id=department_id)
        contact_id = choice_id(data.get("contact_id", ""))
        ticket = services.ticket_create(
            actor=Actor.agent(request.user),
            source=Source.WEB,
            data=TicketCreateInput(
                subject=data.get("subject", ""),
                message=MessageInput(
                    body=data.get("description", ""),
                    channel=channel,
                    cc=split_addresses(data.get("cc", "")),
                    files=uploaded_files(request),
                ),
                department_id=department_id,
                contact=ContactRef(
                    contact_id=contact_id if isinstance(contact_id, int) else None,
                    email=data.get("contact_email", "").strip(),
                    name=data.get("contact_name", "").strip(),
                ),
                priority=choice_id(data.get("priority", "")),
                parent_id=_parent_id(data.get("parent", "")),
                type=choice_id(data.get("type", "")),
                assignee_id=choice_id(data.get("assignee", "")),  # type: ignore[arg-type]
                tags=parse_tags(data.get("tags", "")),
                custom_fields={
                    key: value
                    for key, value in custom_values(specs, data, zone, prefix=CUSTOM_PREFIX).items()
                    if value is not None
                },
                channel=channel,
            ),
        )
    except ServiceError as exc:
        return None, _form_errors(exc)
    return ticket, {}


@login_required
def ticket_create(request: HttpRequest) -> HttpResponse:
    """The create-ticket page; ``?part=department`` re-renders what depends on the chosen department."""
    if not agent_access(request.user).can(permissions.TICKET_CREATE):
        raise DjangoPermissionDenied
    source = request.POST if request.method == "POST" else request.GET
    department = choice_id(source.get("department", ""))
    department_id = department if isinstance(department, int) else None
    departments = _departments(request)
    if request.method == "GET" and not agent_access(request.user).can_see_department(department_id):
        department_id = None
    if request.method == "GET" and department_id is None:
        first = departments.first()
        department_id = first.pk if first else None
    values: dict[str, Any] = {
        key: items if len(items) > 1 else items[0] for key, items in source.lists() if items
    }
    if request.method == "GET" and request.GET.get("part") == "department" and is_partial(request):
        return render(
            request,
            "tickets/partials/ticket_create_department.html",
            _department_context(department_id, values, {}),
        )
    errors: dict[str, str] = {}
    if request.method == "POST":
        ticket, errors = _create(request, department_id)
        if ticket is not None:
            return redirect("tickets:detail", ticket_id=ticket.pk)
    context = {
        "channels": [(value, label) for value, label in Channel.choices if value in CREATE_CHANNELS],
        "departments": departments,
        "department_id": department_id,
        "parent": ticket_visible(request.user, _parent_id(str(values.get("parent", ""))) or 0),
        **_department_context(department_id, values, errors),
    }
    return render(request, "tickets/create.html", context, status=422 if errors else 200)
