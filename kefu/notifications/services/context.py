"""The values a notification template sees: plain dictionaries built from a ticket, never models."""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.urls import NoReverseMatch, reverse

from kefu.org.models import HelpdeskSettings
from kefu.tickets.models import Ticket


def site_url() -> str:
    """Where people reach the help desk (``KEFU_SITE_URL``), for the links in notifications."""
    configured = getattr(settings, "KEFU_SITE_URL", "") or os.environ.get("KEFU_SITE_URL", "")
    if configured:
        return configured.rstrip("/")
    return f"http://localhost:{os.environ.get('KEFU_PORT', '8000')}"


def normalise_language(language: str | None) -> str:
    return "en" if (language or "").lower().startswith("en") else "zh-hans"


def default_language() -> str:
    return normalise_language(HelpdeskSettings.load().default_language or settings.LANGUAGE_CODE)


def ticket_number(ticket: Ticket, prefix: str | None = None) -> str:
    if prefix is None:
        prefix = HelpdeskSettings.load().ticket_number_prefix
    return f"{prefix}{ticket.shown_number}"


def _url(name: str, *args: Any) -> str:
    try:
        return site_url() + reverse(name, args=args)
    except NoReverseMatch:
        return ""


def _person(user: Any) -> dict[str, str]:
    if user is None:
        return {"name": "", "email": ""}
    return {"name": user.get_full_name() or user.email, "email": user.email}


def ticket_context(
    ticket: Ticket,
    *,
    language: str,
    agent: Any = None,
    latest_html: str = "",
    latest_text: str = "",
    recipient_name: str = "",
) -> dict[str, Any]:
    """Everything a template may use about ``ticket``, as strings and numbers, in ``language``."""
    english = language == "en"

    def name(obj: Any) -> str:
        if obj is None:
            return ""
        name_en = str(getattr(obj, "name_en", None) or "")
        if english and name_en:
            return name_en
        return str(getattr(obj, "name", "") or obj)

    slug = ticket.brand.slug if ticket.brand_id and ticket.brand else ""
    contact = ticket.contact
    return {
        "ticket": {
            "id": ticket.pk,
            "number": ticket_number(ticket),
            "subject": ticket.subject,
            "url": _url("tickets:detail", ticket.pk),
            "portal_url": _url("portal:ticket", slug, ticket.pk) if slug else "",
            "status": name(ticket.status),
            "priority": name(ticket.priority),
            "department": name(ticket.department),
            "team": ticket.team.name if ticket.team_id and ticket.team else "",
            "custom_fields": {str(k): v for k, v in (ticket.custom_fields or {}).items()},
        },
        "contact": {"name": contact.name or contact.email, "email": contact.email},
        "agent": _person(agent if agent is not None else ticket.assignee),
        "assignee": _person(ticket.assignee),
        "recipient": {"name": recipient_name},
        "latest_reply": latest_text,
        "latest_reply_html": latest_html,
        "helpdesk": {"name": ticket.brand.name if ticket.brand_id and ticket.brand else "Kefu"},
    }
