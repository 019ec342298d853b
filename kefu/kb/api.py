"""REST endpoints of the knowledge base, for agents: ``/api/v1/kb/categories|sections|articles``."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Query, Router, Status

from kefu.core.actors import Source
from kefu.core.api_types import ERRORS, Id
from kefu.core.idempotency import idempotent
from kefu.core.pagination import paginate
from kefu.kb import selectors, services
from kefu.kb.inputs import ArticleInput, CategoryInput, SectionInput
from kefu.kb.schemas import (
    ArticleIn,
    ArticleListIn,
    ArticleListOut,
    ArticleOut,
    ArticlePatch,
    CategoryIn,
    CategoryListOut,
    CategoryOut,
    CategoryPatch,
    ListIn,
    SectionIn,
    SectionListOut,
    SectionOut,
    SectionPatch,
)
from kefu.org.api_access import api_agent

router = Router(tags=["knowledge base"])
NULLABLE = {"translation_of"}


def _changes(payload: Any) -> dict[str, Any]:
    """The fields a PATCH names; ``null`` only unlinks a translation, elsewhere it changes nothing."""
    return {k: v for k, v in payload.model_dump(exclude_unset=True).items() if v is not None or k in NULLABLE}


def category_out(category: Any) -> dict[str, Any]:
    return {
        "id": category.pk,
        "brand_id": category.brand_id,
        "name": category.name,
        "description": category.description,
        "language": category.language,
        "position": category.position,
    }


def section_out(section: Any) -> dict[str, Any]:
    return {
        "id": section.pk,
        "category_id": section.category_id,
        "name": section.name,
        "description": section.description,
        "position": section.position,
    }


def article_out(article: Any) -> dict[str, Any]:
    return {
        "id": article.pk,
        "section_id": article.section_id,
        "title": article.title,
        "body": article.body,
        "summary": article.summary,
        "meta_description": article.meta_description,
        "slug": article.slug,
        "status": article.status,
        "visibility": article.visibility,
        "language": article.language,
        "tags": list(article.tags),
        "translation_of": article.translation_of_id,
        "related_ids": sorted(related.pk for related in article.related.all()),
        "author_id": article.author_id,
        "version": article.version,
        "view_count": article.view_count,
        "helpful_yes": article.helpful_yes,
        "helpful_no": article.helpful_no,
        "created_at": article.created_at,
        "updated_at": article.updated_at,
        "published_at": article.published_at,
    }


def _found(value: Any) -> Any:
    if value is None:
        raise Http404
    return value


# --- categories ----------------------------------------------------------------------------------


@router.get("/categories", response={200: CategoryListOut, **ERRORS}, summary="List KB categories")
def list_categories(request: HttpRequest, filters: Query[ListIn]) -> dict[str, Any]:
    api_agent(request)
    page = paginate(selectors.category_list(), sort="id", limit=filters.limit, cursor=filters.cursor)
    return {"items": [category_out(item) for item in page.items], "next_cursor": page.next_cursor}


@router.post("/categories", response={201: CategoryOut, **ERRORS}, summary="Create a KB category")
def create_category(request: HttpRequest, payload: CategoryIn) -> Status[dict[str, Any]]:
    actor = api_agent(request)

    def create() -> tuple[int, dict[str, Any]]:
        category = services.kb_category_create(
            actor=actor, source=Source.API, data=CategoryInput(**payload.dict())
        )
        return 201, category_out(category)

    return Status(*idempotent(request, create))


@router.get("/categories/{category_id}", response={200: CategoryOut, **ERRORS}, summary="Get a KB category")
def get_category(request: HttpRequest, category_id: Id) -> dict[str, Any]:
    api_agent(request)
    return category_out(_found(selectors.category_get(category_id)))


@router.patch(
    "/categories/{category_id}", response={200: CategoryOut, **ERRORS}, summary="Change a KB category"
)
def update_category(request: HttpRequest, category_id: Id, payload: CategoryPatch) -> dict[str, Any]:
    actor = api_agent(request)
    category = _found(selectors.category_get(category_id))
    services.kb_category_update(actor=actor, source=Source.API, category=category, changes=_changes(payload))
    return category_out(category)


@router.delete(
    "/categories/{category_id}", response={204: None, **ERRORS}, summary="Delete an empty KB category"
)
def delete_category(request: HttpRequest, category_id: Id) -> Status[None]:
    actor = api_agent(request)
    services.kb_category_delete(
        actor=actor, source=Source.API, category=_found(selectors.category_get(category_id))
    )
    return Status(204, None)


# --- sections ------------------------------------------------------------------------------------


@router.get("/sections", response={200: SectionListOut, **ERRORS}, summary="List KB sections")
def list_sections(request: HttpRequest, filters: Query[ListIn]) -> dict[str, Any]:
    api_agent(request)
    page = paginate(selectors.section_list(), sort="id", limit=filters.limit, cursor=filters.cursor)
    return {"items": [section_out(item) for item in page.items], "next_cursor": page.next_cursor}


@router.post("/sections", response={201: SectionOut, **ERRORS}, summary="Create a KB section")
def create_section(request: HttpRequest, payload: SectionIn) -> Status[dict[str, Any]]:
    actor = api_agent(request)

    def create() -> tuple[int, dict[str, Any]]:
        section = services.kb_section_create(
            actor=actor, source=Source.API, data=SectionInput(**payload.dict())
        )
        return 201, section_out(section)

    return Status(*idempotent(request, create))


@router.get("/sections/{section_id}", response={200: SectionOut, **ERRORS}, summary="Get a KB section")
def get_section(request: HttpRequest, section_id: Id) -> dict[str, Any]:
    api_agent(request)
    return section_out(_found(selectors.section_get(section_id)))


@router.patch("/sections/{section_id}", response={200: SectionOut, **ERRORS}, summary="Change a KB section")
def update_section(request: HttpRequest, section_id: Id, payload: SectionPatch) -> dict[str, Any]:
    actor = api_agent(request)
    section = _found(selectors.section_get(section_id))
    services.kb_section_update(actor=actor, source=Source.API, section=section, changes=_changes(payload))
    return section_out(section)


@router.delete("/sections/{section_id}", response={204: None, **ERRORS}, summary="Delete an empty KB section")
def delete_section(request: HttpRequest, section_id: Id) -> Status[None]:
    actor = api_agent(request)
    services.kb_section_delete(
        actor=actor, source=Source.API, section=_found(selectors.section_get(section_id))
    )
    return Status(204, None)


# --- articles ------------------------------------------------------------------------------------


@router.get("/articles", response={200: ArticleListOut, **ERRORS}, summary="List KB articles")
def list_articles(request: HttpRequest, filters: Query[ArticleListIn]) -> dict[str, Any]:
    api_agent(request)
    queryset = selectors.console_articles(q=(filters.q or "").strip(), status=filters.status or "")
    if filters.section_id:
        queryset = queryset.filter(section_id=filters.section_id)
    if filters.language:
        queryset = queryset.filter(language=filters.language)
    page = paginate(
        queryset.prefetch_related("related"), sort="id", limit=filters.limit, cursor=filters.cursor
    )
    return {"items": [article_out(item) for item in page.items], "next_cursor": page.next_cursor}


@router.post("/articles", response={201: ArticleOut, **ERRORS}, summary="Create a KB article")
def create_article(request: HttpRequest, payload: ArticleIn) -> Status[dict[str, Any]]:
    actor = api_agent(request)

    def create() -> tuple[int, dict[str, Any]]:
        article = services.kb_article_create(
            actor=actor, source=Source.API, data=ArticleInput(**payload.dict())
        )
        return 201, ArticleOut.model_validate(article_out(article)).model_dump(mode="json")

    return Status(*idempotent(request, create))


@router.get("/articles/{article_id}", response={200: ArticleOut, **ERRORS}, summary="Get a KB article")
def get_article(request: HttpRequest, article_id: Id) -> dict[str, Any]:
    api_agent(request)
    return article_out(_found(selectors.console_article(article_id)))


@router.patch("/articles/{article_id}", response={200: ArticleOut, **ERRORS}, summary="Change a KB article")
def update_article(request: HttpRequest, article_id: Id, payload: ArticlePatch) -> dict[str, Any]:
    actor = api_agent(request)
    article = _found(selectors.console_article(article_id))
    services.kb_article_update(actor=actor, source=Source.API, article=article, changes=_changes(payload))
    return article_out(_found(selectors.console_article(article_id)))


@router.delete("/articles/{article_id}", response={204: None, **ERRORS}, summary="Delete a KB article")
def delete_article(request: HttpRequest, article_id: Id) -> Status[None]:
    actor = api_agent(request)
    services.kb_article_delete(
        actor=actor, source=Source.API, article=_found(selectors.console_article(article_id))
    )
    return Status(204, None)
