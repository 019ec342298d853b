"""Filtering ticket lists: one implementation for the API, the console and exports."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from kefu.core.errors import ValidationFailed
from kefu.customfields.selectors import choice_fields
from kefu.org.models import User
from kefu.tickets.models import Channel, StatusType, Ticket
from kefu.tickets.selectors import (
    filter_tickets_by_text,
    priority_lookup,
    status_lookup,
    ticket_type_lookup,
)

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


def _custom_field_filters(
    queryset: QuerySet[Ticket], wanted: list[str], errors: dict[str, str]
) -> QuerySet[Ticket]:
    """Tickets whose pick list ``key`` holds ``value`` (a multi-select: among its values), for each
    ``key:value``; an unknown key or a malformed pair is an error naming ``custom_field``."""
    fields = {field.key: field for field in choice_fields("ticket")}
    for pair in wanted:
        key, separator, value = pair.partition(":")
        field = fields.get(key.strip())
        if not separator or field is None or not value:
            errors["custom_field"] = _("Use key:value with the key of a pick list.")
            continue
        if field.field_type == "multi_select":
            # The stored list read as JSON text holds the value in quotes: PostgreSQL gives it as written,
            # SQLite as stored (non-ASCII as \\u escapes), so both spellings are looked for.
            lookup = f"custom_fields__{field.key}__icontains"
            queryset = queryset.filter(
                Q(**{lookup: json.dumps(value, ensure_ascii=False)}) | Q(**{lookup: json.dumps(value)})
            )
        else:
            queryset = queryset.filter(**{f"custom_fields__{field.key}": value})
    return queryset


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


def apply_ticket_filters(
    queryset: QuerySet[Ticket], filters: TicketFilters, *, user: User | None
) -> QuerySet[Ticket]:
    errors: dict[str, str] = {}
    if filters.status:
        status = status_lookup(_reference(filters.status))
        if status is None:
            errors["status"] = _("Unknown status.")
        else:
            queryset = queryset.filter(status=status)
    if filters.status_type:
        if filters.status_type not in StatusType.values:
            errors["status_type"] = _("Choose one of: %(choices)s.") % {
                "choices": ", ".join(StatusType.values)
            }
        else:
            queryset = queryset.filter(status__status_type=filters.status_type)
    if filters.priority:
        priority = priority_lookup(_reference(filters.priority))
        if priority is None:
            errors["priority"] = _("Unknown priority.")
        else:
            queryset = queryset.filter(priority=priority)
    if filters.type:
        if filters.type == "none":
            queryset = queryset.filter(type__isnull=True)
        else:
            ticket_type = ticket_type_lookup(_reference(filters.type))
            if ticket_type is None:
                errors["type"] = _("Unknown ticket type.")
            else:
                queryset = queryset.filter(type=ticket_type)
    if filters.channel:
        if filters.channel not in Channel.values:
            errors["channel"] = _("Choose one of: %(choices)s.") % {"choices": ", ".join(Channel.values)}
        else:
            queryset = queryset.filter(channel=filters.channel)
    if filters.assignee_id:
        value = filters.assignee_id
        if value == "me":
            queryset = queryset.filter(assignee=user)
        elif value == "none":
            queryset = queryset.filter(assignee__isnull=True)
        elif _is_number(value) and len(value) < 19:
            queryset = queryset.filter(assignee_id=int(value))
        else:
            errors["assignee_id"] = _("Use an id, me or none.")
    if filters.custom_field:
        queryset = _custom_field_filters(queryset, filters.custom_field, errors)
    if errors:
        raise ValidationFailed(_("The filters are not valid."), fields=errors)

    exact = {
        "department_id": filters.department_id,
        "contact_id": filters.contact_id,
        "account_id": filters.account_id,
        "created_at__gte": filters.created_after,
        "created_at__lt": filters.created_before,
        "updated_at__gte": filters.updated_after,
        "updated_at__lt": filters.updated_before,
    }
    queryset = queryset.filter(**{lookup: value for lookup, value in exact.items() if value is not None})
    if filters.tag:
        queryset = queryset.filter(tags__name__iexact=filters.tag.strip())
    if filters.q and filters.q.strip():
        query = filters.q.strip()
        numbered = number_match(query)
        if numbered is not None:
            queryset = queryset.filter(
                numbered | Q(pk__in=filter_tickets_by_text(Ticket.objects.all(), query))
            )
        else:
            queryset = filter_tickets_by_text(queryset, query)
    return queryset
