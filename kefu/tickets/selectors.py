"""Reads of tickets. ``visible_tickets`` decides what anyone may see; every list starts from it."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce

from kefu.contacts.models import Account, Contact
from kefu.contacts.selectors import account_shares_tickets
from kefu.core.catalog_cache import cached
from kefu.core.pagination import Page, paginate
from kefu.customfields.models import CustomField
from kefu.org import permissions
from kefu.org.models import Agent, Role, User
from kefu.org.selectors import agent_access
from kefu.tickets.models import (
    Attachment,
    Channel,
    Comment,
    Priority,
    Status,
    StatusType,
    Thread,
    Ticket,
    TicketEvent,
    TicketType,
)


def _in_departments(user: User | None, queryset: QuerySet[Ticket]) -> QuerySet[Ticket]:
    access = agent_access(user)
    if not access.is_agent:
        return queryset.none()
    if access.sees_all_departments:
        return queryset
    return queryset.filter(department_id__in=access.department_ids)


def visible_tickets(user: User | None) -> QuerySet[Ticket]:
    """The tickets ``user`` may see: every department's for administrators, else their departments'."""
    return _in_departments(user, Ticket.objects.filter(deleted_at__isnull=True))


def trashed_tickets(user: User | None) -> QuerySet[Ticket]:
    """The tickets in the trash of the departments ``user`` may see (the list's "Trash" view).

    Nothing else reads a trashed ticket: it is unknown everywhere until restored or purged.
    """
    return _in_departments(user, Ticket.objects.filter(deleted_at__isnull=False))


def tickets_with_trash(user: User | None) -> QuerySet[Ticket]:
    """``visible_tickets`` and ``trashed_tickets`` together: for counting both in one query only."""
    return _in_departments(user, Ticket.objects.all())


def contact_marked_spam(contact_id: int) -> bool:
    """Whether a ticket of this contact is marked as spam (the email channel files their new mail there)."""
    return Ticket.objects.filter(contact_id=contact_id, is_spam=True).exists()


def ticket_list_queryset(user: User | None) -> QuerySet[Ticket]:
    """Visible tickets with what a list row shows, loaded in a fixed number of queries."""
    return visible_tickets(user).select_related("status", "priority", "type").prefetch_related("tags")


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


def ticket_type_list() -> QuerySet[TicketType]:
    return TicketType.objects.filter(is_active=True).order_by("order", "id")


def _named_lookup(model: type[Status] | type[Priority] | type[TicketType], value: int | str | None) -> Any:
    """The active row by id, by Chinese or English name (case-insensitive), or the default for ``None``.

    Every create and status change asks this, so the active rows come from the per-process catalogue
    cache; the caller gets its own copy.
    """
    rows: tuple[Any, ...] = cached(
        ("tickets.active", model.__name__),
        lambda: tuple(model.objects.filter(is_active=True).order_by("order", "id")),
    )
    if value is None or value == "":
        found = next((row for row in rows if row.is_default), None)
    elif isinstance(value, int):
        found = next((row for row in rows if row.pk == value), None)
    else:
        wanted = value.upper()
        found = next((row for row in rows if wanted in (row.name.upper(), row.name_en.upper())), None)
    return copy.copy(found)


def status_lookup(value: int | str | None) -> Status | None:
    """A status by id, or by its Chinese or English name (case-insensitive)."""
    return _named_lookup(Status, value)


def priority_lookup(value: int | str | None) -> Priority | None:
    """A priority by id, or by its Chinese or English name (case-insensitive)."""
    return _named_lookup(Priority, value)


def ticket_type_lookup(value: int | str | None) -> TicketType | None:
    """A ticket type by id, or by its Chinese or English name (case-insensitive); ``None``: the default."""
    return _named_lookup(TicketType, value)


def ticket_page_get(user: User | None, ticket_id: int) -> Ticket | None:
    """A visible ticket with everything its page header, properties panel and contact card show."""
    return (
        visible_tickets(user)
        .select_related(
            "status",
            "priority",
            "type",
            "department",
            "team",
            "assignee",
            "contact",
            "contact__account",
            "account",
        )
        .prefetch_related("tags", "contact__addresses")
        .filter(pk=ticket_id)
        .first()
    )


def conversation_threads(ticket: Ticket) -> QuerySet[Thread]:
    """The ticket's messages in time order, with authors and files, in a fixed number of queries.

    Scheduled replies are not messages yet (the customer's view must not show them): see
    :func:`scheduled_replies`.

    The whole message (``full_html``) is left out: the page only needs to know that there is one, and
    loads it when the agent asks.
    """
    has_full = ExpressionWrapper(~Q(full_html=""), output_field=BooleanField())
    return (
        ticket.threads.filter(scheduled=False)
        .select_related("author_user", "author_contact")
        .defer("full_html", "body_text", "author_user__password")
        .annotate(has_full_message=has_full)
        .prefetch_related(Prefetch("attachments", queryset=Attachment.objects.order_by("id")))
        .order_by("created_at", "id")
    )


def scheduled_replies(ticket: Ticket) -> QuerySet[Thread]:
    """The ticket's replies waiting for their time, the soonest first, with their authors and files."""
    return (
        ticket.threads.filter(scheduled=True)
        .select_related("author_user")
        .defer("full_html", "author_user__password")
        .prefetch_related(Prefetch("attachments", queryset=Attachment.objects.order_by("id")))
        .order_by("send_at", "id")
    )


def conversation_comments(ticket: Ticket) -> QuerySet[Comment]:
    return (
        ticket.comments.select_related("author")
        .defer("body_text", "author__password")
        .prefetch_related("mentions", Prefetch("attachments", queryset=Attachment.objects.order_by("id")))
        .order_by("created_at", "id")
    )


def thread_with_full_message(ticket: Ticket, thread_id: int) -> Thread | None:
    return ticket.threads.filter(pk=thread_id).exclude(full_html="").only("id", "full_html").first()


def ticket_agents(department_id: int, *, q: str = "", limit: int = 50) -> list[User]:
    """Active agents who can see tickets of ``department_id``: who may be mentioned or assigned there.

    Administrators and roles that see every department count too; roles are few, so which of them grant
    that is decided in Python rather than by a JSON query that SQLite cannot run.
    """
    all_departments = [
        role.pk
        for role in Role.objects.only("id", "permissions")
        if permissions.TICKET_VIEW_ALL_DEPARTMENTS in (role.permissions or [])
    ]
    agents = Agent.objects.filter(user__is_active=True).filter(
        Q(departments=department_id) | Q(role_id__in=all_departments) | Q(user__is_superuser=True)
    )
    users = User.objects.filter(pk__in=agents.values("user_id"))
    if q:
        users = users.filter(Q(name__icontains=q) | Q(email__icontains=q))
    return list(users.only("id", "name", "email").order_by("name", "id")[:limit])


def contact_other_tickets(user: User | None, ticket: Ticket, *, limit: int = 5) -> list[Ticket]:
    """The contact's latest other tickets that ``user`` may see, newest first."""
    return list(
        visible_tickets(user)
        .filter(contact_id=ticket.contact_id)
        .exclude(pk=ticket.pk)
        .select_related("status")
        .order_by("-created_at", "-id")[:limit]
    )


def ticket_neighbours(user: User | None, ticket: Ticket) -> tuple[Ticket | None, Ticket | None]:
    """The previous and next ticket among the visible tickets that are not closed, in list order.

    Lists show the newest first, so the "next" ticket is the next older one (a lower number).
    """
    candidates = visible_tickets(user).exclude(status__status_type=StatusType.CLOSED).only("id", "number")
    previous = candidates.filter(number__gt=ticket.number).order_by("number").first()
    following = candidates.filter(number__lt=ticket.number).order_by("-number").first()
    return previous, following


def ticket_attachment_get(user: User | None, ticket_id: int, attachment_id: int) -> Attachment | None:
    return Attachment.objects.filter(
        pk=attachment_id, ticket_id=ticket_id, ticket__in=visible_tickets(user)
    ).first()


def ticket_custom_field_labels() -> dict[str, str]:
    """The display name of each active ticket custom field by key, in the viewer's language."""
    return {
        field.key: field.display_name
        for field in CustomField.objects.filter(module=CustomField.Module.TICKET, is_active=True).only(
            "key", "name", "name_en"
        )
    }


def ticket_changes_since(
    user: User | None, *, after: dt.datetime, after_id: int = 0, limit: int = 100
) -> list[dict[str, Any]]:
    """Visible tickets changed after (``after``, ``after_id``), oldest change first, for live updates.

    "updated_at >= t AND (updated_at > t OR id > pk)" keeps the (updated_at, id) index usable.
    """
    rows = (
        visible_tickets(user)
        .filter(Q(updated_at__gte=after) & (Q(updated_at__gt=after) | Q(pk__gt=after_id)))
        .order_by("updated_at", "pk")
        .values("pk", "number", "created_at", "updated_at")[:limit]
    )
    return [dict(row) for row in rows]


# The settings pages edit whole catalogues, inactive rows included, whereas ``status_list`` and
# ``priority_list`` list only what agents may pick.


def status_catalog() -> QuerySet[Status]:
    return Status.objects.order_by("order", "id")


def priority_catalog() -> QuerySet[Priority]:
    return Priority.objects.order_by("order", "id")


def ticket_type_catalog() -> QuerySet[TicketType]:
    return TicketType.objects.order_by("order", "id")


def status_type_choices() -> list[tuple[str, str]]:
    return list(Status._meta.get_field("status_type").choices or [])


# The tickets on the contact and account pages and the open-ticket count of the contact list, registered
# with ``kefu.contacts.hooks`` in TicketsConfig.ready (contacts never import tickets).


def open_ticket_count(user: User | None, outer: str) -> Coalesce:
    """The number of open tickets of the outer row, counting only tickets ``user`` may see."""
    counts = (
        visible_tickets(user)
        .filter(**{outer: OuterRef("pk")})
        .exclude(status__status_type=StatusType.CLOSED)
        .order_by()
        .values(outer)
        .annotate(total=Count("pk"))
        .values("total")
    )
    return Coalesce(Subquery(counts, output_field=IntegerField()), 0)


def contact_tickets(user: User | None, contact: Contact) -> QuerySet[Ticket]:
    """The contact's tickets that ``user`` may see, with what a row shows."""
    return visible_tickets(user).filter(contact=contact).select_related("status", "priority", "department")


def account_tickets(user: User | None, account: Account) -> QuerySet[Ticket]:
    """The account's tickets that ``user`` may see, with what a row shows."""
    return (
        visible_tickets(user)
        .filter(account=account)
        .select_related("status", "priority", "department", "contact")
    )


# Full-text matching belongs to the search app, which depends on tickets; it registers its matcher here in
# SearchConfig.ready so that the ticket filters never import it.

TextMatcher = Callable[[QuerySet[Ticket], str], QuerySet[Ticket]]
_text_matcher: TextMatcher | None = None


def register_text_search(matcher: TextMatcher) -> None:
    global _text_matcher
    _text_matcher = matcher


def filter_tickets_by_text(queryset: QuerySet[Ticket], query: str) -> QuerySet[Ticket]:
    """The tickets matching ``query`` by full text; by subject alone while no search app registered."""
    if _text_matcher is None:
        return queryset.filter(subject__icontains=query)
    return _text_matcher(queryset, query)


TextRanker = Callable[..., Page[Ticket]]
_text_ranker: TextRanker | None = None


def register_text_ranking(ranker: TextRanker) -> None:
    global _text_ranker
    _text_ranker = ranker


def relevance_page(queryset: QuerySet[Ticket], query: str, *, limit: int, cursor: str | None) -> Page[Ticket]:
    """A page of ``queryset`` most relevant to ``query`` first (``sort=relevance``; the search app ranks)."""
    if _text_ranker is None:
        matching = filter_tickets_by_text(queryset, query)
        return paginate(matching, sort="-created_at", limit=limit, cursor=cursor)
    return _text_ranker(queryset, query, limit=limit, cursor=cursor)


def contact_may_write(contact_id: int, ticket: Ticket) -> bool:
    """Whether a customer may see and write to ``ticket``: it requested it, is in its CC, or shares it
    through its account (when the account allows that)."""
    if ticket.contact_id == contact_id:
        return True
    if ticket.cc_contacts.filter(pk=contact_id).exists():
        return True
    return ticket.account_id is not None and account_shares_tickets(contact_id, ticket.account_id)


# Reads the email channel makes on tickets and their threads (threading, intake, sending).


def thread_visible(user: User | None, thread_id: int) -> Thread | None:
    """A thread, with its ticket, of a ticket ``user`` may see; else None (another department's is a 404)."""
    return (
        Thread.objects.select_related("ticket").filter(pk=thread_id, ticket__in=visible_tickets(user)).first()
    )


def untrashed_threads_with_message_ids(message_ids: Sequence[str]) -> QuerySet[Thread]:
    """Threads whose Message-ID is one of ``message_ids`` (exactly as given), on tickets not in the trash."""
    return Thread.objects.filter(message_id__in=message_ids, ticket__deleted_at__isnull=True)


def threads_with_message_id(message_id: str) -> QuerySet[Thread]:
    """Threads whose Message-ID is exactly ``message_id``, oldest first, on any ticket (trashed too).

    Email intake uses it as a subquery (``.values("id")[:1]``) to tell a duplicate message."""
    return Thread.objects.filter(message_id=message_id).order_by("id")


def thread_with_ticket(thread_id: int) -> Thread:
    """The thread with its ticket; raises ``Thread.DoesNotExist`` when there is none."""
    return Thread.objects.select_related("ticket").get(pk=thread_id)


def outbound_thread_by_message_id(message_id: str) -> Thread | None:
    """The outbound thread (with its ticket) we sent as ``message_id``, stored with or without angle
    brackets; what a delivery-status report names."""
    return (
        Thread.objects.filter(
            message_id__in=[message_id, f"<{message_id}>"], direction=Thread.Direction.OUTBOUND
        )
        .select_related("ticket")
        .first()
    )


def outbound_email_threads(thread_ids: Sequence[int]) -> QuerySet[Thread]:
    """The outbound threads of the email channel among ``thread_ids``, with their tickets."""
    return Thread.objects.select_related("ticket").filter(
        pk__in=thread_ids, direction=Thread.Direction.OUTBOUND, channel=Channel.EMAIL
    )


def threads_before(thread: Thread) -> QuerySet[Thread]:
    """The other threads of ``thread``'s ticket written before it, oldest first (by time, then id)."""
    return (
        Thread.objects.filter(ticket=thread.ticket_id)
        .exclude(pk=thread.pk)
        .filter(Q(created_at__lt=thread.created_at) | Q(created_at=thread.created_at, pk__lt=thread.pk))
        .order_by("created_at", "pk")
    )


def ticket_with_contact(ticket_id: int) -> Ticket | None:
    """A ticket not in the trash, with its contact."""
    return Ticket.objects.select_related("contact").filter(pk=ticket_id, deleted_at__isnull=True).first()


def ticket_by_number(number: int) -> Ticket | None:
    """The ticket numbered ``number`` unless it is in the trash, with its contact and status."""
    return (
        Ticket.objects.filter(number=number, deleted_at__isnull=True)
        .select_related("contact", "status")
        .first()
    )


def ticket_by_display_number(display_number: str) -> Ticket | None:
    """The ticket shown as ``display_number`` (any format it was created under) unless it is in the trash."""
    return (
        Ticket.objects.filter(display_number__iexact=display_number, deleted_at__isnull=True)
        .select_related("contact", "status")
        .first()
    )


def ticket_from_row(columns: Sequence[str], values: Sequence[object]) -> Ticket:
    """A ticket made from columns already read (``values`` in the order of ``columns``), with no query;
    any other column loads on first use, as with ``only()``."""
    return Ticket.from_db(None, list(columns), list(values))


# Parent and child tickets: the family shown on a ticket page and by GET /tickets/{id}/children.


@dataclass(frozen=True)
class FamilyMember:
    """A parent or child as someone sees it who may not see that ticket itself (another department's).

    Its number, status, department, team and assignee are shown to anyone who sees a relative, so that
    the parent's agent can follow the other teams' progress; its subject only to those who may open it.
    """

    id: int
    number: int
    shown_number: str
    subject: str | None
    status: Status
    department: str
    team: str | None
    assignee: str | None
    visible: bool


def _members(user: User | None, tickets: QuerySet[Ticket]) -> list[FamilyMember]:
    rows = list(tickets.select_related("status", "department", "team", "assignee").order_by("number"))
    visible = set(visible_tickets(user).filter(pk__in=[row.pk for row in rows]).values_list("pk", flat=True))
    return [
        FamilyMember(
            id=row.pk,
            number=row.number,
            shown_number=row.shown_number,
            subject=row.subject if row.pk in visible else None,
            status=row.status,
            department=row.department.display_name,
            team=row.team.name if row.team else None,
            assignee=(row.assignee.name or row.assignee.email) if row.assignee else None,
            visible=row.pk in visible,
        )
        for row in rows
    ]


def ticket_children(user: User | None, ticket: Ticket) -> list[FamilyMember]:
    """The children of a ticket ``user`` sees (the caller checked that), trashed and spam ones left out."""
    return _members(user, Ticket.objects.filter(parent_id=ticket.pk, deleted_at__isnull=True, is_spam=False))


def ticket_parent(user: User | None, ticket: Ticket) -> FamilyMember | None:
    if ticket.parent_id is None:
        return None
    found = _members(user, Ticket.objects.filter(pk=ticket.parent_id, deleted_at__isnull=True))
    return found[0] if found else None


def visible_ticket_by_number(user: User | None, number: int) -> Ticket | None:
    """A ticket the agent typed the number of (linking a parent or child)."""
    return visible_tickets(user).filter(number=number).first()


def merge_target_id(ticket: Ticket) -> int:
    """The ticket a merged ticket's conversation lives in now, following merges of merges."""
    target_id = ticket.merged_into_id or ticket.pk
    for _hop in range(10):
        following = Ticket.objects.filter(pk=target_id).values_list("merged_into_id", flat=True).first()
        if following is None:
            break
        target_id = following
    return target_id


def ticket_after_merges(ticket: Ticket) -> Ticket:
    """``ticket``, or the ticket it was merged into (with its contact and status) if it was merged:
    where a reply to a merged ticket's old email thread or ``[#number]`` belongs."""
    if ticket.merged_into_id is None:
        return ticket
    target = (
        Ticket.objects.select_related("contact", "status")
        .filter(pk=merge_target_id(ticket), deleted_at__isnull=True)
        .first()
    )
    return target or ticket
