"""What every contacts page shares: the manage-contacts check, cursor paging and id checks."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from kefu.contacts.forms import SearchForm
from kefu.core.htmx import is_partial
from kefu.core.ids import is_storable_id
from kefu.core.pagination import BadCursor, Page, paginate
from kefu.org import permissions
from kefu.org.selectors import agent_access, helpdesk_settings


def can_manage(request: HttpRequest) -> bool:
    return agent_access(request.user).can(permissions.CONTACT_MANAGE)


def require_manage(request: HttpRequest) -> None:
    """Light agents may read contacts but not change them; the services check again."""
    if not can_manage(request):
        raise PermissionDenied


PAGE_SIZE = 25
MAX_CURSOR = 500


def page_of(queryset: QuerySet[Any], *, sort: str, cursor: str | None) -> tuple[Page[Model], str]:
    """A page of ``queryset``; a stale or forged cursor gives the first page and a message, not a 400."""
    if not cursor:
        return paginate(queryset, sort=sort, limit=PAGE_SIZE, cursor=None), ""
    try:
        if len(cursor) > MAX_CURSOR:
            raise BadCursor(_("The cursor is not valid for this list."))
        return paginate(queryset, sort=sort, limit=PAGE_SIZE, cursor=cursor), ""
    except BadCursor as exc:
        return paginate(queryset, sort=sort, limit=PAGE_SIZE, cursor=None), exc.message


def render_search_list(
    request: HttpRequest, queryset_for: Callable[[str], QuerySet[Any]], *, template: str, partial: str
) -> HttpResponse:
    """A searchable list page (contacts, accounts), or only its table for HTMX: the search box and the
    paging links swap the table in place."""
    form = SearchForm(request.GET)
    q = form.query()
    cursor = form.cleaned_data.get("cursor") if form.is_valid() else None
    page, cursor_error = page_of(queryset_for(q), sort="-created_at", cursor=cursor)
    context = {
        "form": form,
        "q": q,
        "page": page,
        "cursor_error": cursor_error,
        "can_manage": can_manage(request),
    }
    return render(request, partial if is_partial(request) else template, context)


def check_id(value: int) -> int:
    """Ids in URLs beyond what the database holds are simply unknown (SQLite would overflow)."""
    if not is_storable_id(value):
        raise Http404
    return value


def number_prefix() -> str:
    return helpdesk_settings().ticket_number_prefix
