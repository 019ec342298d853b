"""Reads of tasks. ``visible_tasks`` decides who sees which: a ticket's tasks whoever sees the ticket,
a task on its own its creator, its assignee and administrators."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from kefu.org import permissions
from kefu.org.models import User
from kefu.org.selectors import agent_access, agent_time_zone
from kefu.tasks.models import Task
from kefu.tickets.selectors import visible_tickets

DUE_FILTERS = ("overdue", "today", "upcoming", "none")
DONE_SHOWN = 20


def on_ticket(ticket_id: int) -> Q:
    """The ticket's tasks and those of the tickets merged into it (and into those): a merged ticket's
    checklist shows on the ticket it was merged into, and returns if the merge is undone."""
    return (
        Q(ticket_id=ticket_id)
        | Q(ticket__merged_into_id=ticket_id)
        | Q(ticket__merged_into__merged_into_id=ticket_id)
    )


def visible_tasks(user: User | None) -> QuerySet[Task]:
    access = agent_access(user)
    if not access.is_agent or user is None:
        return Task.objects.none()
    on_tickets = Q(ticket__in=visible_tickets(user).values("pk"))
    if access.can(permissions.SETTINGS_MANAGE):
        own = Q(ticket__isnull=True)
    else:
        own = Q(ticket__isnull=True) & (Q(assignee=user) | Q(created_by=user))
    return Task.objects.filter(on_tickets | own)


def task_get(user: User | None, task_id: int) -> Task | None:
    return visible_tasks(user).select_related("assignee").filter(pk=task_id).first()


def day_bounds(user: User | None, now: dt.datetime | None = None) -> tuple[dt.datetime, dt.datetime]:
    """The start of today and of tomorrow in the user's time zone (else the installation's)."""
    zone = ZoneInfo((agent_time_zone(user) if user is not None else None) or settings.TIME_ZONE)
    local = (now or timezone.now()).astimezone(zone)
    start = local.replace(hour=0, minute=0, second=0, microsecond=0)
    return start, start + dt.timedelta(days=1)


def filter_due(queryset: QuerySet[Task], due: str, user: User | None) -> QuerySet[Task]:
    """``overdue``: open and past due; ``today``: open and due later today; ``upcoming``: open and due
    after today or without a due time; ``none``: without a due time."""
    now = timezone.now()
    _start, tomorrow = day_bounds(user, now)
    if due == "overdue":
        return queryset.filter(done=False, due_at__lt=now)
    if due == "today":
        return queryset.filter(done=False, due_at__gte=now, due_at__lt=tomorrow)
    if due == "upcoming":
        return queryset.filter(Q(due_at__gte=tomorrow) | Q(due_at__isnull=True), done=False)
    return queryset.filter(due_at__isnull=True)


def task_list(
    user: User | None,
    *,
    assignee_id: int | None = None,
    ticket_id: int | None = None,
    done: bool | None = None,
    due: str | None = None,
) -> QuerySet[Task]:
    queryset = visible_tasks(user).select_related("assignee")
    if assignee_id is not None:
        queryset = queryset.filter(assignee_id=assignee_id)
    if ticket_id is not None:
        queryset = queryset.filter(on_ticket(ticket_id))
    if done is not None:
        queryset = queryset.filter(done=done)
    if due:
        queryset = filter_due(queryset, due, user)
    return queryset


def ticket_tasks(ticket_id: int) -> QuerySet[Task]:
    """A ticket's checklist (the caller checked the ticket is visible): open first, by due time."""
    return (
        Task.objects.select_related("assignee").filter(on_ticket(ticket_id)).order_by("done", "due_at", "id")
    )


@dataclass(frozen=True)
class MyTasks:
    overdue: list[Task]
    today: list[Task]
    upcoming: list[Task]
    done: list[Task]


def my_tasks(user: User) -> MyTasks:
    """The user's tasks (assigned to them, or created by them and assigned to nobody) in the four
    groups of the "My tasks" page (four queries)."""
    mine = (
        visible_tasks(user)
        .filter(Q(assignee=user) | Q(assignee__isnull=True, created_by=user))
        .select_related("ticket")
    )
    return MyTasks(
        overdue=list(filter_due(mine, "overdue", user).order_by("due_at", "id")),
        today=list(filter_due(mine, "today", user).order_by("due_at", "id")),
        upcoming=list(filter_due(mine, "upcoming", user).order_by(F("due_at").asc(nulls_last=True), "id")),
        done=list(mine.filter(done=True).order_by("-done_at", "-id")[:DONE_SHOWN]),
    )
