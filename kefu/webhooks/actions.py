"""``{"type": "webhook", "webhook_id": 3}``: post the ticket to a webhook (workflow and time rules).

The subscription gives the URL, the secret and the on/off switch; the payload's ``event`` is
``rule.webhook`` with the rule and the ticket as it is after the rule's change. The delivery is written in
the rule's transaction and sent after the commit, with the same retries and log as any other.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kefu.automation.actions.base import Action, ActionContext, Step, register_action, unknown_keys
from kefu.tickets.models import Ticket
from kefu.webhooks.models import WebhookSubscription
from kefu.webhooks.services import rule_delivery_create


class PostWebhook(Action):
    type = "webhook"
    label = gettext_lazy("Post a webhook")

    def clean(self, data: dict[str, Any], path: str, errors: dict[str, str]) -> dict[str, Any] | None:
        if unknown_keys(data, {"webhook_id"}, path, errors):
            return None
        raw = data.get("webhook_id")
        if isinstance(raw, str) and raw.isdigit():
            raw = int(raw)
        if (
            not isinstance(raw, int)
            or isinstance(raw, bool)
            or not WebhookSubscription.objects.filter(pk=raw).exists()
        ):
            errors[f"{path}.webhook_id"] = _("Choose a webhook.")
            return None
        return {"webhook_id": raw}

    def plan(self, ticket: Ticket, data: dict[str, Any]) -> list[Step]:
        subscription = WebhookSubscription.objects.filter(pk=data["webhook_id"]).first()
        if subscription is None or not subscription.enabled:
            return []
        return [{"field": "webhook", "old": None, "new": subscription.name}]

    def apply(self, ticket: Ticket, data: dict[str, Any], context: ActionContext) -> None:
        rule_delivery_create(actor=context.actor, ticket=ticket, subscription_id=data["webhook_id"])

    def editor(self) -> dict[str, Any]:
        choices = [
            {"value": s.pk, "label": s.name} for s in WebhookSubscription.objects.order_by("name", "id")
        ]
        return {**super().editor(), "inputs": [{"key": "webhook_id", "kind": "choice", "choices": choices}]}


register_action(PostWebhook())
