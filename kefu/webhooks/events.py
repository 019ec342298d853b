"""Which domain events a webhook may subscribe to.

Ticket, task, contact and knowledge-base events describe what happened to the help desk's data. Events
that carry one-time secrets for a person (an agent's invitation, a customer's verification or password
email) or the email channel's own bookkeeping are not offered.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from kefu.core.event_types import EventType

PUBLIC_PREFIXES = ("ticket.", "task.", "contact.", "kb.", "sla.")

WEBHOOK_EVENTS: tuple[EventType, ...] = tuple(
    member for member in EventType if member.value.startswith(PUBLIC_PREFIXES)
)
RULE_EVENT = "rule.webhook"
"""The ``event`` of a payload posted by a rule's "post a webhook" action."""


def is_ticket_event(value: str) -> bool:
    return value.startswith("ticket.")


def event_label(value: str) -> str:
    """The event in the viewer's language (the value itself for an event added since)."""
    label = _LABELS.get(value)
    return str(label) if label is not None else value


_LABELS = {
    "ticket.created": gettext_lazy("Ticket created"),
    "ticket.updated": gettext_lazy("Ticket updated"),
    "ticket.replied": gettext_lazy("Reply sent to the customer"),
    "ticket.message_received": gettext_lazy("Customer message received"),
    "ticket.commented": gettext_lazy("Comment added"),
    "ticket.attachment_added": gettext_lazy("Attachment added"),
    "ticket.followed": gettext_lazy("Ticket followed"),
    "ticket.delivery_updated": gettext_lazy("Email delivery status changed"),
    "ticket.deleted": gettext_lazy("Ticket deleted"),
    "ticket.merged": gettext_lazy("Tickets merged"),
    "ticket.merge_undone": gettext_lazy("Merge undone"),
    "ticket.split": gettext_lazy("Ticket split"),
    "contact.merged": gettext_lazy("Contacts merged"),
    "kb.article_changed": gettext_lazy("Knowledge base article changed"),
    "kb.article_deleted": gettext_lazy("Knowledge base article deleted"),
    "task.created": gettext_lazy("Task created"),
    "task.updated": gettext_lazy("Task updated"),
    "task.completed": gettext_lazy("Task completed"),
    "task.reopened": gettext_lazy("Task reopened"),
    "task.deleted": gettext_lazy("Task deleted"),
    RULE_EVENT: gettext_lazy("Posted by a rule"),
}
