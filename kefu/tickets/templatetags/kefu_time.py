"""``{% moment value %}``: a ``<time>`` with the relative phrase, the absolute time on hover."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from kefu.core import moments

register = template.Library()


@register.simple_tag
def moment(value: dt.datetime | None, css: str = "", empty: str = "—") -> SafeString | str:
    """The relative phrase ("3 min ago"), with the exact time as title and ``datetime`` attribute."""
    if value is None:
        return empty
    return format_html(
        '<time datetime="{}" title="{}"{}>{}</time>',
        value.isoformat(),
        moments.absolute(value),
        format_html(' class="{}"', css) if css else "",
        moments.relative(value),
    )


@register.filter
def absolute_time(value: Any) -> str:
    """The one absolute format of the active language ("2026-12-07 09:32" / "Dec 7, 2026 09:32")."""
    return moments.absolute(value) if isinstance(value, dt.datetime) else ""
