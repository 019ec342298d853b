"""Reads of time entries and timers, always through the tickets the reader may see."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet, Sum

from kefu.org.models import User
from kefu.tickets.selectors import ticket_visible, visible_tickets
from kefu.timetracking.models import RunningTimer, TimeEntry


@dataclass(frozen=True)
class AgentTotal:
    agent_id: int
    name: str
    minutes: int
    billable_minutes: int


@dataclass(frozen=True)
class Totals:
    """Minutes logged (all, and billable ones) with the split per agent, largest first."""

    minutes: int
    billable_minutes: int
    per_agent: list[AgentTotal]


def on_ticket(ticket_id: int, prefix: str = "ticket__") -> Q:
    """The ticket and the tickets merged into it (and into those): a merged ticket's time counts on the
    ticket it was merged into, and returns to it if the merge is undone (nothing is moved)."""
    return (
        Q(**{f"{prefix}pk": ticket_id})
        | Q(**{f"{prefix}merged_into_id": ticket_id})
        | Q(**{f"{prefix}merged_into__merged_into_id": ticket_id})
    )


def entry_get(user: User | None, entry_id: int) -> TimeEntry | None:
    """The entry, if it lies on a ticket ``user`` may see."""
    return (
        TimeEntry.objects.select_related("agent")
        .filter(pk=entry_id, ticket__in=visible_tickets(user).values("pk"))
        .first()
    )


def ticket_entries(ticket_id: int) -> QuerySet[TimeEntry]:
    """The entries of one ticket (the caller checked the ticket is visible), newest day first."""
    return TimeEntry.objects.select_related("agent").filter(on_ticket(ticket_id)).order_by("-date", "-id")


def _totals(entries: QuerySet[TimeEntry]) -> Totals:
    rows = (
        entries.order_by()
        .values("agent_id", "agent__name", "agent__email")
        .annotate(total=Sum("minutes"), billable_total=Sum("minutes", filter=Q(billable=True)))
    )
    per_agent = sorted(
        (
            AgentTotal(
                agent_id=row["agent_id"],
                name=row["agent__name"] or row["agent__email"],
                minutes=row["total"] or 0,
                billable_minutes=row["billable_total"] or 0,
            )
            for row in rows
        ),
        key=lambda total: (-total.minutes, total.agent_id),
    )
    return Totals(
        minutes=sum(total.minutes for total in per_agent),
        billable_minutes=sum(total.billable_minutes for total in per_agent),
        per_agent=per_agent,
    )


def ticket_totals(ticket_id: int) -> Totals:
    return _totals(TimeEntry.objects.filter(on_ticket(ticket_id)))


def contact_totals(user: User | None, contact_id: int) -> Totals:
    """Time on the contact's tickets that ``user`` may see."""
    tickets = visible_tickets(user).filter(contact_id=contact_id).values("pk")
    return _totals(TimeEntry.objects.filter(ticket__in=tickets))


def account_totals(user: User | None, account_id: int) -> Totals:
    """Time on the account's tickets that ``user`` may see."""
    tickets = visible_tickets(user).filter(account_id=account_id).values("pk")
    return _totals(TimeEntry.objects.filter(ticket__in=tickets))


def agent_totals(user: User | None, agent_id: int) -> Totals:
    """Time one agent logged on the tickets ``user`` may see."""
    tickets = visible_tickets(user).values("pk")
    return _totals(TimeEntry.objects.filter(agent_id=agent_id, ticket__in=tickets))


def time_totals(
    user: User | None,
    *,
    ticket_id: int | None = None,
    contact_id: int | None = None,
    account_id: int | None = None,
    agent_id: int | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> Totals:
    """Time on the tickets ``user`` may see, narrowed by any of ticket, contact, account, agent and an
    inclusive range of dates."""
    tickets = visible_tickets(user)
    if ticket_id is not None:
        tickets = tickets.filter(on_ticket(ticket_id, prefix=""))
    if contact_id is not None:
        tickets = tickets.filter(contact_id=contact_id)
    if account_id is not None:
        tickets = tickets.filter(account_id=account_id)
    entries = TimeEntry.objects.filter(ticket__in=tickets.values("pk"))
    if agent_id is not None:
        entries = entries.filter(agent_id=agent_id)
    if date_from is not None:
        entries = entries.filter(date__gte=date_from)
    if date_to is not None:
        entries = entries.filter(date__lte=date_to)
    return _totals(entries)


def running_timer(user: User) -> RunningTimer | None:
    return RunningTimer.objects.select_related("ticket").filter(agent=user).first()


def visible_ticket(user: User | None, ticket_id: int) -> Any:
    """The ticket row when ``user`` may see it (the tickets app decides)."""
    return ticket_visible(user, ticket_id)
