"""The search API: the administrator's dictionary (synonyms, product terms), the no-result report and
rebuilding the indexes. Searching itself is ``q`` on each list (``GET /tickets?q=``) and the help
center's public search."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from kefu.core.actors import Actor, Source
from kefu.core.api_types import ERRORS, Id
from kefu.core.errors import PermissionDenied
from kefu.org import permissions
from kefu.org.selectors import agent_access
from kefu.search import services
from kefu.search.models import DictionaryEntry, SearchMiss
from kefu.search.schemas import (
    DictionaryEntryIn,
    DictionaryEntryOut,
    DictionaryListOut,
    MissFiltersIn,
    MissListOut,
    MissOut,
    ReindexOut,
)
from kefu.search.selectors import dictionary_entries, dictionary_entry_get, search_misses
from kefu.search.tasks import reindex_all

router = Router(tags=["search"])


def _actor(request: HttpRequest) -> Actor:
    return Actor.agent(request.auth)


def _require_agent(request: HttpRequest) -> None:
    if not agent_access(request.auth).is_agent:
        raise PermissionDenied(_("You do not have permission to do this."))


def _require_settings(request: HttpRequest) -> None:
    if not agent_access(request.auth).can(permissions.SETTINGS_MANAGE):
        raise PermissionDenied(_("You do not have permission to do this."))


def entry_out(entry: DictionaryEntry) -> dict[str, Any]:
    return DictionaryEntryOut.model_validate(entry, from_attributes=True).model_dump(mode="json")


def miss_out(miss: SearchMiss) -> dict[str, Any]:
    return MissOut.model_validate(miss, from_attributes=True).model_dump(mode="json")


@router.get("/synonyms", response={200: DictionaryListOut, **ERRORS}, summary="The search dictionary")
def list_entries(request: HttpRequest) -> dict[str, Any]:
    _require_agent(request)
    return {"items": [entry_out(entry) for entry in dictionary_entries()]}


@router.post(
    "/synonyms",
    response={201: DictionaryEntryOut, **ERRORS},
    summary="Add synonyms or a product term (administrators)",
    description="A query for any spelling also finds the others; each spelling stays one word for jieba.",
)
def create_entry(request: HttpRequest, payload: DictionaryEntryIn) -> Status[dict[str, Any]]:
    entry = services.dictionary_entry_create(
        actor=_actor(request), source=Source.API, terms=payload.terms, note=payload.note
    )
    return Status(201, entry_out(entry))


@router.put("/synonyms/{entry_id}", response={200: DictionaryEntryOut, **ERRORS}, summary="Change an entry")
def update_entry(request: HttpRequest, entry_id: Id, payload: DictionaryEntryIn) -> dict[str, Any]:
    entry = services.dictionary_entry_update(
        actor=_actor(request), source=Source.API, entry=dictionary_entry_get(entry_id),
        terms=payload.terms, note=payload.note,
    )  # fmt: skip
    return entry_out(entry)


@router.delete("/synonyms/{entry_id}", response={204: None, **ERRORS}, summary="Delete an entry")
def delete_entry(request: HttpRequest, entry_id: Id) -> Status[None]:
    services.dictionary_entry_delete(
        actor=_actor(request), source=Source.API, entry=dictionary_entry_get(entry_id)
    )
    return Status(204, None)


@router.get(
    "/misses",
    response={200: MissListOut, **ERRORS},
    summary="Searches that found nothing",
    description="Counted per place (`helpcenter`, `widget`, `console` …) and spelling, most frequent first.",
)
def list_misses(request: HttpRequest, filters: Query[MissFiltersIn]) -> dict[str, Any]:
    _require_agent(request)
    misses = search_misses(area=filters.area, limit=filters.limit)
    return {"items": [miss_out(miss) for miss in misses]}


@router.delete("/misses", response={204: None, **ERRORS}, summary="Clear the no-result log (administrators)")
def clear_misses(request: HttpRequest) -> Status[None]:
    services.search_misses_clear(actor=_actor(request), source=Source.API)
    return Status(204, None)


@router.post(
    "/reindex",
    response={202: ReindexOut, **ERRORS},
    summary="Rebuild the search indexes (administrators)",
    description="Needed after dictionary changes for documents indexed before them; runs in the worker.",
)
def reindex(request: HttpRequest) -> Status[dict[str, Any]]:
    _require_settings(request)
    reindex_all.delay()
    return Status(202, {"queued": True})
