"""Reads of the knowledge base. ``Reader`` says who is reading; every public read filters by it.

Visibility is cumulative: everyone reads ``public`` articles, signed-in customers also ``customers``
ones, agents also ``agents`` ones. Only published articles are ever shown outside the console.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from kefu.kb.models import Article, ArticleVersion, ArticleVote, Category, Section
from kefu.kb.subscribers import KIND


@dataclass(frozen=True)
class Reader:
    brand_id: int
    customer: bool = False
    agent: bool = False

    @property
    def visibilities(self) -> list[str]:
        allowed = [Article.Visibility.PUBLIC.value]
        if self.customer or self.agent:
            allowed.append(Article.Visibility.CUSTOMERS.value)
        if self.agent:
            allowed.append(Article.Visibility.AGENTS.value)
        return allowed


def readable_articles(reader: Reader, *, language: str | None = None) -> QuerySet[Article]:
    queryset = Article.objects.filter(
        section__category__brand_id=reader.brand_id,
        status=Article.Status.PUBLISHED,
        visibility__in=reader.visibilities,
    )
    return queryset.filter(language=language) if language else queryset


def article_for_reader(reader: Reader, article_id: int) -> Article | None:
    return (
        readable_articles(reader)
        .select_related("section__category", "translation_of")
        .prefetch_related("attachments")
        .filter(pk=article_id)
        .first()
    )


def article_translation(reader: Reader, article: Article, language: str) -> Article | None:
    """The readable version of ``article`` in ``language`` (the original or a sibling translation)."""
    if article.language == language:
        return article
    original_id = article.translation_of_id or article.pk
    # Two lookups by index: one OR over both columns makes the database scan the brand's articles.
    readable = readable_articles(reader, language=language)
    return (
        readable.filter(pk=original_id).first()
        or readable.filter(translation_of_id=original_id).order_by("pk").first()
    )


def related_for_reader(reader: Reader, article: Article) -> list[Article]:
    """Up to ten readable related articles, by title. The ids come first: joined to the brand's
    articles in one query, the database walks them all in title order to find the few related."""
    ids = list(
        Article.related.through.objects.filter(from_article_id=article.pk).values_list(
            "to_article_id", flat=True
        )
    )
    if not ids:
        return []
    return list(readable_articles(reader).filter(pk__in=ids).only(*LISTED).order_by("title")[:10])


# What a list of articles shows (title and link): their bodies stay in the database.
LISTED = ("id", "title", "slug", "section_id", "language", "view_count", "published_at")


def category_tree(reader: Reader, language: str) -> list[Category]:
    """The brand's categories in ``language`` with their sections, each section with ``readable_count``:
    how many of its articles the reader may read (counted by the database, not loaded)."""
    readable = Q(
        articles__status=Article.Status.PUBLISHED,
        articles__visibility__in=reader.visibilities,
        articles__language=language,
    )
    sections = Section.objects.annotate(readable_count=Count("articles", filter=readable)).order_by(
        "position", "id"
    )
    categories = Category.objects.filter(brand_id=reader.brand_id, language=language).prefetch_related(
        Prefetch("sections", queryset=sections)
    )
    return list(categories)


def category_for_reader(reader: Reader, category_id: int) -> Category | None:
    return Category.objects.filter(brand_id=reader.brand_id, pk=category_id).first()


def section_for_reader(reader: Reader, section_id: int) -> Section | None:
    return (
        Section.objects.select_related("category")
        .filter(category__brand_id=reader.brand_id, pk=section_id)
        .first()
    )


def section_articles(reader: Reader, section: Section) -> QuerySet[Article]:
    return readable_articles(reader).filter(section=section).only(*LISTED).order_by("title", "id")


def popular_articles(reader: Reader, language: str, *, limit: int = 8) -> list[Article]:
    return list(
        readable_articles(reader, language=language)
        .only(*LISTED)
        .order_by("-view_count", "-published_at", "id")[:limit]
    )


def sitemap_articles(brand_id: int) -> QuerySet[Article]:
    """What search engines may list: published articles visible to everyone, nothing else."""
    return (
        readable_articles(Reader(brand_id=brand_id))
        .order_by("id")
        .only("id", "slug", "updated_at", "language")
    )


def search_filters(reader: Reader, language: str | None) -> dict[str, list[Any]]:
    filters: dict[str, list[Any]] = {
        "brand_id": [reader.brand_id],
        "status": [Article.Status.PUBLISHED.value],
        "visibility": reader.visibilities,
    }
    if language:
        filters["language"] = [language]
    return filters


@dataclass
class ArticleHit:
    article: Article
    score: float
    title_html: str
    snippet_html: str


def article_search(
    reader: Reader, query: str, *, language: str | None = None, limit: int = 10
) -> list[ArticleHit]:
    """Ranked articles for ``query`` that ``reader`` may read (checked again against the database)."""
    from kefu.search.selectors import documents_search

    if not query.strip():
        return []
    hits = documents_search(KIND, query, filters=search_filters(reader, language), limit=limit)
    articles = (
        readable_articles(reader).select_related("section__category").in_bulk([hit.object_id for hit in hits])
    )
    return [
        ArticleHit(articles[hit.object_id], hit.score, hit.title_html, hit.snippet_html)
        for hit in hits
        if hit.object_id in articles
    ]


def article_suggest(reader: Reader, prefix: str, *, language: str | None = None, limit: int = 8) -> list[str]:
    from kefu.search.selectors import documents_suggest

    if not prefix.strip():
        return []
    return documents_suggest(KIND, prefix, filters=search_filters(reader, language), limit=limit)


# --- the console ---------------------------------------------------------------------------------


def console_articles(*, q: str = "", status: str = "", brand_id: int | None = None) -> QuerySet[Article]:
    queryset = Article.objects.select_related("section__category__brand", "author")
    if q:
        queryset = queryset.filter(
            Q(title__icontains=q) | Q(body_text__icontains=q) | Q(summary__icontains=q)
        )
    if status:
        queryset = queryset.filter(status=status)
    if brand_id:
        queryset = queryset.filter(section__category__brand_id=brand_id)
    return queryset.order_by("-updated_at", "-id")


def console_article(article_id: int) -> Article | None:
    return (
        Article.objects.select_related("section__category__brand", "author", "translation_of")
        .prefetch_related("attachments", "related", "translations")
        .filter(pk=article_id)
        .first()
    )


def category_list(*, brand_id: int | None = None) -> QuerySet[Category]:
    queryset = Category.objects.select_related("brand").annotate(section_count=Count("sections"))
    return (
        queryset.filter(brand_id=brand_id) if brand_id else queryset.order_by("brand__name", "position", "id")
    )


def category_get(category_id: int) -> Category | None:
    return Category.objects.filter(pk=category_id).first()


def section_list(*, category_id: int | None = None) -> QuerySet[Section]:
    queryset = Section.objects.select_related("category__brand").annotate(article_count=Count("articles"))
    return (
        queryset.filter(category_id=category_id)
        if category_id
        else queryset.order_by("category_id", "position", "id")
    )


def section_get(section_id: int) -> Section | None:
    return Section.objects.filter(pk=section_id).first()


def section_choices() -> list[tuple[int, str]]:
    return [
        (section.pk, f"{section.category.brand.name} › {section.category.name} › {section.name}")
        for section in Section.objects.select_related("category__brand").order_by(
            "category__brand__name", "category__position", "position", "id"
        )
    ]


def article_versions(article: Article) -> QuerySet[ArticleVersion]:
    return article.versions.select_related("created_by")


def article_feedback(article: Article, *, limit: int = 50) -> list[ArticleVote]:
    return list(article.votes.exclude(feedback="")[:limit])


@dataclass
class DiffLine:
    op: str  # "+", "-" or " "
    text: str


def version_diff(old: ArticleVersion, new: ArticleVersion) -> list[DiffLine]:
    """Line by line, the text of two versions: title, summary, tags, then the body's plain text."""
    from kefu.core.html import html_to_text

    def lines(version: ArticleVersion) -> list[str]:
        head = [version.title, version.summary, ", ".join(version.tags)]
        return head + html_to_text(version.body).splitlines()

    diff = difflib.ndiff(lines(old), lines(new))
    return [DiffLine(op=line[0], text=line[2:]) for line in diff if line[:1] in "+- "]


