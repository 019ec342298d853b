"""The public help-center API (for the widget and customers' own sites) and the agents' ``/brands``.

``/api/v1/public/<slug>/…`` needs no key and shows only what an anonymous visitor of the brand's help
center sees. A browser may call it from the brand's allowed origins only (CORS); a request from any
other web origin is refused, so another site cannot use a visitor's browser to send tickets.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from kefu.core.actors import Source
from kefu.core.api_types import ERRORS, Id
from kefu.core.errors import PermissionDenied
from kefu.core.idempotency import idempotent
from kefu.kb import selectors as kb
from kefu.org.selectors import agent_access
from kefu.org.services.brands import brand_create, brand_update
from kefu.portal import selectors, services
from kefu.portal.schemas import (
    BrandIn,
    BrandOut,
    BrandPatch,
    ProofOut,
    PublicArticleOut,
    PublicTicketIn,
    PublicTicketOut,
    SearchIn,
    SearchOut,
    brand_out,
)

public_router = Router(tags=["public help center"], auth=None)
brands_router = Router(tags=["brands"])
CORS_HEADERS = "Content-Type, Idempotency-Key"


def allowed_origin(request: HttpRequest, brand: Any) -> str | None:
    """The request's ``Origin`` if the brand allows it; refuse any other web origin outright."""
    origin = request.headers.get("Origin")
    if not origin:
        return None
    same_site = origin in (f"http://{request.get_host()}", f"https://{request.get_host()}")
    if origin in brand.allowed_origins or same_site:
        return origin
    raise PermissionDenied(_("This web site may not use the help center of this brand."))


def _cors(response: HttpResponse, origin: str | None) -> None:
    if origin:
        response["Access-Control-Allow-Origin"] = origin
        response["Vary"] = "Origin"


def _site(request: HttpRequest, slug: str, response: HttpResponse) -> Any:
    brand = selectors.brand_by_slug(slug)
    if brand is None or not selectors.help_center_of(brand).is_enabled:
        raise Http404
    _cors(response, allowed_origin(request, brand))
    return brand


def article_url(request: HttpRequest, brand: Any, article: Any) -> str:
    return request.build_absolute_uri(
        reverse("portal:article-slug", args=[brand.slug, article.pk, article.slug or "-"])
    )


@public_router.get("/{slug}/search", response={200: SearchOut, **ERRORS}, summary="Search a brand's articles")
def public_search(
    request: HttpRequest, slug: str, filters: Query[SearchIn], response: HttpResponse
) -> dict[str, Any]:
    """Published articles everyone may read, best match first, with a highlighted snippet."""
    brand = _site(request, slug, response)
    reader = kb.Reader(brand_id=brand.pk)
    hits = kb.article_search(reader, filters.q, language=filters.language, limit=filters.limit)
    return {
        "items": [
            {"type": "article", "id": hit.article.pk, "title": hit.article.title,
             "url": article_url(request, brand, hit.article), "snippet": hit.snippet_html}
            for hit in hits
        ]
    }  # fmt: skip


@public_router.get(
    "/{slug}/articles/{article_id}", response={200: PublicArticleOut, **ERRORS}, summary="A public article"
)
def public_article(request: HttpRequest, slug: str, article_id: Id, response: HttpResponse) -> dict[str, Any]:
    brand = _site(request, slug, response)
    article = kb.article_for_reader(kb.Reader(brand_id=brand.pk), article_id)
    if article is None:
        raise Http404
    return {
        "id": article.pk, "title": article.title, "summary": article.summary, "body": article.body,
        "language": article.language, "url": article_url(request, brand, article),
        "section_id": article.section_id, "tags": list(article.tags), "updated_at": article.updated_at,
    }  # fmt: skip


@public_router.get("/{slug}/proof", response={200: ProofOut, **ERRORS}, summary="A proof-of-work challenge")
def public_proof(request: HttpRequest, slug: str, response: HttpResponse) -> dict[str, Any]:
    """Needed by ``POST …/tickets`` when the help center asks for a proof of work."""
    _site(request, slug, response)
    return {"challenge": services.proof_challenge(), "bits": 14}


