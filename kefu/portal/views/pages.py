"""The help center's public pages: home with its modules, categories, sections, articles, search,
suggestions and the sitemap. Only published articles the reader may read ever reach these pages."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from kefu.kb import selectors as kb
from kefu.kb.services import kb_article_viewed, kb_article_vote
from kefu.portal import selectors
from kefu.portal.views.common import Site, help_center_view, page, site_for


def _canonical(request: HttpRequest, site: Site, path: str, *, per_language: bool = True) -> str:
    suffix = f"?lang={site.language}" if per_language and site.language != site.brand.default_language else ""
    return request.build_absolute_uri(path) + suffix


@help_center_view
def home(request: HttpRequest, site: Site) -> HttpResponse:
    modules = selectors.visible_modules(site.help_center, signed_in=site.signed_in)
    reader = site.reader
    context = {
        "modules": modules,
        "categories": kb.category_tree(reader, site.language) if "categories" in modules else [],
        "popular": kb.popular_articles(reader, site.language) if "popular" in modules else [],
        "recent_tickets": (
            list(selectors.customer_tickets(site.customer.contact)[:5])
            if site.customer is not None and "my_tickets" in modules
            else []
        ),
        "canonical": _canonical(request, site, reverse("portal:home", args=[site.brand.slug])),
    }
    return page(request, site, "portal/home.html", context)


@help_center_view
def category(request: HttpRequest, site: Site, category_id: int) -> HttpResponse:
    found = kb.category_for_reader(site.reader, category_id)
    if found is None:
        raise Http404
    sections = [
        (section, list(kb.section_articles(site.reader, section))) for section in found.sections.all()
    ]
    context = {
        "category": found,
        "sections": sections,
        "canonical": _canonical(
            request, site, reverse("portal:category", args=[site.brand.slug, found.pk]), per_language=False
        ),
    }
    return page(request, site, "portal/category.html", context)


@help_center_view
def section(request: HttpRequest, site: Site, section_id: int) -> HttpResponse:
    found = kb.section_for_reader(site.reader, section_id)
    if found is None:
        raise Http404
    context = {
        "section": found,
        "articles": list(kb.section_articles(site.reader, found)),
        "canonical": _canonical(
            request, site, reverse("portal:section", args=[site.brand.slug, found.pk]), per_language=False
        ),
    }
    return page(request, site, "portal/section.html", context)


def article_path(site: Site, article: object) -> str:
    return reverse("portal:article-slug", args=[site.brand.slug, article.pk, article.slug or "-"])  # type: ignore[attr-defined]


@help_center_view
def article(request: HttpRequest, site: Site, article_id: int, article_slug: str = "") -> HttpResponse:
    found = kb.article_for_reader(site.reader, article_id)
    if found is None:
        raise Http404
    canonical_path = article_path(site, found)
    if request.path != canonical_path:
        return redirect(canonical_path, permanent=True)
    if not site.agent:
        kb_article_viewed(article_id=found.pk)
    other_language = "en" if found.language == "zh-hans" else "zh-hans"
    translation = kb.article_translation(site.reader, found, other_language)
    context = {
        "article": found,
        "section": found.section,
        "category": found.section.category,
        "related": kb.related_for_reader(site.reader, found),
        "translation": translation,
        "translation_path": article_path(site, translation) if translation else "",
        "canonical": request.build_absolute_uri(canonical_path),
        "voted": request.GET.get("voted") == "1",
    }
    return page(request, site, "portal/article.html", context)


@require_POST
@help_center_view
def article_vote(request: HttpRequest, site: Site, article_id: int) -> HttpResponse:
    found = kb.article_for_reader(site.reader, article_id)
    if found is None:
        raise Http404
    kb_article_vote(
        article=found,
        helpful=request.POST.get("helpful") == "yes",
        feedback=request.POST.get("feedback", ""),
        contact_id=site.customer.contact_id if site.customer else None,
    )
    if request.htmx:
        return page(request, site, "portal/partials/vote_thanks.html", {})
    return redirect(article_path(site, found) + "?voted=1")


def article_file(request: HttpRequest, slug: str, attachment_id: int) -> HttpResponse:
    """A file of an article the reader may read; served as a download unless it is an image."""
    site = site_for(request, slug)
    attachment = kb.attachment_for_reader(site.reader, attachment_id)
    if attachment is None:
        raise Http404
    inline = attachment.content_type.startswith("image/") and attachment.content_type != "image/svg+xml"
    response = FileResponse(
        attachment.file.open("rb"), as_attachment=not inline, filename=attachment.filename,
        content_type=attachment.content_type,
    )  # fmt: skip
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@help_center_view
def search(request: HttpRequest, site: Site) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:200]
    language = request.GET.get("in", site.language)
    language = language if language in ("en", "zh-hans", "all") else site.language
    hits = (
        kb.article_search(site.reader, q, language=None if language == "all" else language, limit=20)
        if q
        else []
    )
    if q and not hits and language != "all":
        # Nothing in the page's language: the question may be in the other one.
        language = "all"
        hits = kb.article_search(site.reader, q, language=None, limit=20)
    context = {
        "q": q,
        "hits": [(hit, article_path(site, hit.article)) for hit in hits],
        "search_language": language,
        "canonical": _canonical(request, site, reverse("portal:home", args=[site.brand.slug])),
        "noindex": True,
    }
    return page(request, site, "portal/search.html", context)


def suggestions(site: Site, q: str) -> list[str]:
    """Article titles for what has been typed so far (from the first character: "退" offers 退货 and
    退款), in the page's language first and in every language when that offers nothing."""
    titles = kb.article_suggest(site.reader, q, language=site.language) if q else []
    if q and not titles:
        titles = kb.article_suggest(site.reader, q, language=None)
    return titles


@help_center_view
def suggest(request: HttpRequest, site: Site) -> HttpResponse:
    """Titles as the visitor types: JSON for scripts, a list for the search box's HTMX.

    Like the search, they come from the page's language first and from every language when that
    offers nothing (a Chinese question typed on the English page)."""
    q = request.GET.get("q", "").strip()[:200]
    titles = suggestions(site, q)
    if request.htmx:
        return page(request, site, "portal/partials/suggestions.html", {"titles": titles, "q": q})
    return JsonResponse({"items": titles})


def sitemap(request: HttpRequest, slug: str) -> HttpResponse:
    """Every public, published article of the brand; nothing for signed-in customers or agents only."""
    site = site_for(request, slug)
    if not site.help_center.is_enabled:
        raise Http404
    home_url = request.build_absolute_uri(reverse("portal:home", args=[slug]))
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ]
    lines.append(f"<url><loc>{home_url}</loc></url>")
    from django.utils.html import escape

    for item in kb.sitemap_articles(site.brand.pk):
        loc = request.build_absolute_uri(article_path(site, item))
        lines.append(f"<url><loc>{escape(loc)}</loc><lastmod>{item.updated_at:%Y-%m-%d}</lastmod></url>")
    lines.append("</urlset>")
    return HttpResponse("\n".join(lines), content_type="application/xml; charset=utf-8")