def version_get(article: Article, number: int) -> ArticleVersion | None:
    return article.versions.filter(number=number).first()


def brand_choices() -> list[tuple[int, str]]:
    from kefu.org.models import Brand

    return [(brand.pk, brand.name) for brand in Brand.objects.order_by("name", "id")]


def category_choices() -> list[tuple[int, str]]:
    return [
        (category.pk, f"{category.brand.name} › {category.name}")
        for category in Category.objects.select_related("brand").order_by("brand__name", "position", "id")
    ]


def ticket_replies(user: Any, ticket_id: int) -> list[Any]:
    """The agents' replies on a ticket ``user`` may see, newest first, to turn into articles."""
    from kefu.tickets.selectors import conversation_threads, ticket_visible

    ticket = ticket_visible(user, ticket_id)
    if ticket is None:
        return []
    return [thread for thread in conversation_threads(ticket) if thread.direction == "out"][::-1][:10]


def console_article_search(q: str, *, limit: int = 8) -> list[ArticleHit]:
    """Published articles of every brand and visibility, ranked, for an agent answering a ticket."""
    from kefu.search.selectors import documents_search

    if not q.strip():
        return []
    hits = documents_search(KIND, q, filters={"status": [Article.Status.PUBLISHED.value]}, limit=limit)
    articles = Article.objects.select_related("section__category__brand").in_bulk(
        [hit.object_id for hit in hits]
    )
    return [
        ArticleHit(articles[hit.object_id], hit.score, hit.title_html, hit.snippet_html)
        for hit in hits
        if hit.object_id in articles and articles[hit.object_id].status == Article.Status.PUBLISHED
    ]


def attachment_for_reader(reader: Reader, attachment_id: int) -> Any:
    """A file of an article the reader may read (agents also the files of drafts they edit)."""
    from kefu.kb.models import ArticleAttachment

    queryset = ArticleAttachment.objects.select_related("article")
    if reader.agent:
        return queryset.filter(pk=attachment_id, article__section__category__brand_id=reader.brand_id).first()
    return queryset.filter(pk=attachment_id, article__in=readable_articles(reader)).first()
