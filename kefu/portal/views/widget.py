"""The embeddable widget: ``/widget.js`` and the panel it opens in an iframe (``/hc/<slug>/widget/``).

The panel holds knowledge-base search and articles, the answer bot, the ticket form (channel
``widget``) and, for a signed-in customer, their tickets. It may be framed only by the brand's allowed
origins (``Content-Security-Policy: frame-ancestors``); everything else about it is the help center's.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from kefu.core.actors import Source
from kefu.core.errors import ServiceError
from kefu.kb import selectors as kb
from kefu.portal import selectors, services
from kefu.portal.views.common import Site, help_center_view, page
from kefu.portal.views.pages import article_path, suggestions
from kefu.portal.views.tickets import submission_of, submit_context

logger = logging.getLogger(__name__)
PORTAL = Path(__file__).resolve().parent.parent
# Written in frontend/, built (minified, ES2017) into build/ by ensure_widget in scripts/lib.sh.
WIDGET_SOURCE = PORTAL / "frontend" / "widget.js"
WIDGET_BUILD = PORTAL / "build" / "widget.js"
BOT_ANSWERS = 3
BOT_RELATIVE_SCORE = 0.5


def widget_js(request: HttpRequest) -> HttpResponse:
    """The loader script as the set-up scripts built it (about 1.1 kB gzipped).

    Without a build (a checkout nobody ran ``./scripts/run`` or ``./scripts/test`` in) the source is
    served as written, which works the same at 1.5 kB, and the log says how to build it."""
    if WIDGET_BUILD.is_file():
        body = WIDGET_BUILD.read_bytes()
    else:
        logger.warning(
            "%s is missing: serving the widget's source; build it with `npm run build`", WIDGET_BUILD
        )
        body = WIDGET_SOURCE.read_bytes()
    response = HttpResponse(body, content_type="application/javascript; charset=utf-8")
    response["Cache-Control"] = "public, max-age=3600"
    response["Access-Control-Allow-Origin"] = "*"
    return response


def widget_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A help-center view that the brand's allowed origins (and only they) may frame."""

    @xframe_options_exempt
    @help_center_view
    @wraps(view)
    def wrapped(request: HttpRequest, site: Site, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, site, *args, **kwargs)
        ancestors = " ".join(["'self'", *site.brand.allowed_origins])
        response["Content-Security-Policy"] = f"frame-ancestors {ancestors}"
        return response

    return wrapped


def csrf_when_signed_in(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A panel form that works in a third-party iframe, checked against CSRF whenever that matters.

    On another site's page the browser neither stores nor sends the help desk's cookies (they are
    ``SameSite=Lax``), so an anonymous visitor has no CSRF cookie and every POST would be refused.
    Such a request carries no session, hence no authority to forge: it may do only what the public
    API lets anyone do (behind the same honeypot, rate limit and proof of work). A request that does
    carry a signed-in session also carries the CSRF cookie, and is checked as usual.
    """
    protected = csrf_protect(view)

    @csrf_exempt
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            return protected(request, *args, **kwargs)
        return view(request, *args, **kwargs)

    return wrapped


def _panel(
    request: HttpRequest, site: Site, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    """The partial for the panel's own HTMX requests, else the whole panel showing it."""
    if request.htmx:
        return page(request, site, template, context, status=status)
    return page(request, site, "portal/widget/frame.html", {**context, "inner": template}, status=status)


@widget_view
def home(request: HttpRequest, site: Site) -> HttpResponse:
    return _panel(request, site, "portal/widget/ask.html", {})


def bot_answers(site: Site, question: str) -> list[Any]:
    """The best-matching articles for a question, the weaker ones dropped; empty when nothing matches."""
    hits = kb.article_search(site.reader, question, language=None, limit=BOT_ANSWERS * 2)
    if not hits:
        return []
    floor = hits[0].score * BOT_RELATIVE_SCORE
    return [hit for hit in hits if hit.score >= floor][:BOT_ANSWERS]


@require_POST
@csrf_when_signed_in
@widget_view
def ask(request: HttpRequest, site: Site) -> HttpResponse:
    question = request.POST.get("q", "").strip()[:500]
    answers = (
        [(hit, article_path(site, hit.article)) for hit in bot_answers(site, question)] if question else []
    )
    context = {"question": question, "answers": answers, "knows": bool(answers)}
    return _panel(request, site, "portal/widget/answer.html", context)


@widget_view
def search(request: HttpRequest, site: Site) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:200]
    hits = kb.article_search(site.reader, q, language=None, limit=10) if q else []
    return _panel(request, site, "portal/widget/search.html", {"q": q, "hits": hits})


@widget_view
def suggest(request: HttpRequest, site: Site) -> HttpResponse:
    """Titles under the panel's search box as the visitor types; each one searches for itself."""
    q = request.GET.get("q", "").strip()[:200]
    return page(request, site, "portal/widget/suggestions.html", {"titles": suggestions(site, q), "q": q})


@widget_view
def article(request: HttpRequest, site: Site, article_id: int) -> HttpResponse:
    found = kb.article_for_reader(site.reader, article_id)
    if found is None:
        raise Http404
    from kefu.kb.services import kb_article_viewed

    if not site.agent:
        kb_article_viewed(article_id=found.pk)
    return _panel(
        request, site, "portal/widget/article.html", {"article": found, "path": article_path(site, found)}
    )


@csrf_when_signed_in
@widget_view
def ticket(request: HttpRequest, site: Site) -> HttpResponse:
    context = submit_context(request, site)
    if request.method != "POST":
        context["values"] = {
            "subject": request.GET.get("subject", "")[:255],
            "message": request.GET.get("message", ""),
        }
        return _panel(request, site, "portal/widget/ticket.html", context)
    data = submission_of(request, site, context)
    try:
        created = services.portal_ticket_submit(
            brand=site.brand, data=data, source=Source.WIDGET,
            contact=site.customer.contact if site.customer else None,
        )  # fmt: skip
    except ServiceError as error:
        context.update(errors=error.fields or {"form": error.message}, form_error=error.message)
        return _panel(request, site, "portal/widget/ticket.html", context, status=error.status_code)
    return _panel(request, site, "portal/widget/ticket_sent.html", {"ticket": created})


@widget_view
def tickets(request: HttpRequest, site: Site) -> HttpResponse:
    rows = list(selectors.customer_tickets(site.customer.contact)[:20]) if site.customer else []
    return _panel(request, site, "portal/widget/tickets.html", {"tickets": rows})
