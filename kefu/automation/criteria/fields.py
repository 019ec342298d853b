"""The fields a condition can name: a registry (Sentry-style) of ticket, contact, account and custom fields.

Field names are the ticket API's names (``status``, ``priority``, ``team_id``, ``tags`` …) plus
``contact.*``, ``account.*``, ``custom_fields.<key>`` (and ``contact.custom_fields.<key>``,
``account.custom_fields.<key>``) and a few computed ones (``last_message``, ``thread_count``,
``hours_since_*``). Other apps add fields with :func:`register_field`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Max, Q
from django.utils.functional import Promise

from kefu.automation.criteria.kinds import Kind, SetTarget, Target
from kefu.automation.criteria.operators import CHANGE_OPERATORS
from kefu.tickets.models import Thread, Ticket

Choices = list[tuple[Any, str]]


class Facts:
    """What conditions read about one ticket, each looked up at most once per evaluation."""

    def __init__(self, ticket: Ticket, *, now: dt.datetime):
        self.ticket = ticket
        self.now = now
        self._memo: dict[str, Any] = {}

    def memo(self, key: str, compute: Callable[[], Any]) -> Any:
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    def threads(self) -> dict[str, Any]:
        return self.memo(
            "threads",
            lambda: Thread.objects.filter(ticket_id=self.ticket.pk, scheduled=False).aggregate(
                count=Count("pk"),
                last_in=Max("created_at", filter=Q(direction=Thread.Direction.INBOUND)),
                last_out=Max("created_at", filter=Q(direction=Thread.Direction.OUTBOUND)),
            ),
        )

    def last_message(self) -> str:
        return self.memo(
            "last_message",
            lambda: (
                Thread.objects.filter(ticket_id=self.ticket.pk, scheduled=False)
                .order_by("-created_at", "-id")
                .values_list("body_text", flat=True)
                .first()
                or ""
            ),
        )

    def tags(self) -> list[str]:
        return self.memo("tags", lambda: [tag.name for tag in self.ticket.tags.all()])

    def contact_tags(self) -> list[str]:
        return self.memo("contact_tags", lambda: [tag.name for tag in self.ticket.contact.tags.all()])


def _from_snapshot(value: Any) -> Any:
    return value.get("id") if isinstance(value, dict) else value


@dataclass(frozen=True)
class Field:
    """One field conditions can name: how to read it from a ticket and where it lives in the database."""

    key: str
    label: Promise | str
    kind: Kind
    group: str
    read: Callable[[Facts], Any]
    target: Target | SetTarget
    choices: Callable[[], Choices] | None = None
    resolve: Callable[[Any], Any] | None = None
    change_key: str | None = None
    """The field's name in a change-set (``RecordedChange.changes``); ``None``: no ``changed*`` operators."""
    from_change: Callable[[Any], Any] = _from_snapshot
    operators: tuple[str, ...] = field(default=())

    def allowed_operators(self) -> tuple[str, ...]:
        base = self.operators or self.kind.operators
        return base + (CHANGE_OPERATORS if self.change_key else ())


_registry: dict[str, Field] = {}
_dynamic: list[Callable[[str], Field | None]] = []
_dynamic_lists: list[Callable[[], list[Field]]] = []


def register_field(definition: Field) -> None:
    """Make ``definition.key`` usable in criteria (a later registration of the same key replaces it)."""
    _registry[definition.key] = definition


def register_dynamic_fields(
    lookup: Callable[[str], Field | None], listing: Callable[[], list[Field]]
) -> None:
    """Fields whose set is data (custom fields): found by key, and listed for the catalog."""
    _dynamic.append(lookup)
    _dynamic_lists.append(listing)


def get_field(key: str) -> Field | None:
    found = _registry.get(key)
    if found is not None:
        return found
    for lookup in _dynamic:
        found = lookup(key)
        if found is not None:
            return found
    return None


def all_fields() -> list[Field]:
    listed = list(_registry.values())
    for listing in _dynamic_lists:
        listed.extend(listing())
    return listed


# --- value resolution: ids or names ------------------------------------------------------------------


def by_id_or(model: type[Any], value: Any, *names: str, **filters: Any) -> int | None:
    queryset = model.objects.filter(**filters)
    if isinstance(value, int) and not isinstance(value, bool):
        return queryset.filter(pk=value).values_list("pk", flat=True).first()
    if isinstance(value, str) and value.strip():
        text = value.strip()
        if text.isdigit():
            return by_id_or(model, int(text), *names, **filters)
        match = Q(pk__in=[])
        for name in names:
            match |= Q(**{f"{name}__iexact": text})
        return queryset.filter(match).order_by("pk").values_list("pk", flat=True).first()
    return None


def pk_of(found: Any) -> int | None:
    return found.pk if found is not None else None


def code_resolver(choices: Callable[[], Choices]) -> Callable[[Any], Any]:
    def resolve(value: Any) -> Any:
        for code, label in choices():
            if value == code or (isinstance(value, str) and value.casefold() == str(label).casefold()):
                return code
        return None

    return resolve


__all__ = ["Facts", "Field", "all_fields", "get_field", "register_dynamic_fields", "register_field"]
