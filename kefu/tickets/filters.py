"""Filtering ticket lists: one implementation for the API, the console and exports.

The filters are translated into criteria (``ticket_filters_criteria``) and compiled by the criteria engine
(``kefu.tickets.criteria``), the one workflow and time rules use.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from kefu.core.errors import ValidationFailed
from kefu.customfields.selectors import choice_fields
from kefu.org.models import User
from kefu.tickets.criteria import ME, Criteria, condition, criteria_q
from kefu.tickets.models import Channel, StatusType, Ticket
from kefu.tickets.selectors import priority_lookup, status_lookup, ticket_type_lookup

SORTS = ("-created_at", "created_at", "-updated_at", "updated_at", "-number", "number")


@dataclass
class TicketFilters:
    status: str | None = None
    status_type: str | None = None
    priority: str | None = None
    type: str | None = None
    department_id: int | None = None
    assignee_id: str | None = None
    contact_id: int | None = None
    account_id: int | None = None
    channel: str | None = None
    tag: str | None = None
    created_after: dt.datetime | None = None
    created_before: dt.datetime | None = None
    updated_after: dt.datetime | None = None
    updated_before: dt.datetime | None = None
    q: str | None = None
    custom_field: list[str] | None = None  # "key:value" each, all of them must match


def _custom_field_conditions(wanted: list[str], errors: dict[str, str]) -> list[dict[str, Any]]:
    """A condition per ``key:value``: the pick list ``key`` is ``value`` (a multi-select: holds it); an
    unknown key or a malformed pair is an error naming ``custom_field``."""
    fields = {field.key: field for field in choice_fields("ticket")}
    conditions = []
    for pair in wanted:
        key, separator, value = pair.partition(":")
        field = fields.get(key.strip())
        if not separator or field is None or not value:
            errors["custom_field"] = _("Use key:value with the key of a pick list.")
            continue
        if field.field_type == "multi_select":
            # A multi-select's values are matched as listed, whatever the case the client wrote.
            known = {item.casefold(): item for item in field.values}
            conditions.append(
                condition(f"custom_fields.{field.key}", "contains", known.get(value.casefold(), value))
            )
        else:
            conditions.append(condition(f"custom_fields.{field.key}", "is", value))
    return conditions


def number_match(query: str, prefix: str = "") -> Q | None:
    """The tickets ``query`` names by number: the plain number (``42``, ``#42``, the prefix and 42) or a
    display number (``AS-20261122-00042``, with or without the prefix or ``#``), whatever format was
    in force when the ticket was created. ``None`` when ``query`` cannot be a number."""
    text = query.strip()
    if prefix and text.casefold().startswith(prefix.casefold()):
        text = text[len(prefix) :]
    text = text.strip().lstrip("#").strip()
    if not text or len(text) > 64 or any(character.isspace() for character in text):
        return None
    match = Q(display_number__iexact=text)
    if _is_number(text) and len(text) < 19:
        match |= Q(number=int(text))
    return match


def _is_number(value: str) -> bool:
    """ASCII digits only: ``str.isdigit`` also accepts "²" or "①", which ``int()`` refuses."""
    return value.isascii() and value.isdigit()


def _reference(value: str) -> int | str:
    return int(value) if _is_number(value) else value


def ticket_filters_criteria(filters: TicketFilters) -> Criteria:
    """The criteria ``filters`` stand for (names resolved to ids; ``assignee_id=me`` kept as ``"me"``),
    or ``ValidationFailed`` naming each bad filter by its parameter.

    The API's query parameters and the console's filter bar become criteria here, so a list is
    decided by the criteria engine, the one the rules evaluate.
    """
    errors: dict[str, str] = {}
    conditions: list[dict[str, Any]] = []
    if filters.status:
        status = status_lookup(_reference(filters.status))
        if status is None:
            errors["status"] = _("Unknown status.")
        else:
            conditions.append(condition("status", "is", status.pk))
    if filters.status_type:
        if filters.status_type not in StatusType.values:
            errors["status_type"] = _("Choose one of: %(choices)s.") % {
                "choices": ", ".join(StatusType.values)
            }
        else:
            conditions.append(condition("status_type", "is", filters.status_type))
    if filters.priority:
        priority = priority_lookup(_reference(filters.priority))
        if priority is None:
            errors["priority"] = _("Unknown priority.")
        else:
            conditions.append(condition("priority", "is", priority.pk))
    if filters.type:
        if filters.type == "none":
            conditions.append(condition("type", "is_empty"))
        else:
            ticket_type = ticket_type_lookup(_reference(filters.type))
            if ticket_type is None:
                errors["type"] = _("Unknown ticket type.")
            else:
                conditions.append(condition("type", "is", ticket_type.pk))
    if filters.channel:
        if filters.channel not in Channel.values:
            errors["channel"] = _("Choose one of: %(choices)s.") % {"choices": ", ".join(Channel.values)}
        else:
            conditions.append(condition("channel", "is", filters.channel))
    if filters.assignee_id:
        value = filters.assignee_id
        if value == ME:
            conditions.append(condition("assignee_id", "is", ME))
        elif value == "none":
            conditions.append(condition("assignee_id", "is_empty"))
        elif _is_number(value) and len(value) < 19:
            conditions.append(condition("assignee_id", "is", int(value)))
        else:
            errors["assignee_id"] = _("Use an id, me or none.")
    if filters.custom_field:
        conditions += _custom_field_conditions(filters.custom_field, errors)
    if errors:
        raise ValidationFailed(_("The filters are not valid."), fields=errors)
    for key in ("department_id", "contact_id", "account_id"):
        if getattr(filters, key) is not None:
            conditions.append(condition(key, "is", getattr(filters, key)))
    moments = (
        ("created_at", "on_or_after", filters.created_after),
        ("created_at", "lt", filters.created_before),
        ("updated_at", "on_or_after", filters.updated_after),
        ("updated_at", "lt", filters.updated_before),
    )
    conditions += [condition(field, op, moment.isoformat()) for field, op, moment in moments if moment]
    if filters.tag and filters.tag.strip():
        conditions.append(condition("tags", "contains", " ".join(filters.tag.split())))
    if filters.q and filters.q.strip():
        conditions.append(condition("search", "contains", filters.q.strip()))
    return {"all": conditions}


def apply_ticket_filters(
    queryset: QuerySet[Ticket], filters: TicketFilters, *, user: User | None
) -> QuerySet[Ticket]:
    """``queryset`` narrowed to the tickets ``filters`` select, compiled by the criteria engine."""
    criteria = ticket_filters_criteria(filters)
    if not criteria["all"]:
        return queryset
    return queryset.filter(criteria_q(criteria, user_id=user.pk if user is not None else None))
