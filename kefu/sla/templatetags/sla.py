"""``{% sla_badge ticket %}``: the SLA badge on the ticket list and the ticket page."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html

from kefu.sla.badges import badge_for, target_label

register = template.Library()

TONES = {"danger": "bg-red-lt", "warning": "bg-yellow-lt", "paused": "bg-secondary-lt", "ok": "bg-green-lt"}


@register.simple_tag
def sla_badge(ticket: Any) -> str:
    badge = badge_for(ticket)
    if badge is None:
        return ""
    title = target_label(badge.target) if badge.target else ""
    return format_html(
        '<span class="badge {} kefu-sla" data-testid="sla-badge" data-tone="{}" title="{}">{}</span>',
        TONES[badge.tone],
        badge.tone,
        title,
        badge.text,
    )
