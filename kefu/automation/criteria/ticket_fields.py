"""The built-in fields: the ticket's own, its conversation, times, and its contact's and account's."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, Subquery, TextField, Value
from django.db.models.functions import Coalesce
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kefu.automation.criteria import kinds
from kefu.automation.criteria.fields import (
    Choices,
    Facts,
    Field,
    by_id_or,
    code_resolver,
    pk_of,
    register_field,
)
from kefu.automation.criteria.kinds import Kind, SetTarget, Target
from kefu.contacts.models import Account, Contact
from kefu.org.models import Brand, Department, Team, User
from kefu.tickets.filters import number_match
from kefu.tickets.models import Channel, Priority, Status, StatusType, Thread, Ticket, TicketType
from kefu.tickets.selectors import (
    filter_tickets_by_text,
    priority_lookup,
    status_lookup,
    ticket_type_lookup,
)


def _statuses() -> Choices:
    return [(status.pk, status.display_name) for status in Status.objects.filter(is_active=True)]


def _priorities() -> Choices:
    return [(priority.pk, priority.display_name) for priority in Priority.objects.filter(is_active=True)]


def _departments() -> Choices:
    return [(dept.pk, dept.display_name) for dept in Department.objects.filter(is_active=True)]


def _teams() -> Choices:
    teams = Team.objects.select_related("department").order_by("department__name", "name")
    return [(team.pk, f"{team.name} · {team.department.display_name}") for team in teams]


def _agents() -> Choices:
    users = User.objects.filter(is_active=True, agent__isnull=False).order_by("name", "email")
    return [(user.pk, user.name or user.email) for user in users]


def _brands() -> Choices:
    return [(brand.pk, brand.name) for brand in Brand.objects.order_by("name")]


def _channels() -> Choices:
    return [(value, str(label)) for value, label in Channel.choices]


def _status_types() -> Choices:
    return [(value, str(label)) for value, label in StatusType.choices]


def _digits(value: Any) -> Any:
    """An id given as text ("3", as a form or a URL sends it) is the id, not a name."""
    return int(value) if isinstance(value, str) and value.isascii() and value.isdigit() else value


def _ticket_types() -> Choices:
    return [(kind.pk, kind.display_name) for kind in TicketType.objects.filter(is_active=True)]


def search_q(text: str) -> Q:
    """The list's search box: the ticket's number, or its words through the search app's backends."""
    found = Q(pk__in=filter_tickets_by_text(Ticket.objects.all(), text).values("pk"))
    numbered = number_match(text)
    return numbered | found if numbered is not None else found


class SearchKind(Kind):
    """Full-text search (subject, tags, conversation; Chinese segmented) or a ticket number.

    The database decides both ways: the predicate asks it about the one ticket, with the same query
    the list runs, so a rule and a view cannot read the words differently.
    """

    name = "search"
    operators = ("contains",)

    def clean(self, raw: Any, field: Any) -> Any:
        return kinds.TEXT.clean(raw, field)

    def test(self, op: str, actual: Any, value: Any, now: Any) -> bool:
        return Ticket.objects.filter(pk=actual).filter(search_q(value)).exists()

    def q(self, op: str, target: Any, value: Any, now: Any) -> Q:
        return search_q(value)


SEARCH = SearchKind()


def _languages() -> Choices:
    return [("zh-hans", "简体中文"), ("en", "English")]


def _tag_set(through: Any, owner: str, outer: str) -> SetTarget:
    def has(names: list[str]) -> Q:
        match = Q(pk__in=[])
        for name in names:
            match |= Q(tag__name__iexact=name)
        return Q(Exists(through.objects.filter(match, **{owner: OuterRef(outer)})))

    def has_any() -> Q:
        return Q(Exists(through.objects.filter(**{owner: OuterRef(outer)})))

    return SetTarget(has=has, has_any=has_any)


def _latest_thread(value: str, **filters: Any) -> Subquery:
    return Subquery(
        Thread.objects.filter(ticket_id=OuterRef("pk"), scheduled=False, **filters)
        .order_by("-created_at", "-id")
        .values(value)[:1]
    )


