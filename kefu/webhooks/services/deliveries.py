"""Deliveries: made from outbox events (or by a rule), sent by workers, retried for a day, logged.

The outbox consumer :func:`deliveries_for_events` writes one ``WebhookDelivery`` per matching
subscription and event in the relay's transaction; the unique (subscription, event) pair makes a
redelivered event a no-op. After the commit a task sends each delivery (:func:`delivery_send`); a failed
attempt schedules the next one with exponential back-off (:func:`retry_delay`), which beat picks up
(:func:`deliveries_send_due`) until the receiver answers 2xx or 24 hours have passed. A subscription
whose attempts have failed for a day without a success is disabled and the administrators get an email
(:func:`disabled_notices_send`).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import time
import uuid
from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kefu.automation.criteria import Facts, matches
from kefu.core.actors import Actor, Source
from kefu.core.audit import audit_record
from kefu.core.errors import Conflict
from kefu.core.events import Event
from kefu.org import permissions
from kefu.org.selectors import agent_list
from kefu.tickets.models import Ticket
from kefu.webhooks.events import RULE_EVENT, is_ticket_event
from kefu.webhooks.models import (
    DeliveryStatus,
    DisabledReason,
    WebhookAttempt,
    WebhookDelivery,
    WebhookSubscription,
)
from kefu.webhooks.network import TargetRefused, check_target
from kefu.webhooks.services.subscriptions import authorize_webhooks, has_condition
from kefu.webhooks.signing import HEADER, header_value

logger = logging.getLogger(__name__)

GIVE_UP_AFTER = dt.timedelta(hours=24)
DISABLE_AFTER = dt.timedelta(hours=24)
CLAIM_FOR = dt.timedelta(minutes=2)
# A fresh delivery is its own task's business; beat sends it if that task was lost.
LEFT_BEHIND_AFTER = dt.timedelta(seconds=60)
MAX_RESPONSE_BODY = 2000
USER_AGENT = "Kefu-Webhooks/1"


def retry_delay(attempts: int) -> dt.timedelta:
    """The pause after the ``attempts``-th failure: 1, 2, 4, 8 … minutes, at most 4 hours."""
    return dt.timedelta(seconds=min(60 * 2 ** max(attempts - 1, 0), 4 * 3600))


# --- making deliveries -------------------------------------------------------------------------------


def _ticket_snapshot(ticket: Ticket) -> dict[str, Any]:
    return {
        "id": ticket.pk,
        "number": ticket.number,
        "display_number": ticket.shown_number,
        "subject": ticket.subject,
        "status": {
            "id": ticket.status_id,
            "name": ticket.status.name,
            "type": str(ticket.status.status_type),
        },
        "priority": {"id": ticket.priority_id, "name": ticket.priority.name},
        "department": {"id": ticket.department_id, "name": ticket.department.name},
        "team_id": ticket.team_id,
        "assignee_id": ticket.assignee_id,
        "contact_id": ticket.contact_id,
        "url": settings.KEFU_SITE_URL + reverse("tickets:detail", args=[ticket.pk]),
    }


def _tickets(ids: Iterable[int]) -> dict[int, Ticket]:
    wanted = {ticket_id for ticket_id in ids if ticket_id}
    if not wanted:
        return {}
    rows = Ticket.objects.filter(pk__in=wanted, deleted_at__isnull=True).select_related(
        "status", "priority", "department"
    )
    return {ticket.pk: ticket for ticket in rows}


def _body(*, uid: str, event: str, event_id: int | None, at: dt.datetime, data: Any, **extra: Any) -> str:
    return json.dumps(
        {
            "id": uid,
            "event": event,
            "event_id": event_id,
            "created_at": at.isoformat(),
            **extra,
            "data": data,
        },
        ensure_ascii=False,
        default=str,
        separators=(",", ":"),
    )


def _queue(ids: Sequence[int]) -> None:
    if not ids:
        return
    from kefu.webhooks.tasks import send_deliveries

    def queue() -> None:
        try:
            send_deliveries.delay(list(ids))
        except Exception:
            logger.exception("could not queue webhook deliveries %s; beat will send them", list(ids)[:10])

    transaction.on_commit(queue)


def _meets(
    subscription: WebhookSubscription, ticket: Ticket | None, criteria: dict[str, Any], facts: Any
) -> bool:
    """Whether the event's ticket meets the subscription's conditions. A condition that cannot be evaluated
    any more (a custom field deleted since, say) counts as not met, logged: it must not hold back the
    other subscriptions' deliveries of the batch."""
    if ticket is None:
        return False
    try:
        return matches(ticket, criteria, facts=facts)
    except Exception:
        logger.exception(
            "webhook %s: its conditions could not be evaluated on ticket %s", subscription.pk, ticket.pk
        )
        return False


