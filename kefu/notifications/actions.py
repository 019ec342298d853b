"""Rule actions: send an email, an SMS or an in-app notification from a notification template.

``{"type": "notify_email", "template": "customer.ticket_closed", "to": ["contact", "ops@example.cn"]}``
(``notify_sms``: recipients are kinds or phone numbers; ``notify_in_app``: agent kinds only). Usable from
workflow rules and time rules (and whatever else runs the automation actions). The deliveries are
written in the rule's transaction and sent after its commit, with the same idempotency and rate
limit as every notification.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kefu.automation.actions.base import Action, ActionContext, Step, register_action, unknown_keys
from kefu.notifications import catalog
from kefu.notifications.models import Channel
from kefu.tickets.models import Ticket
from kefu.tickets.rules import current_cause

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^\+?[0-9][0-9 \-]{4,19}$")
MAX_RECIPIENTS = 20


class Notify(Action):
    channel: str = Channel.EMAIL
    kinds: tuple[str, ...] = ()

    def clean(self, data: dict[str, Any], path: str, errors: dict[str, str]) -> dict[str, Any] | None:
        if unknown_keys(data, {"template", "to"}, path, errors):
            return None
        key = data.get("template")
        if not isinstance(key, str) or catalog.get(key) is None:
            errors[f"{path}.template"] = _("Choose one of: %(choices)s.") % {
                "choices": ", ".join(kind.key for kind in catalog.all_types())
            }
            return None
        to = data.get("to")
        if not isinstance(to, list) or not to or len(to) > MAX_RECIPIENTS:
            errors[f"{path}.to"] = _("Give between 1 and %(count)d recipients.") % {"count": MAX_RECIPIENTS}
            return None
        kinds: list[str] = []
        literal: list[str] = []
        for index, item in enumerate(to):
            if isinstance(item, str) and item in self.kinds:
                kinds.append(item)
            elif isinstance(item, str) and self._literal(item.strip()):
                literal.append(item.strip())
            else:
                errors[f"{path}.to[{index}]"] = _("Not a recipient: choose from %(choices)s%(more)s.") % {
                    "choices": ", ".join(self.kinds),
                    "more": self._more(),
                }
                return None
        return {"template": key, "to": list(dict.fromkeys([*kinds, *literal]))}

    def _literal(self, value: str) -> bool:
        if self.channel == Channel.EMAIL:
            return bool(_EMAIL.match(value))
        if self.channel == Channel.SMS:
            return bool(_PHONE.match(value))
        return False

    def _more(self) -> str:
        if self.channel == Channel.EMAIL:
            return _(", or an email address")
        if self.channel == Channel.SMS:
            return _(", or a phone number")
        return ""

    def plan(self, ticket: Ticket, data: dict[str, Any]) -> list[Step]:
        return [
            {
                "field": f"notify_{self.channel}",
                "old": None,
                "new": {"template": data["template"], "to": data["to"]},
            }
        ]

    def apply(self, ticket: Ticket, data: dict[str, Any], context: ActionContext) -> None:
        from kefu.notifications.services.dispatch import _ticket, explicit_recipients, notify

        fresh = _ticket(ticket.pk)
        if fresh is None:
            return
        kinds = [item for item in data["to"] if item in self.kinds]
        literal = [item for item in data["to"] if item not in self.kinds]
        recipients = explicit_recipients(fresh, kinds=kinds, addresses=literal, channel=self.channel)
        cause = current_cause() or uuid.uuid4().hex
        notify(
            key=f"r{context.actor.id}:{cause}:{self.type}:{data['template']}"[:120],
            ticket=fresh,
            notification=data["template"],
            recipients_override=recipients,
        )

    def editor(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "label": str(self.label),
            "template_label": _("Notification template"),
            "to_label": _("Recipients"),
            "to_hint": ", ".join(self.kinds) + self._more(),
            "templates": [{"value": kind.key, "label": str(kind.label)} for kind in catalog.all_types()],
            "recipients": [
                {"value": kind, "label": str(catalog.RECIPIENT_LABELS[kind])} for kind in self.kinds
            ],
        }


class NotifyEmail(Notify):
    type = "notify_email"
    label = gettext_lazy("Send an email from a notification template")
    channel = Channel.EMAIL
    kinds = (
        catalog.CONTACT,
        catalog.CC,
        catalog.ASSIGNEE,
        catalog.TEAM,
        catalog.FOLLOWERS,
        catalog.SUPERVISORS,
    )


class NotifySms(Notify):
    type = "notify_sms"
    label = gettext_lazy("Send an SMS from a notification template")
    channel = Channel.SMS
    kinds = (catalog.CONTACT, catalog.CC)


class NotifyInApp(Notify):
    type = "notify_in_app"
    label = gettext_lazy("Send an in-app notification from a notification template")
    channel = Channel.IN_APP
    kinds = (catalog.ASSIGNEE, catalog.TEAM, catalog.FOLLOWERS, catalog.SUPERVISORS)


def register() -> None:
    for action in (NotifyEmail(), NotifySms(), NotifyInApp()):
        register_action(action, replace=True)