def _thread_count() -> Any:
    counted = (
        Thread.objects.filter(ticket_id=OuterRef("pk"), scheduled=False)
        .order_by()
        .values("ticket_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted), Value(0))


def _ticket(
    key: str, label: Promise, kind: Kind, read: Callable[[Facts], Any], path: str, **extra: Any
) -> None:
    register_field(
        Field(key=key, label=label, kind=kind, group="ticket", read=read, target=Target(path=path), **extra)
    )


def register_builtins() -> None:
    t = lambda attribute: lambda facts: getattr(facts.ticket, attribute)  # noqa: E731
    _ticket(
        "subject",
        _("Subject"),
        kinds.TEXT,
        t("subject"),
        "subject",
        change_key="subject",
        from_change=lambda v: v,
    )
    _ticket("description", _("Description"), kinds.LONG_TEXT, t("description"), "description")
    register_field(
        Field(
            key="last_message",
            label=_("Last message"),
            kind=kinds.LONG_TEXT,
            group="conversation",
            read=lambda facts: facts.last_message(),
            target=Target(
                expression=lambda: Coalesce(_latest_thread("body_text"), Value(""), output_field=TextField())
            ),
        )
    )
    _ticket("search", _("Search text or number"), SEARCH, t("pk"), "pk")
    _ticket(
        "status",
        _("Status"),
        kinds.REFERENCE,
        t("status_id"),
        "status_id",
        choices=_statuses,
        resolve=lambda v: pk_of(status_lookup(_digits(v))),
        change_key="status",
    )
    _ticket(
        "status_type",
        _("Status type"),
        kinds.CODE,
        lambda facts: facts.ticket.status.status_type,
        "status__status_type",
        choices=_status_types,
        resolve=code_resolver(_status_types),
        change_key="status",
        from_change=lambda v: v.get("type") if isinstance(v, dict) else v,
        operators=("is", "is_not", "in", "not_in"),
    )
    _ticket(
        "priority",
        _("Priority"),
        kinds.REFERENCE,
        t("priority_id"),
        "priority_id",
        choices=_priorities,
        resolve=lambda v: pk_of(priority_lookup(_digits(v))),
        change_key="priority",
    )
    _ticket(
        "type",
        _("Type"),
        kinds.REFERENCE,
        t("type_id"),
        "type_id",
        choices=_ticket_types,
        resolve=lambda v: pk_of(ticket_type_lookup(_digits(v))) if v is not None else None,
    )
    _ticket(
        "department_id",
        _("Department"),
        kinds.REFERENCE,
        t("department_id"),
        "department_id",
        choices=_departments,
        change_key="department",
        resolve=lambda v: by_id_or(Department, v, "name", "name_en", "code"),
    )
    _ticket(
        "team_id",
        _("Team"),
        kinds.REFERENCE,
        t("team_id"),
        "team_id",
        choices=_teams,
        change_key="team",
        resolve=lambda v: by_id_or(Team, v, "name"),
    )
    _ticket(
        "assignee_id",
        _("Assignee"),
        kinds.REFERENCE,
        t("assignee_id"),
        "assignee_id",
        choices=_agents,
        change_key="assignee",
        resolve=lambda v: by_id_or(User, v, "email", "name", agent__isnull=False),
    )
    _ticket(
        "brand_id",
        _("Brand"),
        kinds.REFERENCE,
        t("brand_id"),
        "brand_id",
        choices=_brands,
        change_key="brand",
        resolve=lambda v: by_id_or(Brand, v, "name", "slug"),
    )
    _ticket(
        "contact_id",
        _("Contact"),
        kinds.REFERENCE,
        t("contact_id"),
        "contact_id",
        change_key="contact",
        resolve=lambda v: by_id_or(Contact, v, "email"),
        operators=("is", "is_not", "in", "not_in"),
    )
    _ticket(
        "account_id",
        _("Account"),
        kinds.REFERENCE,
        t("account_id"),
        "account_id",
        change_key="account",
        resolve=lambda v: by_id_or(Account, v, "name"),
    )
    _ticket(
        "channel",
        _("Channel"),
        kinds.CODE,
        t("channel"),
        "channel",
        choices=_channels,
        resolve=code_resolver(_channels),
        change_key="channel",
        from_change=lambda v: v,
        operators=("is", "is_not", "in", "not_in"),
    )
    _ticket(
        "language",
        _("Language"),
        kinds.CODE,
        t("language"),
        "language",
        choices=_languages,
        resolve=code_resolver(_languages),
        change_key="language",
        from_change=lambda v: v,
    )
    for key, label in (
        ("category", _("Category")),
        ("sub_category", _("Sub-category")),
        ("product", _("Product")),
    ):
        _ticket(key, label, kinds.TEXT, t(key), key, change_key=key, from_change=lambda v: v)
    register_field(
        Field(
            key="tags",
            label=_("Tags"),
            kind=kinds.SET,
            group="ticket",
            read=lambda facts: facts.tags(),
            target=_tag_set(Ticket.tags.through, "ticket_id", "pk"),
            change_key="tags",
            from_change=lambda v: v,
        )
    )
    register_field(
        Field(
            key="thread_count",
            label=_("Number of messages"),
            kind=kinds.NUMBER,
            group="conversation",
            read=lambda facts: facts.threads()["count"],
            target=Target(expression=_thread_count),
            operators=("is", "is_not", "gt", "lt", "between"),
        )
    )
    hours = (
        ("hours_since_created", _("Hours since created"), t("created_at"), Target(path="created_at")),
        ("hours_since_updated", _("Hours since updated"), t("updated_at"), Target(path="updated_at")),
        ("hours_since_closed", _("Hours since closed"), t("closed_at"), Target(path="closed_at")),
        (
            "hours_since_customer_message",
            _("Hours since the customer's last message"),
            lambda facts: facts.threads()["last_in"],
            Target(expression=lambda: _latest_thread("created_at", direction=Thread.Direction.INBOUND)),
        ),
        (
            "hours_since_agent_reply",
            _("Hours since the last reply to the customer"),
            lambda facts: facts.threads()["last_out"],
            Target(expression=lambda: _latest_thread("created_at", direction=Thread.Direction.OUTBOUND)),
        ),
        (
            "hours_past_first_response_due",
            _("Hours past first response due"),
            t("first_response_due_at"),
            Target(path="first_response_due_at"),
        ),
        (
            "hours_past_resolution_due",
            _("Hours past resolution due"),
            t("resolution_due_at"),
            Target(path="resolution_due_at"),
        ),
    )
    for key, label, read, target in hours:
        register_field(Field(key=key, label=label, kind=kinds.HOURS, group="time", read=read, target=target))
    for key, label in (("created_at", _("Created")), ("updated_at", _("Updated"))):
        register_field(
            Field(
                key=key,
                label=label,
                kind=kinds.DATETIME,
                group="time",
                read=t(key),
                target=Target(path=key),
                operators=("on_or_after", "on_or_before", "gt", "lt", "between"),
            )
        )

    def contact(attribute: str) -> Callable[[Facts], Any]:
        return lambda facts: getattr(facts.ticket.contact, attribute)

    def account(attribute: str) -> Callable[[Facts], Any]:
        return lambda facts: getattr(facts.ticket.account, attribute) if facts.ticket.account else None

    for key, label in (
        ("name", _("Contact name")),
        ("email", _("Contact email")),
        ("phone", _("Contact phone")),
        ("mobile", _("Contact mobile")),
    ):
        register_field(
            Field(
                key=f"contact.{key}",
                label=label,
                kind=kinds.TEXT,
                group="contact",
                read=contact(key),
                target=Target(path=f"contact__{key}"),
            )
        )
    register_field(
        Field(
            key="contact.language",
            label=_("Contact language"),
            kind=kinds.CODE,
            group="contact",
            read=contact("language"),
            target=Target(path="contact__language"),
            choices=_languages,
            resolve=code_resolver(_languages),
        )
    )
    register_field(
        Field(
            key="contact.tags",
            label=_("Contact tags"),
            kind=kinds.SET,
            group="contact",
            read=lambda facts: facts.contact_tags(),
            target=_tag_set(Contact.tags.through, "contact_id", "contact_id"),
        )
    )
    for key, label in (
        ("name", _("Account name")),
        ("industry", _("Account industry")),
        ("website", _("Account website")),
        ("phone", _("Account phone")),
    ):
        register_field(
            Field(
                key=f"account.{key}",
                label=label,
                kind=kinds.TEXT,
                group="account",
                read=account(key),
                target=Target(path=f"account__{key}"),
            )
        )


register_builtins()
