"""Creating, changing and deleting webhook subscriptions (administrators only)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from kefu.automation.criteria import clean as clean_criteria
from kefu.core.actors import Actor, Source
from kefu.core.audit import audit_record
from kefu.core.errors import PermissionDenied, ValidationFailed
from kefu.org import permissions
from kefu.org.selectors import agent_access
from kefu.webhooks.events import WEBHOOK_EVENTS, is_ticket_event
from kefu.webhooks.inputs import WebhookInput
from kefu.webhooks.models import DisabledReason, WebhookSubscription
from kefu.webhooks.network import TargetRefused, check_target
from kefu.webhooks.signing import new_secret

MAX_NAME = 200
MAX_URL = 2000


def authorize_webhooks(actor: Actor) -> None:
    """Webhooks send the help desk's data elsewhere: only agents with the settings right manage them."""
    if not (actor.is_agent and agent_access(actor.user).can(permissions.SETTINGS_MANAGE)):
        raise PermissionDenied(_("You do not have permission to do this."))


def has_condition(criteria: dict[str, Any]) -> bool:
    return any("field" in item or has_condition(item) for items in criteria.values() for item in items)


def _clean(data: WebhookInput, current: WebhookSubscription | None) -> dict[str, Any]:
    given = data.given if current is not None else None
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}

    def wanted(name: str) -> bool:
        return given is None or name in given

    if wanted("name"):
        name = (data.name or "").strip()
        if not name:
            errors["name"] = _("This field is required.")
        elif len(name) > MAX_NAME:
            errors["name"] = _("Enter at most %(limit)d characters.") % {"limit": MAX_NAME}
        values["name"] = name
    if wanted("url"):
        url = (data.url or "").strip()
        if not url:
            errors["url"] = _("This field is required.")
        elif len(url) > MAX_URL:
            errors["url"] = _("Enter at most %(limit)d characters.") % {"limit": MAX_URL}
        else:
            try:
                check_target(url)
            except TargetRefused as exc:
                errors["url"] = str(exc)
        values["url"] = url
    event_types = current.event_types if current is not None else []
    if wanted("event_types"):
        raw = data.event_types if data.event_types is not None else []
        known = {member.value for member in WEBHOOK_EVENTS}
        if not isinstance(raw, list) or not all(isinstance(item, str) for item in raw):
            errors["event_types"] = _("Give a list of event types.")
            event_types = []
        else:
            unknown = sorted(set(raw) - known)
            if unknown:
                errors["event_types"] = _("Unknown event type: %(types)s. Choose from: %(choices)s.") % {
                    "types": ", ".join(unknown),
                    "choices": ", ".join(sorted(known)),
                }
            event_types = [member.value for member in WEBHOOK_EVENTS if member.value in set(raw)]
        values["event_types"] = event_types
    criteria = current.criteria if current is not None else {"all": []}
    if wanted("criteria"):
        criteria, criteria_errors = clean_criteria(data.criteria, allow_changes=False)
        errors.update(criteria_errors)
        values["criteria"] = criteria
    if (
        "criteria" not in errors
        and "event_types" not in errors
        and has_condition(criteria or {"all": []})
        and any(not is_ticket_event(value) for value in event_types)
    ):
        errors["criteria"] = _("Conditions are about tickets: choose ticket events only, or no conditions.")
    if wanted("enabled"):
        values["enabled"] = bool(data.enabled)
    if errors:
        raise ValidationFailed(_("The webhook is not valid."), fields=errors)
    return values


@transaction.atomic
def webhook_create(*, actor: Actor, source: Source, data: WebhookInput) -> WebhookSubscription:
    """A new subscription with a new secret (``subscription.secret``: show it to the creator once)."""
    authorize_webhooks(actor)
    values = _clean(data, None)
    subscription = WebhookSubscription.objects.create(secret=new_secret(), **values)
    audit_record(
        actor=actor,
        source=source,
        action="webhook.created",
        obj=subscription,
        changes={key: {"from": None, "to": value} for key, value in values.items()},
    )
    return subscription


@transaction.atomic
def webhook_update(
    *, actor: Actor, source: Source, subscription: WebhookSubscription, data: WebhookInput
) -> WebhookSubscription:
    """Change what ``data.given`` names. Turning a subscription on clears its failure streak."""
    authorize_webhooks(actor)
    values = _clean(data, subscription)
    changes: dict[str, Any] = {}
    for key, value in values.items():
        if getattr(subscription, key) != value:
            changes[key] = {"from": getattr(subscription, key), "to": value}
            setattr(subscription, key, value)
    if "enabled" in changes:
        if subscription.enabled:
            subscription.disabled_reason = DisabledReason.NONE
            subscription.failing_since = None
            subscription.admins_notified_at = None
        else:
            subscription.disabled_reason = DisabledReason.MANUAL
    if changes:
        subscription.save()
        audit_record(actor=actor, source=source, action="webhook.updated", obj=subscription, changes=changes)
    return subscription


@transaction.atomic
def webhook_secret_regenerate(*, actor: Actor, source: Source, subscription: WebhookSubscription) -> str:
    """A new signing secret, effective for the next attempt; returns it (shown once)."""
    authorize_webhooks(actor)
    secret = new_secret()
    subscription.secret = secret
    subscription.save(update_fields=["secret", "updated_at"])
    audit_record(
        actor=actor,
        source=source,
        action="webhook.secret_regenerated",
        obj=subscription,
        changes={"secret": {"from": "…", "to": "…"}},
    )
    return secret


@transaction.atomic
def webhook_delete(*, actor: Actor, source: Source, subscription: WebhookSubscription) -> None:
    """Delete the subscription and its delivery log."""
    authorize_webhooks(actor)
    audit_record(
        actor=actor,
        source=source,
        action="webhook.deleted",
        obj=subscription,
        changes={"name": {"from": subscription.name, "to": None}},
    )
    subscription.delete()
