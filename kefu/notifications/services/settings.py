"""Administrators' writes: notification rules per department and the templates; agents' preferences and
their in-app notifications (read / all read)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kefu.core.actors import Actor, ActorKind, Source
from kefu.core.audit import audit_record
from kefu.core.errors import NotFound, PermissionDenied, ValidationFailed
from kefu.notifications import catalog
from kefu.notifications.models import (
    Channel,
    Notification,
    NotificationPreference,
    NotificationRule,
    NotificationTemplate,
)
from kefu.notifications.rendering import Rendered, render, sample_context, template_errors
from kefu.org import permissions
from kefu.org.models import Department
from kefu.org.selectors import agent_access

MAX_SUBJECT = 300
MAX_BODY = 50_000
MAX_ADDRESSES = 20
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _require_admin(actor: Actor) -> None:
    if actor.kind is ActorKind.SYSTEM:
        return
    if not (actor.is_agent and agent_access(actor.user).can(permissions.SETTINGS_MANAGE)):
        raise PermissionDenied(_("Only administrators can change notifications."))


def _require_agent(actor: Actor) -> None:
    if not (actor.is_agent and agent_access(actor.user).is_agent):
        raise PermissionDenied(_("Only agents have notifications."))


# --- rules --------------------------------------------------------------------------------------


def rule_set(
    *,
    actor: Actor,
    source: Source,
    department_id: int,
    event: str,
    enabled: bool | None = None,
    recipients: Any = None,
    addresses: Any = None,
    channels: Any = None,
) -> NotificationRule:
    """Turn a notification on or off for a department and choose its recipients (``None``: unchanged)."""
    _require_admin(actor)
    kind = catalog.get(event)
    department = Department.objects.filter(pk=department_id).first()
    errors: dict[str, str] = {}
    if department is None:
        errors["department_id"] = _("No such department.")
    if kind is None:
        errors["event"] = _("No such notification.")
    if errors:
        raise ValidationFailed(_("The notification rule is not valid."), fields=errors)
    assert kind is not None
    cleaned_recipients = _clean_choices(recipients, kind.recipient_kinds, "recipients", errors)
    cleaned_channels = _clean_choices(channels, (Channel.EMAIL, Channel.SMS), "channels", errors)
    cleaned_addresses = _clean_addresses(addresses, errors)
    if enabled is not None and not isinstance(enabled, bool):
        errors["enabled"] = _("Give true or false.")
    if errors:
        raise ValidationFailed(_("The notification rule is not valid."), fields=errors)
    with transaction.atomic():
        rule, _created = NotificationRule.objects.select_for_update().get_or_create(
            department_id=department_id,
            event=event,
            defaults={
                "enabled": kind.enabled,
                "recipients": list(kind.default_recipients),
                "channels": [Channel.EMAIL],
            },
        )
        before = {"enabled": rule.enabled, "recipients": rule.recipients, "addresses": rule.addresses}
        if enabled is not None:
            rule.enabled = enabled
        if cleaned_recipients is not None:
            rule.recipients = cleaned_recipients
        if cleaned_addresses is not None:
            rule.addresses = cleaned_addresses
        if cleaned_channels is not None:
            rule.channels = cleaned_channels
        rule.save()
        audit_record(
            actor=actor,
            source=source,
            action="notification_rule.updated",
            obj=rule,
            changes={
                "from": before,
                "to": {"enabled": rule.enabled, "recipients": rule.recipients, "addresses": rule.addresses},
            },
        )
    return rule


def _clean_choices(
    value: Any, allowed: tuple[str, ...], field: str, errors: dict[str, str]
) -> list[str] | None:
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        errors[field] = _("Give a list of: %(choices)s.") % {"choices": ", ".join(allowed)}
        return None
    unknown = [item for item in value if item not in allowed]
    if unknown:
        errors[field] = _("Choose from: %(choices)s.") % {"choices": ", ".join(allowed)}
        return None
    return list(dict.fromkeys(value))


def _clean_addresses(value: Any, errors: dict[str, str]) -> list[str] | None:
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        errors["addresses"] = _("Give a list of email addresses.")
        return None
    cleaned = [item.strip().lower() for item in value if item.strip()]
    bad = [item for item in cleaned if not _EMAIL.match(item) or len(item) > 254]
    if bad:
        errors["addresses"] = _("Not an email address: %(address)s") % {"address": bad[0][:100]}
        return None
    if len(cleaned) > MAX_ADDRESSES:
        errors["addresses"] = _("Give at most %(count)d addresses.") % {"count": MAX_ADDRESSES}
        return None
    return list(dict.fromkeys(cleaned))


# --- templates ----------------------------------------------------------------------------------


def template_update(
    *,
    actor: Actor,
    source: Source,
    template_id: int,
    subject: str | None = None,
    body_html: str | None = None,
    body_text: str | None = None,
) -> NotificationTemplate:
    """Change a template's parts; a part that does not compile or render is refused with its line."""
    _require_admin(actor)
    template = NotificationTemplate.objects.filter(pk=template_id).first()
    if template is None:
        raise NotFound(_("No such template."))
    values = {"subject": subject, "body_html": body_html, "body_text": body_text}
    errors: dict[str, str] = {}
    given = {name: value for name, value in values.items() if value is not None}
    for name, value in given.items():
        limit = MAX_SUBJECT if name == "subject" else MAX_BODY
        if not isinstance(value, str):
            errors[name] = _("Give text.")
        elif not value.strip():
            errors[name] = _("This part cannot be empty.")
        elif len(value) > limit:
            errors[name] = _("Enter at most %(limit)d characters.") % {"limit": limit}
    if not errors:
        errors.update(template_errors(given, sample_context()))
    if errors:
        raise ValidationFailed(_("The template is not valid."), fields=errors)
    with transaction.atomic():
        before = {name: getattr(template, name) for name in given}
        for name, value in given.items():
            setattr(template, name, value)
        template.save()
        audit_record(
            actor=actor,
            source=source,
            action="notification_template.updated",
            obj=template,
            changes={name: {"from": before[name][:500], "to": value[:500]} for name, value in given.items()},
        )
    return template


