"""REST endpoints for webhook subscriptions (``/webhooks``) and their deliveries (administrators only)."""

# No ``from __future__ import annotations``: Ninja reads the schema classes the endpoints are built with.

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Query, Router, Status

from kefu.core.actors import Actor, Source
from kefu.core.api_types import ERRORS, Id
from kefu.core.idempotency import idempotent
from kefu.core.pagination import paginate
from kefu.webhooks import selectors, services
from kefu.webhooks.inputs import WebhookInput
from kefu.webhooks.schemas import (
    DeliveryListOut,
    DeliveryOut,
    ListIn,
    WebhookIn,
    WebhookListOut,
    WebhookOut,
    WebhookPatchIn,
)

router = Router(tags=["webhooks"])


def _actor(request: HttpRequest) -> Actor:
    actor = Actor.agent(request.auth)
    services.authorize_webhooks(actor)
    return actor


def webhook_out(subscription: Any, *, secret: str | None = None) -> dict[str, Any]:
    return {
        "id": subscription.pk,
        "name": subscription.name,
        "url": subscription.url,
        "event_types": subscription.event_types,
        "criteria": subscription.criteria or {"all": []},
        "enabled": subscription.enabled,
        "disabled_reason": subscription.disabled_reason,
        "failing_since": subscription.failing_since,
        "last_success_at": subscription.last_success_at,
        "last_failure_at": subscription.last_failure_at,
        "created_at": subscription.created_at,
        "updated_at": subscription.updated_at,
        "secret": secret,
    }


def delivery_out(delivery: Any, *, attempts: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": delivery.pk,
        "uid": str(delivery.uid),
        "event_type": delivery.event_type,
        "event_id": delivery.event_id,
        "ticket_id": delivery.ticket_id,
        "redelivery_of": delivery.redelivery_of_id,
        "status": delivery.status,
        "attempts": delivery.attempts,
        "next_attempt_at": delivery.next_attempt_at,
        "created_at": delivery.created_at,
        "last_attempt_at": delivery.last_attempt_at,
        "response_status": delivery.response_status,
        "latency_ms": delivery.latency_ms,
        "error": delivery.error,
        "request_body": delivery.body,
    }
    if attempts:
        out["attempt_log"] = [
            {
                "at": attempt.at,
                "response_status": attempt.response_status,
                "latency_ms": attempt.latency_ms,
                "error": attempt.error,
                "response_body": attempt.response_body,
            }
            for attempt in selectors.attempt_list(delivery)
        ]
    return out


def _subscription(webhook_id: int) -> Any:
    subscription = selectors.webhook_get(webhook_id)
    if subscription is None:
        raise Http404
    return subscription


@router.get("", response={200: WebhookListOut, **ERRORS}, summary="List webhooks")
def list_webhooks(request: HttpRequest, query: Query[ListIn]) -> dict[str, Any]:
    _actor(request)
    page = paginate(selectors.webhook_list(), sort="id", limit=query.limit, cursor=query.cursor)
    return {"items": [webhook_out(item) for item in page.items], "next_cursor": page.next_cursor}


@router.post("", response={201: WebhookOut, **ERRORS}, summary="Create a webhook")
def create_webhook(request: HttpRequest, payload: WebhookIn) -> Status[dict[str, Any]]:
    actor = _actor(request)

    def create() -> tuple[int, dict[str, Any]]:
        subscription = services.webhook_create(
            actor=actor,
            source=Source.API,
            data=WebhookInput(
                name=payload.name,
                url=payload.url,
                event_types=payload.event_types,
                criteria=payload.criteria,
                enabled=payload.enabled,
            ),
        )
        out = webhook_out(subscription, secret=subscription.secret)
        return 201, WebhookOut.model_validate(out).model_dump(mode="json")

    return Status(*idempotent(request, create))


@router.get("/{webhook_id}", response={200: WebhookOut, **ERRORS}, summary="Get a webhook")
def get_webhook(request: HttpRequest, webhook_id: Id) -> dict[str, Any]:
    _actor(request)
    return webhook_out(_subscription(webhook_id))


@router.patch("/{webhook_id}", response={200: WebhookOut, **ERRORS}, summary="Change a webhook")
def update_webhook(request: HttpRequest, webhook_id: Id, payload: WebhookPatchIn) -> dict[str, Any]:
    actor = _actor(request)
    subscription = _subscription(webhook_id)
    given = frozenset(payload.model_fields_set - {"regenerate_secret"})
    if given:
        subscription = services.webhook_update(
            actor=actor,
            source=Source.API,
            subscription=subscription,
            data=WebhookInput(
                name=payload.name or "",
                url=payload.url or "",
                event_types=payload.event_types,
                criteria=payload.criteria,
                enabled=bool(payload.enabled),
                given=given,
            ),
        )
    secret = None
    if payload.regenerate_secret:
        secret = services.webhook_secret_regenerate(actor=actor, source=Source.API, subscription=subscription)
    return webhook_out(subscription, secret=secret)


@router.delete("/{webhook_id}", response={204: None, **ERRORS}, summary="Delete a webhook")
def delete_webhook(request: HttpRequest, webhook_id: Id) -> Status[None]:
    actor = _actor(request)
    services.webhook_delete(actor=actor, source=Source.API, subscription=_subscription(webhook_id))
    return Status(204, None)


@router.get(
    "/{webhook_id}/deliveries",
    response={200: DeliveryListOut, **ERRORS},
    summary="List a webhook's deliveries",
)
def list_deliveries(request: HttpRequest, webhook_id: Id, query: Query[ListIn]) -> dict[str, Any]:
    _actor(request)
    subscription = _subscription(webhook_id)
    page = paginate(selectors.delivery_list(subscription), sort="-id", limit=query.limit, cursor=query.cursor)
    return {"items": [delivery_out(item) for item in page.items], "next_cursor": page.next_cursor}


@router.get(
    "/{webhook_id}/deliveries/{delivery_id}",
    response={200: DeliveryOut, **ERRORS},
    summary="Get a delivery with its attempts",
)
def get_delivery(request: HttpRequest, webhook_id: Id, delivery_id: Id) -> dict[str, Any]:
    _actor(request)
    delivery = selectors.delivery_get(_subscription(webhook_id), delivery_id)
    if delivery is None:
        raise Http404
    return delivery_out(delivery, attempts=True)


@router.post(
    "/{webhook_id}/deliveries/{delivery_id}/redeliver",
    response={202: DeliveryOut, **ERRORS},
    summary="Send a delivery again",
)
def redeliver(request: HttpRequest, webhook_id: Id, delivery_id: Id) -> Status[dict[str, Any]]:
    actor = _actor(request)
    delivery = selectors.delivery_get(_subscription(webhook_id), delivery_id)
    if delivery is None:
        raise Http404
    again = services.delivery_redeliver(actor=actor, source=Source.API, delivery=delivery)
    again.refresh_from_db()
    return Status(202, delivery_out(again))
