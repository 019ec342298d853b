"""``/api/v1/saved-views``: an agent's ticket views, their conditions as criteria, and the tickets they show.

A view's ``criteria`` are the criteria engine's JSON, the same definitions workflow and time rules take;
a bad condition is a 422 naming its path (``fields: {"criteria.all[0].value": "…"}``).
``GET /saved-views/{id}/tickets`` lists what the console shows for the view (same filter code).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from kefu.core.actors import Actor, Source
from kefu.core.api_types import ERRORS, Id, InputSchema, text
from kefu.core.pagination import paginate
from kefu.org.selectors import helpdesk_settings
from kefu.tickets import services
from kefu.tickets.api import ticket_out
from kefu.tickets.listing import moment, saved_view_get, saved_view_list, saved_view_tickets
from kefu.tickets.models import SavedView
from kefu.tickets.schemas import TicketListOut
from kefu.tickets.selectors import ticket_list_queryset

router = Router(tags=["saved views"])

_CRITERIA = Field(
    None,
    description='Criteria JSON as rules take it: `{"all": [{"field": "priority", "op": "is", "value": "高"}, '
    '{"any": [...]}]}`; the assignee value `me` is the agent looking at the list. Empty: every ticket.',
    examples=[{"all": [{"field": "status_type", "op": "is", "value": "open"}]}],
)


class SavedViewOut(Schema):
    id: int
    name: str
    criteria: dict[str, Any]
    base: str = Field(description="The system view it narrows (`open`, `mine` …), or empty.")
    due: str = Field(description="`overdue`, `today`, or empty.")
    columns: list[str]
    sort: str
    is_shared: bool
    owner_id: int
    created_at: dt.datetime


class SavedViewListOut(Schema):
    items: list[SavedViewOut]
    next_cursor: str | None


class SavedViewIn(InputSchema):
    name: text(100)  # type: ignore[valid-type]
    criteria: dict[str, Any] | None = _CRITERIA
    base: text(20) = ""  # type: ignore[valid-type]
    due: text(10) = ""  # type: ignore[valid-type]
    columns: list[text(40)] = Field(default_factory=list, max_length=40)  # type: ignore[valid-type]
    sort: text(32) = ""  # type: ignore[valid-type]
    is_shared: bool = False


class SavedViewPatchIn(InputSchema):
    name: text(100) | None = None  # type: ignore[valid-type]
    criteria: dict[str, Any] | None = _CRITERIA
    base: text(20) | None = None  # type: ignore[valid-type]
    due: text(10) | None = None  # type: ignore[valid-type]
    columns: list[text(40)] | None = Field(None, max_length=40)  # type: ignore[valid-type]
    sort: text(32) | None = None  # type: ignore[valid-type]
    is_shared: bool | None = None


class ViewTicketsIn(Schema):
    sort: Literal["-created_at", "created_at", "-updated_at", "updated_at", "-number", "number"] | None = None
    limit: int = Field(25, ge=1, le=100)
    cursor: text(500) | None = None  # type: ignore[valid-type]


def view_out(view: SavedView) -> dict[str, Any]:
    return {
        "id": view.pk,
        "name": view.name,
        "criteria": view.criteria or {"all": []},
        "base": view.base,
        "due": view.due,
        "columns": list(view.columns or []),
        "sort": view.sort,
        "is_shared": view.is_shared,
        "owner_id": view.owner_id,
        "created_at": view.created_at,
    }


def _view(request: HttpRequest, view_id: int) -> SavedView:
    view = saved_view_get(request.auth, view_id)
    if view is None:
        raise Http404
    return view


@router.get("", response={200: SavedViewListOut, **ERRORS}, summary="List the agent's saved views")
def list_views(request: HttpRequest) -> dict[str, Any]:
    """The agent's own views and those shared with every agent (a short list: one page)."""
    return {"items": [view_out(view) for view in saved_view_list(request.auth)], "next_cursor": None}


@router.post("", response={201: SavedViewOut, **ERRORS}, summary="Save a view")
def create_view(request: HttpRequest, payload: SavedViewIn) -> Status[dict[str, Any]]:
    view = services.saved_view_create(
        actor=Actor.agent(request.auth), source=Source.API, **payload.model_dump()
    )
    return Status(201, view_out(view))


@router.get("/{view_id}", response={200: SavedViewOut, **ERRORS}, summary="Get a saved view")
def get_view(request: HttpRequest, view_id: Id) -> dict[str, Any]:
    return view_out(_view(request, view_id))


@router.patch("/{view_id}", response={200: SavedViewOut, **ERRORS}, summary="Change a saved view")
def update_view(request: HttpRequest, view_id: Id, payload: SavedViewPatchIn) -> dict[str, Any]:
    """Fields left out keep their values; the whole view is validated again."""
    view = _view(request, view_id)
    values = {**view_out(view), **payload.model_dump(exclude_unset=True)}
    if values["criteria"] is None:
        values["criteria"] = {"all": []}
    for key in ("id", "owner_id", "created_at"):
        values.pop(key)
    view = services.saved_view_update(actor=Actor.agent(request.auth), source=Source.API, view=view, **values)
    return view_out(view)


@router.delete("/{view_id}", response={204: None, **ERRORS}, summary="Delete a saved view")
def delete_view(request: HttpRequest, view_id: Id) -> Status[None]:
    services.saved_view_delete(
        actor=Actor.agent(request.auth), source=Source.API, view=_view(request, view_id)
    )
    return Status(204, None)


@router.get("/{view_id}/tickets", response={200: TicketListOut, **ERRORS}, summary="The tickets a view shows")
def view_tickets(request: HttpRequest, view_id: Id, page: Query[ViewTicketsIn]) -> dict[str, Any]:
    """What the console lists for the view: its base view, due filter and conditions, in the view's sort
    unless ``sort`` is given. Dates in conditions are days in the agent's time zone."""
    view = _view(request, view_id)
    tz = timezone.get_current_timezone()
    queryset = saved_view_tickets(
        ticket_list_queryset(request.auth), view, user=request.auth, tz=tz, when=moment(tz)
    )
    result = paginate(
        queryset, sort=page.sort or view.sort or "-created_at", limit=page.limit, cursor=page.cursor
    )
    prefix = helpdesk_settings().ticket_number_prefix
    return {
        "items": [ticket_out(ticket, prefix) for ticket in result.items],
        "next_cursor": result.next_cursor,
    }