def deliveries_for_events(events: list[Event]) -> list[int]:
    """The outbox consumer: one delivery per enabled subscription of each event's type whose conditions
    the event's ticket meets; returns the ids of the deliveries made (none for a redelivered event)."""
    subscriptions = list(WebhookSubscription.objects.filter(enabled=True))
    if not subscriptions:
        return []
    now = timezone.now()
    tickets = _tickets(
        int(event.payload["ticket_id"])
        for event in events
        if is_ticket_event(event.type.value) and isinstance(event.payload.get("ticket_id"), int)
    )
    rows: list[WebhookDelivery] = []
    for event in events:
        wanted = [s for s in subscriptions if event.type.value in s.event_types]
        if not wanted:
            continue
        ticket_id = event.payload.get("ticket_id") if is_ticket_event(event.type.value) else None
        ticket = tickets.get(ticket_id) if isinstance(ticket_id, int) else None
        facts = Facts(ticket, now=now) if ticket is not None else None
        snapshot = _ticket_snapshot(ticket) if ticket is not None else None
        for subscription in wanted:
            criteria = subscription.criteria or {"all": []}
            if has_condition(criteria) and not _meets(subscription, ticket, criteria, facts):
                continue
            uid = uuid.uuid4()
            extra: dict[str, Any] = {"ticket": snapshot} if ticket_id is not None else {}
            rows.append(
                WebhookDelivery(
                    uid=uid,
                    subscription=subscription,
                    event_id=event.id,
                    event_type=event.type.value,
                    ticket_id=ticket_id if isinstance(ticket_id, int) else None,
                    body=_body(
                        uid=str(uid),
                        event=event.type.value,
                        event_id=event.id,
                        at=event.created_at,
                        data=dict(event.payload),
                        **extra,
                    ),
                    created_at=now,
                    next_attempt_at=now + LEFT_BEHIND_AFTER,
                )
            )
    if not rows:
        return []
    WebhookDelivery.objects.bulk_create(rows, ignore_conflicts=True)
    made = list(
        WebhookDelivery.objects.filter(uid__in=[row.uid for row in rows]).values_list("pk", flat=True)
    )
    _queue(made)
    return made


def rule_delivery_create(*, actor: Actor, ticket: Ticket, subscription_id: int) -> WebhookDelivery | None:
    """A rule's "post a webhook": the ticket as it is now, to the subscription (if it is enabled).

    Made in the rule's transaction, so it exists exactly when the change does; sent after the commit.
    """
    subscription = WebhookSubscription.objects.filter(pk=subscription_id, enabled=True).first()
    if subscription is None:
        return None
    ticket = Ticket.objects.select_related("status", "priority", "department").get(pk=ticket.pk)
    now = timezone.now()
    uid = uuid.uuid4()
    delivery = WebhookDelivery.objects.create(
        uid=uid,
        subscription=subscription,
        event_type=RULE_EVENT,
        ticket_id=ticket.pk,
        body=_body(
            uid=str(uid),
            event=RULE_EVENT,
            event_id=None,
            at=now,
            data={"rule": {"kind": actor.kind.value, "id": actor.id, "name": actor.name}},
            ticket=_ticket_snapshot(ticket),
        ),
        created_at=now,
        next_attempt_at=now + LEFT_BEHIND_AFTER,
    )
    _queue([delivery.pk])
    return delivery


