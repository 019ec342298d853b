"""The knowledge base's search index follows the articles through the outbox.

A published article is indexed with its brand, status, visibility and language in the document's
scope, so that every search can filter by who is reading; any other article (a draft, one in review,
a deleted one) is removed from the index, so that it can never be found by anyone outside the console.
Re-indexing is idempotent, so a redelivered event changes nothing.
"""

from __future__ import annotations

from typing import Any

from kefu.core.event_types import EventType
from kefu.core.events import Event, register_consumer
from kefu.kb.models import Article

KIND = "kb_article"


def article_document(article: Article) -> Any:
    """The search document of a published article (its summary and body as the text)."""
    from kefu.search.documents import Document

    section = article.section
    return Document(
        kind=KIND,
        object_id=article.pk,
        language=article.language,
        title=article.title,
        body="\n".join(part for part in (article.summary, article.body_text) if part),
        tags=tuple(article.tags),
        scope={
            "brand_id": section.category.brand_id,
            "category_id": section.category_id,
            "section_id": section.pk,
            "status": article.status,
            "visibility": article.visibility,
            "language": article.language,
        },
    )


def index_articles(events: list[Event]) -> None:
    from kefu.search.services import documents_index, documents_remove

    ids = {article_id for event in events for article_id in event.payload.get("article_ids", [])}
    if not ids:
        return
    published = list(
        Article.objects.filter(pk__in=ids, status=Article.Status.PUBLISHED).select_related(
            "section__category"
        )
    )
    if published:
        documents_index([article_document(article) for article in published])
    gone = sorted(ids - {article.pk for article in published})
    if gone:
        documents_remove(KIND, gone)


def register() -> None:
    register_consumer(
        "kb.index", [EventType.KB_ARTICLE_CHANGED, EventType.KB_ARTICLE_DELETED], index_articles
    )