@public_router.post("/{slug}/tickets", response={201: PublicTicketOut, **ERRORS}, summary="Submit a ticket")
def public_ticket(
    request: HttpRequest, slug: str, payload: PublicTicketIn, response: HttpResponse
) -> Status[dict[str, Any]]:
    """Open a ticket as the customer with this email; its channel is ``portal`` or ``widget``."""
    brand = _site(request, slug, response)
    source = Source.WIDGET if payload.channel == "widget" else Source.PORTAL

    def create() -> tuple[int, dict[str, Any]]:
        ticket = services.portal_ticket_submit(
            brand=brand,
            source=source,
            data=services.SubmissionInput(
                subject=payload.subject, message=payload.message, name=payload.name, email=payload.email,
                department_id=payload.department_id, custom_fields=dict(payload.custom_fields), cc=payload.cc,
                honeypot=payload.website, proof_challenge=payload.proof.challenge if payload.proof else "",
                proof_nonce=payload.proof.nonce if payload.proof else "",
                ip_address=request.META.get("REMOTE_ADDR") or None, language=payload.language or "",
            ),
        )  # fmt: skip
        return 201, {
            "id": ticket.pk,
            "number": ticket.number,
            "subject": ticket.subject,
            "channel": ticket.channel,
        }

    return Status(*idempotent(request, create))


def preflight(request: HttpRequest, slug: str) -> HttpResponse:
    """The browsers' CORS preflight: allowed only for the brand's origins."""
    brand = selectors.brand_by_slug(slug)
    response = HttpResponse(status=204)
    origin = request.headers.get("Origin")
    if brand is not None and origin in brand.allowed_origins:
        _cors(response, origin)
        response["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
        response["Access-Control-Allow-Headers"] = CORS_HEADERS
        response["Access-Control-Max-Age"] = "600"
    return response


def article_preflight(request: HttpRequest, slug: str, article_id: int) -> HttpResponse:
    return preflight(request, slug)


for _path in ("/{slug}/search", "/{slug}/proof", "/{slug}/tickets"):
    public_router.api_operation(["OPTIONS"], _path, include_in_schema=False)(preflight)
public_router.api_operation(["OPTIONS"], "/{slug}/articles/{article_id}", include_in_schema=False)(
    article_preflight
)


# --- brands, for agents ---------------------------------------------------------------------------


def _agent(request: HttpRequest) -> Any:
    if not agent_access(request.auth).is_agent:
        raise PermissionDenied(_("Only agents can use this endpoint."))
    from kefu.core.actors import Actor

    return Actor.agent(request.auth)


@brands_router.get("", response={200: list[BrandOut], **ERRORS}, summary="Brands")
def list_brands(request: HttpRequest) -> list[dict[str, Any]]:
    _agent(request)
    return [brand_out(brand) for brand in selectors.brand_list()]


@brands_router.get("/{brand_id}", response={200: BrandOut, **ERRORS}, summary="A brand")
def get_brand(request: HttpRequest, brand_id: Id) -> dict[str, Any]:
    _agent(request)
    brand = selectors.brand_get(brand_id)
    if brand is None:
        raise Http404
    return brand_out(brand)


@brands_router.post("", response={201: BrandOut, **ERRORS}, summary="Add a brand (administrators)")
def create_brand(request: HttpRequest, payload: BrandIn) -> Status[dict[str, Any]]:
    actor = _agent(request)

    def create() -> tuple[int, dict[str, Any]]:
        brand = brand_create(actor=actor, source=Source.API, values=payload.dict())
        return 201, brand_out(selectors.brand_get(brand.pk))

    return Status(*idempotent(request, create))


@brands_router.patch(
    "/{brand_id}", response={200: BrandOut, **ERRORS}, summary="Change a brand (administrators)"
)
def update_brand(request: HttpRequest, brand_id: Id, payload: BrandPatch) -> dict[str, Any]:
    actor = _agent(request)
    brand = selectors.brand_get(brand_id)
    if brand is None:
        raise Http404
    changes = {k: v for k, v in payload.model_dump(exclude_unset=True).items() if v is not None}
    brand_update(actor=actor, source=Source.API, brand=brand, changes=changes)
    return brand_out(selectors.brand_get(brand_id))