@transaction.atomic
def delivery_redeliver(*, actor: Actor, source: Source, delivery: WebhookDelivery) -> WebhookDelivery:
    """ "Send again": a new delivery of the same body to the same subscription (its own log entry)."""
    authorize_webhooks(actor)
    subscription = delivery.subscription
    if not subscription.enabled:
        raise Conflict(_("The webhook is turned off; turn it on to send again."))
    now = timezone.now()
    again = WebhookDelivery.objects.create(
        subscription=subscription,
        event_type=delivery.event_type,
        ticket_id=delivery.ticket_id,
        body=delivery.body,
        redelivery_of=delivery,
        created_at=now,
        next_attempt_at=now + LEFT_BEHIND_AFTER,
    )
    audit_record(
        actor=actor,
        source=source,
        action="webhook.redelivered",
        obj=subscription,
        changes={"delivery": {"from": delivery.pk, "to": again.pk}},
    )
    _queue([again.pk])
    return again


# --- sending -----------------------------------------------------------------------------------------

_SENDABLE = Q(status__in=[DeliveryStatus.PENDING, DeliveryStatus.RETRYING])


def _claim(delivery_id: int, now: dt.datetime) -> bool:
    free = Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
    return (
        WebhookDelivery.objects.filter(_SENDABLE & free, pk=delivery_id).update(claimed_until=now + CLAIM_FOR)
        == 1
    )


def _pinned_request(
    target: Any, body: bytes, headers: dict[str, str]
) -> tuple[str, dict[str, str], dict[str, Any]]:
    """The URL with the checked address in place of the name, the Host header, and TLS's server name."""
    parts = urlsplit(target.url)
    address = f"[{target.address}]" if ":" in target.address else target.address
    netloc = f"{address}:{parts.port}" if parts.port else address
    pinned = urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, ""))
    host_header = parts.netloc.rsplit("@", 1)[-1]
    extensions: dict[str, Any] = {}
    if target.scheme == "https":
        extensions["sni_hostname"] = target.host
    return pinned, {**headers, "Host": host_header}, extensions


def _attempt(delivery: WebhookDelivery, now: dt.datetime) -> WebhookAttempt:
    subscription = delivery.subscription
    body = delivery.body.encode()
    timestamp = int(now.timestamp())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "X-Kefu-Event": delivery.event_type,
        "X-Kefu-Delivery": str(delivery.uid),
        HEADER: header_value(subscription.secret, timestamp, body),
    }
    attempt = WebhookAttempt(delivery=delivery, at=now, request_headers=headers)
    try:
        target = check_target(subscription.url)
    except TargetRefused as exc:
        attempt.error = str(exc)
        return attempt
    url, sent_headers, extensions = _pinned_request(target, body, headers)
    started = time.monotonic()
    try:
        with httpx.Client(
            trust_env=False, follow_redirects=False, timeout=settings.KEFU_WEBHOOK_TIMEOUT
        ) as client:
            request = client.build_request(
                "POST", url, content=body, headers=sent_headers, extensions=extensions
            )
            response = client.send(request, stream=True)
            try:
                attempt.response_status = response.status_code
                attempt.response_body = _start_of(response)
            finally:
                response.close()
    except httpx.HTTPError as exc:
        attempt.error = f"{type(exc).__name__}: {exc}"[:2000]
    attempt.latency_ms = int((time.monotonic() - started) * 1000)
    return attempt


def _start_of(response: httpx.Response) -> str:
    """The first characters of the answer, without reading more than a few kilobytes of it."""
    taken = b""
    for chunk in response.iter_bytes():
        taken += chunk
        if len(taken) >= MAX_RESPONSE_BODY * 4:
            break
    return taken.decode(response.encoding or "utf-8", errors="replace")[:MAX_RESPONSE_BODY]


def delivery_send(delivery_id: int, *, now: dt.datetime | None = None) -> str | None:
    """One attempt at ``delivery_id`` if it is still to be sent and nobody else is sending it; returns its
    status after the attempt (``None``: nothing to do)."""
    now = now or timezone.now()
    if not _claim(delivery_id, now):
        return None
    delivery = WebhookDelivery.objects.select_related("subscription").get(pk=delivery_id)
    subscription = delivery.subscription
    if not subscription.enabled:
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            status=DeliveryStatus.FAILED,
            claimed_until=None,
            next_attempt_at=None,
            error=_("The webhook is turned off."),
        )
        return DeliveryStatus.FAILED
    attempt = _attempt(delivery, now)
    ok = attempt.response_status is not None and 200 <= attempt.response_status < 300
    attempts = delivery.attempts + 1
    if ok:
        status, next_at = DeliveryStatus.SUCCEEDED, None
    elif now - delivery.created_at >= GIVE_UP_AFTER:
        status, next_at = DeliveryStatus.FAILED, None
    else:
        status, next_at = DeliveryStatus.RETRYING, now + retry_delay(attempts)
    error = attempt.error or (
        "" if ok else _("The receiver answered %(status)s.") % {"status": attempt.response_status}
    )
    with transaction.atomic():
        attempt.save()
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            status=status,
            attempts=attempts,
            next_attempt_at=next_at,
            claimed_until=None,
            last_attempt_at=now,
            response_status=attempt.response_status,
            latency_ms=attempt.latency_ms,
            error=error,
        )
        _record_outcome(subscription.pk, ok=ok, now=now)
    return status