def template_reset(*, actor: Actor, source: Source, template_id: int) -> NotificationTemplate:
    """Write the shipped words back into a template."""
    _require_admin(actor)
    template = NotificationTemplate.objects.filter(pk=template_id).first()
    if template is None or catalog.get(template.event) is None:
        raise NotFound(_("No such template."))
    default = catalog.default_template(template.event, template.language)
    with transaction.atomic():
        template.subject, template.body_html, template.body_text = (
            default.subject,
            default.body_html,
            default.body_text,
        )
        template.save()
        audit_record(
            actor=actor, source=source, action="notification_template.reset", obj=template, changes={}
        )
    return template


def templates_ensure() -> None:
    """Give every notification of the catalogue its row per language (the shipped words)."""
    have = set(NotificationTemplate.objects.values_list("event", "language"))
    missing = [
        NotificationTemplate(
            event=kind.key,
            language=language,
            subject=template.subject,
            body_html=template.body_html,
            body_text=template.body_text,
        )
        for kind in catalog.all_types()
        for language, template in kind.templates.items()
        if (kind.key, language) not in have
    ]
    if missing:
        NotificationTemplate.objects.bulk_create(missing, ignore_conflicts=True)


def template_preview(
    *,
    actor: Actor,
    template: NotificationTemplate,
    ticket: Any,
    subject: str | None = None,
    body_html: str | None = None,
    body_text: str | None = None,
) -> tuple[Rendered, dict[str, str]]:
    """The template (or the unsaved text given) rendered against a real ticket the actor may see,
    with the errors a save would give."""
    _require_admin(actor)
    from kefu.notifications.services.context import ticket_context
    from kefu.notifications.services.dispatch import _first_thread_text

    parts = {
        "subject": template.subject if subject is None else subject,
        "body_html": template.body_html if body_html is None else body_html,
        "body_text": template.body_text if body_text is None else body_text,
    }
    latest = ticket.threads.order_by("-created_at", "-id").only("body_html", "body_text").first()
    html, text = (latest.body_html, latest.body_text) if latest is not None else _first_thread_text(ticket)
    context = ticket_context(
        ticket,
        language=template.language,
        agent=actor.user if actor.is_agent else None,
        latest_html=html,
        latest_text=text,
        recipient_name=ticket.contact.name or ticket.contact.email,
    )
    errors = template_errors(parts, context)
    return render(parts["subject"], parts["body_html"], parts["body_text"], context), errors


# --- agents: preferences and their notifications -----------------------------------------------


def preference_set(
    *,
    actor: Actor,
    source: Source,
    channels: Any,
    quiet_from: dt.time | None,
    quiet_until: dt.time | None,
) -> NotificationPreference:
    """An agent's choice of channels per notification and their quiet hours (both or neither)."""
    _require_agent(actor)
    errors: dict[str, str] = {}
    cleaned: dict[str, list[str]] = {}
    if not isinstance(channels, dict):
        errors["channels"] = _("Give the channels per notification.")
    else:
        for key, chosen in channels.items():
            kind = catalog.get(key)
            if kind is None or kind.audience == "customer":
                errors[f"channels.{key}"[:100]] = _("No such notification.")
            elif not isinstance(chosen, list) or any(
                c not in (Channel.IN_APP, Channel.EMAIL) for c in chosen
            ):
                errors[f"channels.{key}"] = _("Choose from: %(choices)s.") % {"choices": "in_app, email"}
            else:
                cleaned[key] = list(dict.fromkeys(chosen))
    if (quiet_from is None) != (quiet_until is None):
        errors["quiet_until" if quiet_until is None else "quiet_from"] = _(
            "Give both ends of the quiet hours."
        )
    elif quiet_from is not None and quiet_from == quiet_until:
        errors["quiet_until"] = _("The quiet hours must end at another time than they start.")
    if errors:
        raise ValidationFailed(_("The preferences are not valid."), fields=errors)
    preference, _created = NotificationPreference.objects.update_or_create(
        user=actor.user,
        defaults={"channels": cleaned, "quiet_from": quiet_from, "quiet_until": quiet_until},
    )
    return preference


def notifications_mark_read(
    *, actor: Actor, source: Source, ids: list[int] | None = None, everything: bool = False
) -> int:
    """Mark some (or all) of the actor's in-app notifications read; return how many changed."""
    _require_agent(actor)
    unread = Notification.objects.filter(user=actor.user, read_at__isnull=True)
    if not everything:
        unread = unread.filter(pk__in=[pk for pk in (ids or []) if isinstance(pk, int)])
    return unread.update(read_at=timezone.now())
