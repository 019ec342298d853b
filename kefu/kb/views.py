"""Console pages of the knowledge base: articles (list, editor, versions), categories and sections,
and the ticket page's panel (search articles to insert into a reply, turn a reply into a draft)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kefu.core.actors import Source
from kefu.core.errors import ServiceError
from kefu.core.htmx import is_partial
from kefu.core.ids import parse_id
from kefu.kb import selectors, services
from kefu.kb.forms import ArticleForm, CategoryForm, SectionForm, article_initial
from kefu.kb.inputs import ArticleInput, CategoryInput, SectionInput
from kefu.kb.services.common import may_publish
from kefu.org import permissions
from kefu.org.decorators import agent_required
from kefu.org.views.common import actor_of, posted

STATUS_BUTTONS = {"draft", "review", "published"}


def _article(article_id: int) -> Any:
    article = selectors.console_article(article_id)
    if article is None:
        raise Http404
    return article


@agent_required()
def article_list(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:200]
    status = request.GET.get("status", "")
    status = status if status in STATUS_BUTTONS else ""
    articles = list(selectors.console_articles(q=q, status=status)[:200])
    context = {"articles": articles, "q": q, "status": status, "can_publish": may_publish(actor_of(request))}
    template = "kb/partials/article_table.html" if is_partial(request) else "kb/article_list.html"
    return render(request, template, context)


def _editor(request: HttpRequest, form: ArticleForm, article: Any | None, status: int = 200) -> HttpResponse:
    context = {
        "form": form,
        "article": article,
        "can_publish": may_publish(actor_of(request)),
        "feedback": selectors.article_feedback(article) if article else [],
    }
    return render(request, "kb/article_edit.html", context, status=status)


def _save(request: HttpRequest, form: ArticleForm, article: Any | None) -> HttpResponse | None:
    """Validate and save; on success the redirect to the editor, on refusal ``None`` (errors on the form)."""
    if not form.is_valid():
        return None
    changes = form.changes()
    requested = request.POST.get("status", "")
    if requested in STATUS_BUTTONS:
        changes["status"] = requested
    try:
        if article is None:
            article = services.kb_article_create(
                actor=actor_of(request), source=Source.WEB, data=ArticleInput(**changes)
            )
        else:
            services.kb_article_update(
                actor=actor_of(request), source=Source.WEB, article=article, changes=changes
            )
    except ServiceError as error:
        form.apply_service_error(error, {"section_id": "section", "related_ids": "related"})
        return None
    messages.success(request, _("The article is saved."))
    return redirect("kb:article-edit", article.pk)


@agent_required(permissions.TICKET_REPLY)
def article_create(request: HttpRequest) -> HttpResponse:
    form = ArticleForm(
        posted(request),
        section_choices=selectors.section_choices(),
        initial={
            "language": request.LANGUAGE_CODE if request.LANGUAGE_CODE in ("en", "zh-hans") else "zh-hans"
        },
    )
    if request.method == "POST" and (response := _save(request, form, None)) is not None:
        return response
    return _editor(request, form, None, status=422 if form.errors else 200)


@agent_required()
def article_edit(request: HttpRequest, article_id: int) -> HttpResponse:
    article = _article(article_id)
    form = ArticleForm(
        posted(request), section_choices=selectors.section_choices(), initial=article_initial(article)
    )
    if request.method == "POST" and (response := _save(request, form, article)) is not None:
        return response
    return _editor(request, form, article, status=422 if form.errors else 200)


@agent_required()
def article_versions(request: HttpRequest, article_id: int) -> HttpResponse:
    article = _article(article_id)
    versions = list(selectors.article_versions(article))
    numbers = [version.number for version in versions]
    newer = parse_id(request.GET.get("b", "")) or (numbers[0] if numbers else None)
    older = parse_id(request.GET.get("a", "")) or (numbers[1] if len(numbers) > 1 else newer)
    diff = []
    if newer and older:
        old, new = selectors.version_get(article, older), selectors.version_get(article, newer)
        if old is None or new is None:
            raise Http404
        diff = selectors.version_diff(old, new)
    context = {"article": article, "versions": versions, "diff": diff, "a": older, "b": newer}
    return render(request, "kb/article_versions.html", context)


@require_POST
@agent_required(permissions.TICKET_REPLY)
def article_restore(request: HttpRequest, article_id: int, number: int) -> HttpResponse:
    article = _article(article_id)
    try:
        services.kb_article_restore(
            actor=actor_of(request), source=Source.WEB, article=article, number=number
        )
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("Version %(number)d is restored as the newest version.") % {"number": number}
        )
    return redirect("kb:article-edit", article.pk)


@require_POST
@agent_required(permissions.TICKET_REPLY)
def article_delete(request: HttpRequest, article_id: int) -> HttpResponse:
    article = _article(article_id)
    try:
        services.kb_article_delete(actor=actor_of(request), source=Source.WEB, article=article)
    except ServiceError as error:
        messages.error(request, error.message)
        return redirect("kb:article-edit", article.pk)
    messages.success(request, _("The article is deleted."))
    return redirect("kb:article-list")


@require_POST
@agent_required(permissions.TICKET_REPLY)
def attachment_upload(request: HttpRequest, article_id: int) -> HttpResponse:
    article = _article(article_id)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choose a file."))
    else:
        try:
            services.kb_attachment_add(
                actor=actor_of(request),
                source=Source.WEB,
                article=article,
                filename=upload.name or "file",
                content=upload,
                size=upload.size or 0,
            )
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The file is attached."))
    return redirect("kb:article-edit", article.pk)


# --- categories and sections ---------------------------------------------------------------------


@agent_required(permissions.SETTINGS_MANAGE)
def categories(request: HttpRequest) -> HttpResponse:
    """Categories and their sections on one page, with a form for each."""
    category_form = CategoryForm(
        posted(request) if request.POST.get("form") == "category" else None,
        brand_choices=selectors.brand_choices(),
        prefix="category",
    )
    section_form = SectionForm(
        posted(request) if request.POST.get("form") == "section" else None,
        category_choices=selectors.category_choices(),
        prefix="section",
    )
    if request.method == "POST":
        try:
            if request.POST.get("form") == "category" and category_form.is_valid():
                data = category_form.cleaned_data
                services.kb_category_create(
                    actor=actor_of(request),
                    source=Source.WEB,
                    data=CategoryInput(
                        brand_id=data["brand"], name=data["name"], language=data["language"],
                        description=data["description"],
                    ),
                )  # fmt: skip
                messages.success(request, _("The category is added."))
                return redirect("kb:categories")
            if request.POST.get("form") == "section" and section_form.is_valid():
                data = section_form.cleaned_data
                services.kb_section_create(
                    actor=actor_of(request),
                    source=Source.WEB,
                    data=SectionInput(
                        category_id=data["category"], name=data["name"], description=data["description"]
                    ),
                )
                messages.success(request, _("The section is added."))
                return redirect("kb:categories")
        except ServiceError as error:
            form = category_form if request.POST.get("form") == "category" else section_form
            form.apply_service_error(error, {"brand_id": "brand", "category_id": "category"})
    context = {
        "categories": selectors.category_list().prefetch_related("sections"),
        "category_form": category_form,
        "section_form": section_form,
    }
    return render(request, "kb/categories.html", context, status=422 if request.method == "POST" else 200)


@require_POST
@agent_required(permissions.SETTINGS_MANAGE)
def category_delete(request: HttpRequest, kind: str, object_id: int) -> HttpResponse:
    try:
        if kind == "category":
            category = selectors.category_get(object_id)
            if category is None:
                raise Http404
            services.kb_category_delete(actor=actor_of(request), source=Source.WEB, category=category)
        else:
            section = selectors.section_get(object_id)
            if section is None:
                raise Http404
            services.kb_section_delete(actor=actor_of(request), source=Source.WEB, section=section)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Deleted."))
    return redirect("kb:categories")


# --- the ticket page's panel ---------------------------------------------------------------------


@agent_required()
def ticket_panel(request: HttpRequest, ticket_id: int) -> HttpResponse:
    """Search results to insert into a reply, and the ticket's replies that can become articles."""
    q = request.GET.get("q", "").strip()[:200]
    hits = selectors.console_article_search(q) if q else []
    results = [
        {
            "hit": hit,
            "url": request.build_absolute_uri(
                reverse("portal:article", args=[hit.article.section.category.brand.slug, hit.article.pk])
            ),
        }
        for hit in hits
    ]
    context = {
        "q": q,
        "results": results,
        "ticket_id": ticket_id,
        "replies": [] if q else selectors.ticket_replies(request.user, ticket_id),
    }
    template = "kb/partials/ticket_results.html" if q else "kb/partials/ticket_replies.html"
    return render(request, template, context)


@require_POST
@agent_required(permissions.TICKET_REPLY)
def from_reply(request: HttpRequest, thread_id: int) -> HttpResponse:
    try:
        article = services.kb_article_from_reply(
            actor=actor_of(request), source=Source.WEB, thread_id=thread_id
        )
    except ServiceError as error:
        if error.status_code == 404:
            raise Http404 from None
        messages.error(request, error.message)
        return redirect(request.META.get("HTTP_REFERER") or reverse("kb:article-list"))
    messages.success(
        request, _("A draft article is made from the reply. Edit it, then submit it for review.")
    )
    url = reverse("kb:article-edit", args=[article.pk])
    if is_partial(request):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)