def _record_outcome(subscription_id: int, *, ok: bool, now: dt.datetime) -> None:
    if ok:
        WebhookSubscription.objects.filter(pk=subscription_id).update(last_success_at=now, failing_since=None)
        return
    WebhookSubscription.objects.filter(pk=subscription_id, failing_since__isnull=True).update(
        failing_since=now
    )
    WebhookSubscription.objects.filter(pk=subscription_id).update(last_failure_at=now)
    disabled = WebhookSubscription.objects.filter(
        pk=subscription_id, enabled=True, failing_since__lte=now - DISABLE_AFTER
    ).update(enabled=False, disabled_reason=DisabledReason.FAILING, admins_notified_at=None)
    if disabled:
        logger.warning("webhook %s failed for a day and was disabled", subscription_id)
        from kefu.webhooks.tasks import notify_disabled

        transaction.on_commit(lambda: notify_disabled.delay())


def deliveries_send_due(*, now: dt.datetime | None = None, limit: int = 200) -> int:
    """Beat: one attempt at every delivery whose next attempt is due; returns how many were tried."""
    now = now or timezone.now()
    due = list(
        WebhookDelivery.objects.filter(_SENDABLE, next_attempt_at__lte=now)
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
    tried = 0
    for delivery_id in due:
        if delivery_send(delivery_id, now=now) is not None:
            tried += 1
    return tried


# --- telling administrators --------------------------------------------------------------------------


def _administrators() -> list[tuple[str, str]]:
    """(email, language) of every active agent with the settings right."""
    found: list[tuple[str, str]] = []
    for agent in agent_list():
        user = agent.user
        if not user.is_active or not user.email:
            continue
        if user.is_superuser or permissions.SETTINGS_MANAGE in (agent.role.permissions or []):
            found.append((user.email, agent.language or settings.LANGUAGE_CODE))
    return found


def disabled_notices_send() -> int:
    """Email the administrators once about each subscription disabled for failing; returns how many."""
    pending = list(
        WebhookSubscription.objects.filter(
            enabled=False, disabled_reason=DisabledReason.FAILING, admins_notified_at__isnull=True
        ).values_list("pk", flat=True)
    )
    sent = 0
    admins = _administrators() if pending else []
    for subscription_id in pending:
        now = timezone.now()
        claimed = WebhookSubscription.objects.filter(
            pk=subscription_id, admins_notified_at__isnull=True
        ).update(admins_notified_at=now)
        if not claimed:
            continue
        subscription = WebhookSubscription.objects.get(pk=subscription_id)
        link = settings.KEFU_SITE_URL + reverse("webhooks:detail", args=[subscription.pk])
        for email, language in admins:
            with translation.override(language):
                subject = _("Webhook “%(name)s” was turned off") % {"name": subscription.name}
                text = _(
                    "The webhook “%(name)s” (%(url)s) has failed every delivery for a day, so Kefu turned it "
                    "off. Last error: %(error)s\n\nCheck the receiver, then turn the webhook on again and "
                    "send the failed deliveries again: %(link)s"
                ) % {
                    "name": subscription.name,
                    "url": subscription.url,
                    "error": _last_error(subscription) or "—",
                    "link": link,
                }
            try:
                send_mail(subject, text, None, [email])
            except Exception:
                logger.exception("could not email %s about webhook %s", email, subscription.pk)
        sent += 1
    return sent


def _last_error(subscription: WebhookSubscription) -> str:
    last = subscription.deliveries.exclude(error="").order_by("-last_attempt_at", "-id").first()
    return last.error if last is not None else ""
