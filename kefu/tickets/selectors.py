"""Reads of tickets. ``visible_tickets`` decides what anyone may see; every list starts from it."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet

from kefu.org.models import User
from kefu.org.selectors import agent_access
from kefu.tickets.models import Attachment, Comment, Priority, Status, Thread, Ticket, TicketEvent


def visible_tickets(user: User | None) -> QuerySet[Ticket]:
    """The tickets ``user`` may see: every department's for administrators, else their departments'."""
    access = agent_access(user)
    queryset = Ticket.objects.filter(deleted_at__isnull=True)
    if not access.is_agent:
        return queryset.none()
    if access.sees_all_departments:
        return queryset
    return queryset.filter(department_id__in=access.department_ids)


def ticket_list_queryset(user: User | None) -> QuerySet[Ticket]:
    """Visible tickets with what a list row shows, loaded in a fixed number of queries."""
    return visible_tickets(user).select_related("status", "priority").prefetch_related("tags")


def ticket_get(user: User | None, ticket_id: int) -> Ticket | None:
    return (
        ticket_list_queryset(user)
        .select_related("contact", "department", "assignee")
        .filter(pk=ticket_id)
        .first()
    )


def ticket_visible(user: User | None, ticket_id: int) -> Ticket | None:
    """The ticket's own row if ``user`` may see it, for reads that need only the permission check.

    ``ticket_get`` also loads status, priority, contact, department, assignee and tags: five joins and a
    second query that the lists under a ticket (threads, comments, history) never read.
    """
    return visible_tickets(user).filter(pk=ticket_id).first()


def thread_list(ticket: Ticket) -> QuerySet[Thread]:
    # Authors are serialised by id only, so they are not joined (the join also loaded password hashes).
    return ticket.threads.prefetch_related(
        Prefetch("attachments", queryset=Attachment.objects.order_by("id"))
    ).order_by("created_at", "id")


def comment_list(ticket: Ticket, *, public_only: bool = False) -> QuerySet[Comment]:
    queryset = (
        ticket.comments.select_related("author")
        .prefetch_related("mentions", Prefetch("attachments", queryset=Attachment.objects.order_by("id")))
        .order_by("created_at", "id")
    )
    return queryset.filter(is_public=True) if public_only else queryset


def event_list(ticket: Ticket) -> QuerySet[TicketEvent]:
    return ticket.events.order_by("created_at", "id")


def attachment_get(user: User | None, attachment_id: int) -> Attachment | None:
    return Attachment.objects.filter(pk=attachment_id, ticket__in=visible_tickets(user)).first()


def status_list() -> QuerySet[Status]:
    return Status.objects.filter(is_active=True).order_by("order", "id")


def priority_list() -> QuerySet[Priority]:
    return Priority.objects.filter(is_active=True).order_by("order", "id")


def status_lookup(value: int | str | None) -> Status | None:
    """A status by id, or by its Chinese or English name (case-insensitive)."""
    if value is None or value == "":
        return Status.objects.filter(is_default=True, is_active=True).order_by("order").first()
    if isinstance(value, int):
        return Status.objects.filter(pk=value, is_active=True).first()
    return Status.objects.filter(Q(name__iexact=value) | Q(name_en__iexact=value), is_active=True).first()


def priority_lookup(value: int | str | None) -> Priority | None:
    """A priority by id, or by its Chinese or English name (case-insensitive)."""
    if value is None or value == "":
        return Priority.objects.filter(is_default=True, is_active=True).order_by("order").first()
    if isinstance(value, int):
        return Priority.objects.filter(pk=value, is_active=True).first()
    return Priority.objects.filter(Q(name__iexact=value) | Q(name_en__iexact=value), is_active=True).first()
