"""Reads of notifications: the rules of a department as they apply, templates, an agent's inbox."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from kefu.notifications import catalog
from kefu.notifications.models import (
    Channel,
    Notification,
    NotificationPreference,
    NotificationRule,
    NotificationTemplate,
)
from kefu.notifications.services.dispatch import agent_channels
from kefu.org.models import User


@dataclass(frozen=True)
class RuleView:
    """A notification as it applies in a department: its row's settings, else the catalogue's."""

    department_id: int
    event: str
    audience: str
    label: str
    enabled: bool
    recipients: list[str]
    addresses: list[str]
    channels: list[str]
    recipient_choices: tuple[str, ...]


def rules_for_department(department_id: int) -> list[RuleView]:
    rows = {rule.event: rule for rule in NotificationRule.objects.filter(department_id=department_id)}
    views = []
    for kind in catalog.all_types():
        row = rows.get(kind.key)
        views.append(
            RuleView(
                department_id=department_id,
                event=kind.key,
                audience=kind.audience,
                label=str(kind.label),
                enabled=row.enabled if row is not None else kind.enabled,
                recipients=list(row.recipients) if row is not None else list(kind.default_recipients),
                addresses=list(row.addresses) if row is not None else [],
                channels=list(row.channels or [Channel.EMAIL]) if row is not None else [Channel.EMAIL],
                recipient_choices=kind.recipient_kinds,
            )
        )
    return views


def rule_view(department_id: int, event: str) -> RuleView | None:
    return next((view for view in rules_for_department(department_id) if view.event == event), None)


def template_list(*, event: str | None = None, language: str | None = None) -> QuerySet[NotificationTemplate]:
    queryset = NotificationTemplate.objects.all()
    if event:
        queryset = queryset.filter(event=event)
    if language:
        queryset = queryset.filter(language=language)
    return queryset.order_by("event", "language", "id")


def template_get(template_id: int) -> NotificationTemplate | None:
    return NotificationTemplate.objects.filter(pk=template_id).first()


def notification_list(user: User, *, unread_only: bool = False) -> QuerySet[Notification]:
    queryset = Notification.objects.filter(user=user)
    return queryset.filter(read_at__isnull=True) if unread_only else queryset


def unread_count(user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def preference_for(user: User) -> tuple[dict[str, list[str]], NotificationPreference | None]:
    """Per agent notification, the channels the agent gets it through (chosen or default)."""
    preference = NotificationPreference.objects.filter(user=user).first()
    channels = {
        kind.key: agent_channels(preference, kind.key)
        for kind in catalog.all_types()
        if kind.audience != "customer"
    }
    return channels, preference
