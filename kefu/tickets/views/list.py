"""The ticket list: system and saved views, the filter bar, sorting, cursor paging and the view counts.

One view serves the whole page and, for HTMX requests that change a filter, the sort or the page, only
the results partial. The URL carries the whole state, so a list can be shared and the back button works.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from kefu.core.htmx import is_partial
from kefu.core.ids import parse_id
from kefu.org import permissions
from kefu.org.decorators import agent_required
from kefu.org.selectors import Access, agent_access, helpdesk_settings
from kefu.tickets.criteria import describe_criteria
from kefu.tickets.listing import (
    COLUMNS,
    DEFAULT_VIEW,
    FILTER_LABELS,
    SORT_LABELS,
    SYSTEM_VIEWS,
    TRASH_LABEL,
    TRASH_VIEW,
    ListState,
    Moment,
    column_catalogue,
    custom_filter_fields,
    filter_choices,
    list_state,
    moment,
    saved_view_get,
    saved_view_list,
    ticket_list_page,
    view_catalogue,
)
from kefu.tickets.models import SavedView
from kefu.tickets.selectors import priority_list, status_list, ticket_type_list
from kefu.tickets.services import TRASH_RETENTION
from kefu.tickets.services.bulk import BULK_ACTIONS

RESULTS_TARGET = "ticket-list-results"
_BAR_FILTERS = frozenset({"q", "status", "priority", "assignee_id", "base"})


def _query(params: QueryDict, **changes: str | None) -> str:
    """``params`` with ``changes`` applied (``None`` removes a key), as a query string with its "?"."""
    query = params.copy()
    for key, value in changes.items():
        if value is None:
            query.pop(key, None)
        else:
            query[key] = value
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"


def _sort_links(params: QueryDict, state: ListState) -> dict[str, dict[str, Any]]:
    """Per sortable column: the URL that sorts by it (descending first, then toggling) and its state."""
    links = {}
    for column in COLUMNS.values():
        if column.sort is None:
            continue
        active = state.sort.lstrip("-") == column.sort
        descending = state.sort.startswith("-")
        target = column.sort if active and descending else f"-{column.sort}"
        direction = ("descending" if descending else "ascending") if active else "none"
        links[column.key] = {"url": _query(params, sort=target, cursor=None), "aria_sort": direction}
    return links


def _selected_view(request: HttpRequest) -> tuple[str | None, Any, dict[str, str]]:
    """The system view key or saved view the URL names; an unknown view is an error on the default one."""
    saved_param = request.GET.get("saved", "")
    if saved_param:
        saved_id = parse_id(saved_param)
        saved = saved_view_get(request.user, saved_id) if saved_id else None
        if saved is None:
            raise Http404
        return None, saved, {}
    key = request.GET.get("view") or DEFAULT_VIEW
    if key not in SYSTEM_VIEWS and key != TRASH_VIEW:
        return DEFAULT_VIEW, None, {"view": _("Unknown view. Showing “My open”.")}
    return key, None, {}


@agent_required()
@require_GET
def ticket_list(request: HttpRequest) -> HttpResponse:
    access = agent_access(request.user)
    view_key, saved, view_errors = _selected_view(request)
    # The time-zone middleware has activated the agent's own zone: "today" and dates are theirs.
    tz = timezone.get_current_timezone()
    when = moment(tz)
    state = list_state(request.GET, saved=saved)
    result = ticket_list_page(request.user, view_key=view_key, state=state, tz=tz, when=when)
    params = request.GET.copy()
    page = result.page
    sort_links = _sort_links(params, state)
    catalogue = column_catalogue()
    errors = {**view_errors, **result.errors}
    context: dict[str, Any] = {
        "view_key": view_key,
        "saved": saved,
        "state": state,
        "page": page,
        "errors": errors,
        "columns": [catalogue[key] for key in state.columns],
        "headers": [(catalogue[key], sort_links.get(key)) for key in state.columns],
        "error_list": [(FILTER_LABELS.get(key, ""), message) for key, message in errors.items()],
        "next_url": _query(params, cursor=page.next_cursor) if page and page.next_cursor else None,
        "first_url": _query(params, cursor=None) if state.cursor else None,
        "prefix": helpdesk_settings().ticket_number_prefix,
        "now": when.now,
        "results_target": RESULTS_TARGET,
        "in_trash": view_key == TRASH_VIEW,
        "retention_days": TRASH_RETENTION.days,
    }
    if is_partial(request) and request.htmx.target == RESULTS_TARGET:
        response = render(request, "tickets/partials/list_results.html", context)
    else:
        context.update(_page_context(request, view_key, saved, state, when, params, access))
        response = render(request, "tickets/list.html", context)
    patch_vary_headers(response, ("HX-Request", "HX-Target"))
    return response


def _sidebar_context(
    request: HttpRequest, view_key: str | None, saved: SavedView | None, when: Moment, *, counts: bool
) -> dict[str, Any]:
    catalogue = view_catalogue(request.user, when, list(saved_view_list(request.user)), counts=counts)
    query = QueryDict(mutable=True)
    if saved is not None:
        query["saved"] = str(saved.pk)
    elif view_key:
        query["view"] = view_key
    return {
        "view_key": view_key,
        "saved": saved,
        "counts_loaded": counts,
        "sidebar_query": query.urlencode(),
        "system_entries": [entry for entry in catalogue if entry.saved_id is None],
        "saved_entries": [entry for entry in catalogue if entry.saved_id is not None],
    }


@agent_required()
@require_GET
def ticket_view_counts(request: HttpRequest) -> HttpResponse:
    """The sidebar with its counts, loaded after the page so the list itself never waits for them."""
    view_key, saved, _errors = _selected_view(request)
    when = moment(timezone.get_current_timezone())
    context = _sidebar_context(request, view_key, saved, when, counts=True)
    return render(request, "tickets/partials/list_sidebar.html", context)


def _page_context(
    request: HttpRequest,
    view_key: str | None,
    saved: SavedView | None,
    state: ListState,
    when: Moment,
    params: QueryDict,
    access: Access,
) -> dict[str, Any]:
    if saved:
        current = saved.name
    elif view_key == TRASH_VIEW:
        current = TRASH_LABEL
    else:
        current = SYSTEM_VIEWS[view_key or DEFAULT_VIEW].label
    filter_params = dict(state.filters)
    save_query = QueryDict(mutable=True)
    save_query.update(filter_params)
    save_query["sort"] = state.sort
    if view_key and not saved:
        save_query["view"] = view_key
    if saved is not None:
        save_query["saved"] = str(saved.pk)  # a view saved from a view starts from its conditions
    return {
        **_sidebar_context(request, view_key, saved, when, counts=False),
        "title": current,
        "filters": filter_params,
        "statuses": list(status_list()),
        "priorities": list(priority_list()),
        "ticket_types": list(ticket_type_list()),
        "sort_choices": SORT_LABELS.items(),
        "sort": state.sort,
        "bulk_actions": BULK_ACTIONS,
        "can_assign": access.can(permissions.TICKET_ASSIGN),
        "can_edit": access.can(permissions.TICKET_EDIT),
        "can_delete": access.can(permissions.TICKET_DELETE),
        "can_edit_saved": saved is not None
        and (saved.owner_id == request.user.pk or access.can(permissions.SETTINGS_MANAGE)),
        "save_query": save_query.urlencode(),
        # A saved view's conditions, in words (the filter bar narrows them further).
        "saved_conditions": describe_criteria(saved.criteria) if saved is not None else "",
        "has_filters": bool(filter_params),
        # The folded part of the filter bar opens by itself when one of its filters is in use.
        "has_more_filters": any(key not in _BAR_FILTERS for key in filter_params),
        "custom_filters": custom_filter_fields(request.user, filter_params),
        **filter_choices(request.user),
    }
