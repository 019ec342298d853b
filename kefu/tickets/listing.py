"""The console's ticket list: system views, saved views, the column catalogue and the list's URL state.

The list reads the same filters as ``GET /api/v1/tickets`` (``TicketFilters`` through
``ticket_filters_criteria``) and pages with the same keyset pagination, so the console and the API never
disagree about which tickets match. The filter bar and a saved view's conditions are criteria, compiled
by the criteria engine the rules use (``kefu.tickets.criteria``): what a view shows and what a rule
matches cannot disagree. What the console adds on top: the due-date filter, the system views (a saved
view may be based on one), the counts in the sidebar and the unread markers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from kefu.core.errors import ServiceError, ValidationFailed
from kefu.core.pagination import DEFAULT_LIMIT, Page, paginate
from kefu.customfields.selectors import choice_fields, option_looks
from kefu.org import permissions
from kefu.org.models import Agent, Department, Team, User
from kefu.org.selectors import agent_access
from kefu.tickets.criteria import Criteria, all_of, condition, criteria_q, empty_criteria
from kefu.tickets.filters import SORTS, TicketFilters, ticket_filters_criteria
from kefu.tickets.models import Channel, SavedView, Status, StatusType, Ticket, TicketRead
from kefu.tickets.selectors import tickets_with_trash, trashed_tickets, visible_tickets

DEFAULT_SORT = "-created_at"
DEFAULT_VIEW = "mine"
# Counting stops here: a sidebar needs "999+", not the exact size of a 100,000-ticket archive.
COUNT_CAP = 999

TEXT_FILTERS = ("status", "status_type", "priority", "type", "assignee_id", "channel", "tag", "q")
ID_FILTERS = ("department_id", "team_id")
DATE_FILTERS = ("created_after", "created_before", "updated_after", "updated_before")
# "base": the system view a saved view narrows down ("All open" + priority High), kept with its filters.
FILTER_KEYS = (*TEXT_FILTERS, *ID_FILTERS, *DATE_FILTERS, "due", "base")
FILTER_LABELS = {
    "status": gettext_lazy("Status"),
    "status_type": gettext_lazy("Status type"),
    "priority": gettext_lazy("Priority"),
    "type": gettext_lazy("Type"),
    "assignee_id": gettext_lazy("Assignee"),
    "channel": gettext_lazy("Channel"),
    "tag": gettext_lazy("Tag"),
    "q": gettext_lazy("Search"),
    "department_id": gettext_lazy("Department"),
    "team_id": gettext_lazy("Team"),
    "created_after": gettext_lazy("Created from"),
    "created_before": gettext_lazy("Created to"),
    "updated_after": gettext_lazy("Updated from"),
    "updated_before": gettext_lazy("Updated to"),
    "due": gettext_lazy("Due"),
    "base": gettext_lazy("Based on view"),
    "sort": gettext_lazy("Sort"),
    "cursor": gettext_lazy("Page"),
    "view": gettext_lazy("View"),
}
DUE_CHOICES = {"overdue": gettext_lazy("Overdue"), "today": gettext_lazy("Due today")}
_MAX_LENGTH = {"q": 500, "tag": 64, "status": 100, "priority": 100, "type": 100, "assignee_id": 20}


@dataclass(frozen=True)
class Column:
    key: str
    label: Promise | str
    sort: str | None = None
    custom_key: str = ""  # a custom pick list's key: the cell shows its value as a coloured badge


COLUMNS = {
    column.key: column
    for column in (
        Column("number", pgettext_lazy("ticket number", "Number"), "number"),
        Column("subject", gettext_lazy("Subject")),
        Column("contact", gettext_lazy("Contact")),
        Column("status", gettext_lazy("Status")),
        Column("priority", gettext_lazy("Priority")),
        Column("type", gettext_lazy("Type")),
        Column("assignee", gettext_lazy("Assignee")),
        Column("department", gettext_lazy("Department")),
        Column("team", gettext_lazy("Team")),
        Column("tags", gettext_lazy("Tags")),
        Column("channel", gettext_lazy("Channel")),
        Column("due", gettext_lazy("Due")),
        Column("created_at", gettext_lazy("Created"), "created_at"),
        Column("updated_at", gettext_lazy("Updated"), "updated_at"),
    )
}
# Custom pick lists and multi-selects are columns and filters too, named ``cf.<key>``.
CUSTOM_PREFIX = "cf."


def column_catalogue() -> dict[str, Column]:
    """Every column a list can show: the fixed ones, then one per active custom pick list."""
    custom = {
        f"{CUSTOM_PREFIX}{field.key}": Column(
            f"{CUSTOM_PREFIX}{field.key}", field.label, custom_key=field.key
        )
        for field in choice_fields("ticket")
    }
    return {**COLUMNS, **custom}


DEFAULT_COLUMNS = ("number", "subject", "contact", "status", "priority", "assignee", "updated_at")
SORT_LABELS = {
    "-created_at": gettext_lazy("Newest"),
    "created_at": gettext_lazy("Oldest"),
    "-updated_at": gettext_lazy("Recently updated"),
    "updated_at": gettext_lazy("Least recently updated"),
    "-number": gettext_lazy("Number, highest first"),
    "number": gettext_lazy("Number, lowest first"),
}


@dataclass(frozen=True)
class Moment:
    """What the views compare with: the instants ("today" is the agent's own day) and the closed statuses.

    Closed means "a status of type closed"; naming those few ids lets the database use the
    (status, created_at) index rather than join every ticket to its status.
    """

    now: dt.datetime
    today_start: dt.datetime
    today_end: dt.datetime
    closed_status_ids: tuple[int, ...]

    @property
    def closed(self) -> Q:
        if not self.closed_status_ids:
            return Q(status__status_type=StatusType.CLOSED)
        return Q(status_id__in=self.closed_status_ids)


def moment(tz: dt.tzinfo, now: dt.datetime | None = None) -> Moment:
    now = now or timezone.now()
    local = now.astimezone(tz)
    start = local.replace(hour=0, minute=0, second=0, microsecond=0)
    end = (start + dt.timedelta(days=1)).replace(tzinfo=None)
    closed = Status.objects.filter(status_type=StatusType.CLOSED).values_list("pk", flat=True)
    return Moment(
        now=now,
        today_start=start,
        today_end=timezone.make_aware(end, tz),
        closed_status_ids=tuple(sorted(closed)),
    )


SOON = dt.timedelta(hours=1)
"""A due date within this much time counts as due today, also when it falls after midnight."""


def _overdue(when: Moment) -> Q:
    first_response_late = Q(first_response_due_at__lt=when.now, first_responded_at__isnull=True)
    late = Q(resolution_due_at__lt=when.now) | Q(next_response_due_at__lt=when.now) | first_response_late
    return ~when.closed & Q(sla_paused=False) & late


def _due_today(when: Moment) -> Q:
    end = max(when.today_end, when.now + SOON)
    resolution = Q(resolution_due_at__gte=when.today_start, resolution_due_at__lt=end)
    next_response = Q(next_response_due_at__gte=when.today_start, next_response_due_at__lt=end)
    first_response = Q(
        first_response_due_at__gte=when.today_start,
        first_response_due_at__lt=end,
        first_responded_at__isnull=True,
    )
    return ~when.closed & Q(sla_paused=False) & (resolution | next_response | first_response)


def _following(user: User) -> Q:
    followed = Ticket.followers.through.objects.filter(user_id=user.pk).values("ticket_id")
    return Q(pk__in=followed)


@dataclass(frozen=True)
class SystemView:
    key: str
    label: Promise
    condition: Callable[[User, Moment], Q]


_NOT_SPAM = Q(is_spam=False)
SYSTEM_VIEWS = {
    view.key: view
    for view in (
        SystemView("mine", gettext_lazy("My open"), lambda u, m: _NOT_SPAM & Q(assignee=u) & ~m.closed),
        SystemView(
            "unassigned",
            gettext_lazy("Unassigned"),
            lambda u, m: _NOT_SPAM & Q(assignee__isnull=True) & ~m.closed,
        ),
        SystemView("overdue", gettext_lazy("Overdue"), lambda u, m: _NOT_SPAM & _overdue(m)),
        SystemView("due_today", gettext_lazy("Due today"), lambda u, m: _NOT_SPAM & _due_today(m)),
        SystemView("open", gettext_lazy("All open"), lambda u, m: _NOT_SPAM & ~m.closed),
        SystemView("closed", gettext_lazy("Closed"), lambda u, m: _NOT_SPAM & m.closed),
        SystemView("following", gettext_lazy("Following"), lambda u, m: _NOT_SPAM & _following(u)),
        SystemView("spam", gettext_lazy("Spam"), lambda u, m: Q(is_spam=True)),
    )
}


# The trash is a view of its own: not a base for saved views, and the only one of trashed tickets.
TRASH_VIEW = "trash"
TRASH_LABEL = gettext_lazy("Trash")


@dataclass
class ViewEntry:
    key: str
    label: Promise | str
    count: int | None
    saved_id: int | None = None

    @property
    def count_label(self) -> str:
        if self.count is None:
            return ""
        return f"{COUNT_CAP}+" if self.count > COUNT_CAP else str(self.count)


def system_view_counts(user: User, when: Moment) -> dict[str, int]:
    """How many tickets each system view and the trash hold, in one query (conditional aggregation)."""
    live = Q(deleted_at__isnull=True)
    aggregates = {
        key: Count("pk", filter=live & view.condition(user, when)) for key, view in SYSTEM_VIEWS.items()
    }
    aggregates[TRASH_VIEW] = Count("pk", filter=Q(deleted_at__isnull=False))
    return tickets_with_trash(user).aggregate(**aggregates)


def saved_view_list(user: User) -> QuerySet[SavedView]:
    """The agent's own saved views and those shared with every agent."""
    if not agent_access(user).is_agent:
        return SavedView.objects.none()
    return SavedView.objects.filter(Q(owner=user) | Q(is_shared=True)).order_by("name", "id")


def saved_view_get(user: User, view_id: int) -> SavedView | None:
    return saved_view_list(user).filter(pk=view_id).first()


def view_catalogue(
    user: User, when: Moment, saved: list[SavedView], *, counts: bool = True
) -> list[ViewEntry]:
    """The sidebar: system views (with their counts unless ``counts`` is false), then saved views."""
    numbers = system_view_counts(user, when) if counts else {}
    entries = [ViewEntry(key, view.label, numbers.get(key)) for key, view in SYSTEM_VIEWS.items()]
    entries.append(ViewEntry(TRASH_VIEW, TRASH_LABEL, numbers.get(TRASH_VIEW)))
    entries += [ViewEntry(f"saved-{view.pk}", view.name, None, saved_id=view.pk) for view in saved]
    return entries


@dataclass
class ListState:
    """What a list shows, parsed from the URL (and a saved view): filters, sort, columns, page."""

    filters: dict[str, str] = field(default_factory=dict)
    criteria: Criteria = field(default_factory=empty_criteria)
    """A saved view's conditions; the filter bar's narrow them further."""
    sort: str = DEFAULT_SORT
    columns: tuple[str, ...] = DEFAULT_COLUMNS
    cursor: str | None = None
    errors: dict[str, str] = field(default_factory=dict)


def _number(value: str) -> int | None:
    return int(value) if value.isascii() and value.isdigit() and len(value) < 19 else None


def _instant(value: str, tz: dt.tzinfo, *, end_of_day: bool) -> dt.datetime | None:
    """A date (the whole day in the agent's zone: "to" includes that day) or an ISO date-time."""
    try:
        day = parse_date(value)
        moment_ = None if day else parse_datetime(value)
    except ValueError:
        return None
    if day is not None:
        start = dt.datetime.combine(day + dt.timedelta(days=1 if end_of_day else 0), dt.time())
        try:
            return timezone.make_aware(start, tz)
        except OverflowError:
            return None
    if moment_ is None:
        return None
    return moment_ if timezone.is_aware(moment_) else timezone.make_aware(moment_, tz)


def clean_filters(raw: Mapping[str, Any]) -> tuple[dict[str, str], dict[str, str]]:
    """The known, non-empty filter values of ``raw`` as text, and an error per malformed value."""
    values: dict[str, str] = {}
    errors: dict[str, str] = {}
    for key in FILTER_KEYS:
        value = raw.get(key)
        if value is None:
            continue
        if not isinstance(value, str | int) or isinstance(value, bool):
            errors[key] = _("Enter text.")
            continue
        value = str(value).strip()
        if not value:
            continue
        if len(value) > _MAX_LENGTH.get(key, 40):
            errors[key] = _("Enter at most %(limit)d characters.") % {"limit": _MAX_LENGTH.get(key, 40)}
        elif (key in ID_FILTERS and _number(value) is None) or (key == "base" and value not in SYSTEM_VIEWS):
            errors[key] = _("Choose a value from the list.")
        elif key == "due" and value not in DUE_CHOICES:
            errors[key] = _("Choose one of: %(choices)s.") % {"choices": ", ".join(DUE_CHOICES)}
        elif key in DATE_FILTERS and _instant(value, dt.UTC, end_of_day=False) is None:
            errors[key] = _("Enter a date as YYYY-MM-DD.")
        else:
            values[key] = value
    custom = {field.key for field in choice_fields("ticket")}
    for key, value in raw.items():
        if not key.startswith(CUSTOM_PREFIX) or not isinstance(value, str) or not value.strip():
            continue
        if key.removeprefix(CUSTOM_PREFIX) not in custom:
            errors[key] = _("Unknown field.")
        elif len(value) > 100:
            errors[key] = _("Enter at most %(limit)d characters.") % {"limit": 100}
        else:
            values[key] = value.strip()
    return values, errors


def clean_columns(raw: list[str] | tuple[str, ...]) -> tuple[tuple[str, ...], str | None]:
    if not raw:
        return DEFAULT_COLUMNS, None
    catalogue = column_catalogue()
    unknown = [key for key in raw if key not in catalogue]
    if unknown:
        return DEFAULT_COLUMNS, _("Unknown columns: %(names)s.") % {"names": ", ".join(unknown)[:100]}
    return tuple(key for key in catalogue if key in raw), None


def clean_sort(raw: str | None) -> tuple[str, str | None]:
    if not raw:
        return DEFAULT_SORT, None
    if raw not in SORTS:
        return DEFAULT_SORT, _("Choose one of: %(choices)s.") % {"choices": ", ".join(SORTS)}
    return raw, None


def list_state(params: Mapping[str, Any], *, saved: SavedView | None = None) -> ListState:
    """The list's state from URL parameters, on top of a saved view's conditions, columns and sort."""
    base = {key: value for key, value in (("base", saved.base), ("due", saved.due)) if value} if saved else {}
    url_filters = {
        key: params.get(key) for key in params if key in FILTER_KEYS or key.startswith(CUSTOM_PREFIX)
    }
    filters, errors = clean_filters({**base, **url_filters})
    sort, sort_error = clean_sort(params.get("sort") or (saved.sort if saved else None))
    if sort_error:
        errors["sort"] = sort_error
    columns, _column_error = clean_columns(list(saved.columns) if saved else [])
    cursor = params.get("cursor") or None
    criteria = saved.criteria if saved and saved.criteria else empty_criteria()
    return ListState(
        filters=filters, criteria=criteria, sort=sort, columns=columns, cursor=cursor, errors=errors
    )


def filters_criteria(filters: Mapping[str, str]) -> Criteria:
    """The criteria the filter bar's ``filters`` (cleaned by ``clean_filters``) stand for.

    ``assignee_id=me`` stays ``"me"`` and dates stay dates (whole days in the viewer's time zone), so
    a view saved from the filter bar means for each agent what the filter bar meant. ``base`` and
    ``due`` are not conditions on a ticket's fields and stay list parameters. ``ValidationFailed``
    names each bad filter (an unknown status …).
    """
    api_filters = TicketFilters(
        **{key: filters[key] for key in TEXT_FILTERS if key in filters},
        department_id=_number(filters["department_id"]) if "department_id" in filters else None,
        custom_field=[
            f"{key.removeprefix(CUSTOM_PREFIX)}:{value}"
            for key, value in filters.items()
            if key.startswith(CUSTOM_PREFIX)
        ],
    )
    extra = []
    if "team_id" in filters:
        extra.append(condition("team_id", "is", _number(filters["team_id"])))
    for key in DATE_FILTERS:
        if key not in filters:
            continue
        value = filters[key]
        field_name = "created_at" if key.startswith("created") else "updated_at"
        parsed_day = parse_date(value)
        day = parsed_day is not None
        moment_ = parsed_day or parse_datetime(value)
        if moment_ is None:
            continue  # clean_filters refused it already
        value = moment_.isoformat()
        if key.endswith("after"):
            extra.append(condition(field_name, "on_or_after", value))
        else:  # "to" a date includes that day; "before" an instant excludes it
            extra.append(condition(field_name, "on_or_before" if day else "lt", value))
    return all_of(ticket_filters_criteria(api_filters), *extra)


def filter_tickets(
    queryset: QuerySet[Ticket],
    filters: Mapping[str, str],
    *,
    user: User,
    tz: dt.tzinfo,
    when: Moment,
    criteria: Criteria | None = None,
) -> QuerySet[Ticket]:
    """``filters`` (cleaned by ``clean_filters``) and a saved view's ``criteria``, compiled by the criteria
    engine in the viewer's time zone, plus the due filter."""
    combined = all_of(criteria or empty_criteria(), filters_criteria(filters))
    if combined["all"]:
        with timezone.override(tz):
            try:
                match = criteria_q(combined, user_id=user.pk, now=when.now)
            except ValueError as exc:  # a field the view names is gone (a deleted custom field)
                raise ValidationFailed(
                    _("The view's conditions name a field that no longer exists."),
                    fields={"criteria": str(exc)},
                ) from exc
        queryset = queryset.filter(match)
    if filters.get("due") == "overdue":
        queryset = queryset.filter(_overdue(when))
    elif filters.get("due") == "today":
        queryset = queryset.filter(_due_today(when))
    return queryset


def validate_filters(raw: Mapping[str, Any], *, user: User) -> dict[str, str]:
    """Cleaned filters, or ``ValidationFailed`` naming each bad one (unknown status, malformed date…)."""
    filters, errors = clean_filters(raw)
    unknown = sorted(key for key in set(raw) - set(FILTER_KEYS) if not key.startswith(CUSTOM_PREFIX))
    if unknown:
        errors["__all__"] = _("Unknown filters: %(names)s.") % {"names": ", ".join(unknown)[:100]}
    if not errors:
        try:
            filters_criteria(filters)
        except ValidationFailed as exc:
            errors.update(exc.fields)
    if errors:
        raise ValidationFailed(_("The filters are not valid."), fields=errors)
    return filters


def saved_view_tickets(
    queryset: QuerySet[Ticket], view: SavedView, *, user: User, tz: dt.tzinfo, when: Moment
) -> QuerySet[Ticket]:
    """``queryset`` narrowed to what ``view`` shows: its base system view (else no spam), its due filter
    and its conditions, exactly as the console's list applies them."""
    base = SYSTEM_VIEWS.get(view.base)
    queryset = queryset.filter(base.condition(user, when)) if base else queryset.filter(is_spam=False)
    filters = {"due": view.due} if view.due else {}
    return filter_tickets(queryset, filters, user=user, tz=tz, when=when, criteria=view.criteria)


def row_queryset(user: User, columns: tuple[str, ...], *, trashed: bool = False) -> QuerySet[Ticket]:
    """Visible (or, for the trash, trashed) tickets with everything a row shows joined, and when the
    agent last saw each one."""
    seen = TicketRead.objects.filter(user_id=user.pk, ticket_id=OuterRef("pk")).values("seen_at")[:1]
    queryset = (
        (trashed_tickets(user) if trashed else visible_tickets(user))
        .select_related("status", "priority", "type", "contact", "assignee", "department", "team")
        .annotate(seen_at=Subquery(seen))
    )
    return queryset.prefetch_related("tags") if "tags" in columns else queryset


@dataclass
class ListResult:
    page: Page[Ticket] | None
    errors: dict[str, str]


def ticket_list_page(
    user: User,
    *,
    view_key: str | None,
    state: ListState,
    tz: dt.tzinfo,
    when: Moment,
    limit: int = DEFAULT_LIMIT,
) -> ListResult:
    """One page of a view: a system view's condition (if any) and the state's filters, sort and cursor."""
    if state.errors:
        return ListResult(page=None, errors=state.errors)
    trash = view_key == TRASH_VIEW
    queryset = row_queryset(user, state.columns, trashed=trash)
    view_key = view_key if view_key in SYSTEM_VIEWS or trash else state.filters.get("base")
    if trash:
        pass  # every trashed ticket, spam or not
    elif view_key in SYSTEM_VIEWS:
        queryset = queryset.filter(SYSTEM_VIEWS[view_key].condition(user, when))
    else:
        queryset = queryset.filter(is_spam=False)
    try:
        queryset = filter_tickets(
            queryset, state.filters, user=user, tz=tz, when=when, criteria=state.criteria
        )
        page = paginate(queryset, sort=state.sort, limit=limit, cursor=state.cursor)
    except ServiceError as exc:
        return ListResult(page=None, errors=exc.fields or {"__all__": exc.message})
    return ListResult(page=page, errors={})


def filter_choices(user: User) -> dict[str, Any]:
    """What the filter bar and the bulk bar offer: the departments, teams and agents the agent can see."""
    access = agent_access(user)
    departments = Department.objects.filter(is_active=True).order_by("name", "id")
    agents = Agent.objects.filter(user__is_active=True).select_related("user").order_by("user__name", "pk")
    if not access.sees_all_departments:
        departments = departments.filter(pk__in=access.department_ids)
        agents = agents.filter(departments__in=access.department_ids).distinct()
    teams = Team.objects.filter(department__in=departments).order_by("name", "id")
    agents = list(agents.select_related("role").prefetch_related("departments"))
    return {
        "departments": list(departments),
        "teams": list(teams),
        "agents": [agent.user for agent in agents],
        # Which tickets each agent may be assigned: the bulk bar offers only agents valid for every
        # selected ticket ("all", or their department ids separated by spaces).
        "bulk_agents": [(agent.user, _assignable_in(agent)) for agent in agents],
        "channels": Channel.choices,
        "due_choices": DUE_CHOICES.items(),
    }


def _assignable_in(agent: Agent) -> str:
    if agent.user.is_superuser or permissions.TICKET_VIEW_ALL_DEPARTMENTS in (agent.role.permissions or []):
        return "all"
    return " ".join(str(department.pk) for department in agent.departments.all())


def custom_filter_fields(user: User, filters: Mapping[str, str]) -> list[dict[str, Any]]:
    """The filter bar's custom pick lists: each value of the agent's departments with its label and
    colour, and the one chosen."""
    looks = option_looks("ticket")
    access = agent_access(user)
    department_ids = None if access.sees_all_departments else access.department_ids
    rows = []
    for choice_field in choice_fields("ticket"):
        param = f"{CUSTOM_PREFIX}{choice_field.key}"
        values = []
        for value in choice_field.values:
            if not choice_field.offered_in(value, department_ids) and filters.get(param) != value:
                continue
            look = looks.get((choice_field.key, value))
            values.append(
                {
                    "value": value,
                    "label": look.label if look else value,
                    "colour": look.colour if look else "",
                    "retired": bool(look and look.retired),
                }
            )
        rows.append(
            {
                "param": param,
                "key": choice_field.key,
                "label": choice_field.label,
                "values": values,
                "chosen": filters.get(param, ""),
            }
        )
    return rows
