"""In-place edits of the properties panel: one field per request, through the ticket services.

The response is the panel again (with the error next to the field when the service refused the value)
plus the page header out of band, and an ``HX-Trigger`` that refreshes the history.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kefu.core.actors import Actor, Source
from kefu.core.errors import NotFound, ServiceError, ValidationFailed
from kefu.core.htmx import is_partial
from kefu.core.ids import parse_id
from kefu.customfields.selectors import field_specs
from kefu.customfields.validation import FieldSpec
from kefu.tickets import services
from kefu.tickets.selectors import ticket_page_get
from kefu.tickets.views.detail import (
    header_context,
    page_context,
    properties_context,
    visible_ticket_or_404,
)

REFERENCE_FIELDS = {"assignee": "assignee_id", "team": "team_id", "department": "department_id"}
TEXT_FIELDS = ("category", "sub_category", "product")
CUSTOM_PREFIX = "custom_fields."


def choice_id(value: str) -> int | str | None:
    """The id chosen in a form: the id, ``None`` for an empty choice, or else the raw text for the
    service to refuse. A number beyond what a primary key holds becomes 0, which names no row either,
    so the service reports it as unknown (SQLite cannot even compare it)."""
    value = value.strip()
    if not value:
        return None
    if not (value.isascii() and value.isdigit()):
        return value
    return parse_id(value) or 0


def parse_local_datetime(value: str, zone: dt.tzinfo, field: str) -> dt.datetime | None:
    """A ``datetime-local`` input read in the viewer's time zone."""
    value = value.strip()
    if not value:
        return None
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError as exc:
        raise ValidationFailed(
            _("The ticket is not valid."), fields={field: _("Enter a date and time.")}
        ) from exc
    return timezone.make_aware(moment, zone) if timezone.is_naive(moment) else moment


def parse_tags(value: str) -> list[str]:
    return [name.strip() for name in value.replace("，", ",").split(",") if name.strip()]


def parse_custom_value(spec: FieldSpec, data: QueryDict, name: str, zone: dt.tzinfo) -> Any:
    """The value of one custom-field input in the form the validator expects; ``None`` clears it."""
    if spec.field_type == "checkbox":
        return data.get(name) in ("on", "true", "1")
    if spec.field_type == "multi_select":
        return [value for value in data.getlist(name) if value] or None
    raw = data.get(name, "")
    if spec.field_type == "datetime":
        moment = parse_local_datetime(raw, zone, f"{CUSTOM_PREFIX}{spec.key}")
        return moment.isoformat() if moment else None
    return raw.strip() or None


def custom_values(specs: list[FieldSpec], data: QueryDict, zone: dt.tzinfo, *, prefix: str) -> dict[str, Any]:
    """The submitted values of ``specs`` whose inputs are named ``prefix`` + key."""
    return {spec.key: parse_custom_value(spec, data, f"{prefix}{spec.key}", zone) for spec in specs}


def _apply(request: HttpRequest, ticket: Any, field: str) -> None:
    """Change ``field`` (the panel's name for it) to the posted ``value`` through the right service."""
    actor = Actor.agent(request.user)
    data = request.POST
    value = data.get("value", "")
    common: Mapping[str, Any] = {"actor": actor, "source": Source.WEB, "ticket": ticket}
    zone = timezone.get_current_timezone()
    if field in ("status", "priority", "type"):
        services.ticket_update(**common, changes={field: choice_id(value)})
        return
    if field == "assignee":
        assignee = request.user.pk if value == "me" else choice_id(value)
        services.ticket_assign(**common, assignee_id=assignee)  # type: ignore[arg-type]
        return
    if field in REFERENCE_FIELDS:
        services.ticket_update(**common, changes={REFERENCE_FIELDS[field]: choice_id(value)})
        return
    if field in TEXT_FIELDS:
        services.ticket_update(**common, changes={field: value})
        return
    if field == "tags":
        wanted = parse_tags(value)
        current = [tag.name for tag in ticket.tags.all()]
        keep = {name.casefold() for name in wanted}
        services.ticket_tag(
            **common, add=wanted, remove=[name for name in current if name.casefold() not in keep]
        )
        return
    if field.startswith(CUSTOM_PREFIX):
        key = field.removeprefix(CUSTOM_PREFIX)
        spec = next(
            (s for s in field_specs("ticket", department_id=ticket.department_id) if s.key == key), None
        )
        if spec is None:
            raise ValidationFailed(_("Unknown field."), fields={field: _("Unknown field.")})
        value = parse_custom_value(spec, data, "value", zone)
        services.ticket_update(**common, changes={"custom_fields": {key: value}})
        return
    raise Http404


@login_required
@require_POST
def ticket_property(request: HttpRequest, ticket_id: int) -> HttpResponse:
    ticket = visible_ticket_or_404(request, ticket_id)
    field = request.POST.get("field", "")
    errors: dict[str, str] = {}
    status = 200
    try:
        _apply(request, ticket, field)
    except NotFound as exc:
        raise Http404 from exc
    except ServiceError as exc:
        errors[field] = (
            exc.fields.get(REFERENCE_FIELDS.get(field, field))
            # A refusal about other fields (closing with mandatory fields empty) says which in its message.
            or (exc.message if field == "status" else next(iter(exc.fields.values()), ""))
            or exc.message
        )
        status = exc.status_code
    fresh = ticket_page_get(request.user, ticket_id)
    if fresh is None:
        # The agent moved the ticket to a department they do not work in: it is no longer theirs to see.
        return _leave(request)
    if not is_partial(request):
        if not errors:
            return redirect("tickets:detail", ticket_id=ticket_id)
        return render(
            request, "tickets/ticket.html", {**page_context(request, fresh), "errors": errors}, status=status
        )
    context = {**properties_context(request, fresh, errors=errors), **header_context(fresh), "oob": True}
    response = render(request, "tickets/partials/ticket_properties_response.html", context, status=status)
    if not errors:
        response["HX-Trigger"] = "kefu-ticket-changed"
    return response


def _leave(request: HttpRequest) -> HttpResponse:
    try:
        target = reverse("tickets:list")
    except NoReverseMatch:
        target = reverse("home")
    if request.htmx:
        response = HttpResponse(status=204)
        response["HX-Redirect"] = target
        return response
    return redirect(target)
