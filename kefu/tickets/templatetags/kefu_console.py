"""Template helpers of the console layout (base.html) and of the pages that show tickets."""

from __future__ import annotations

import re
from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from kefu.org.selectors import agent_access

register = template.Library()

_HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
# A grey that reads on both black and white text, for a colour that is not #rrggbb.
_FALLBACK_COLOUR = "#6c757d"


@register.simple_tag(takes_context=True)
def agent_can(context: template.Context, permission: str) -> bool:
    """Whether the signed-in user holds ``permission``; reuses the access the view already computed."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return agent_access(user).can(permission)


@register.simple_tag(takes_context=True)
def is_agent(context: template.Context) -> bool:
    request = context.get("request")
    return agent_access(getattr(request, "user", None)).is_agent


def _luminance(colour: str) -> float:
    """The WCAG relative luminance of ``#rrggbb``."""

    def channel(value: int) -> float:
        srgb = value / 255
        return srgb / 12.92 if srgb <= 0.04045 else ((srgb + 0.055) / 1.055) ** 2.4

    red, green, blue = (int(colour[index : index + 2], 16) for index in (1, 3, 5))
    return 0.2126 * channel(red) + 0.7152 * channel(green) + 0.0722 * channel(blue)


@register.filter
def text_colour(background: str) -> str:
    """Black or white, whichever contrasts more with ``background``: administrators pick any priority
    colour, and white text on a light yellow one is unreadable."""
    colour = background if isinstance(background, str) and _HEX_COLOUR.match(background) else _FALLBACK_COLOUR
    luminance = _luminance(colour)
    return "#000" if (luminance + 0.05) / 0.05 > 1.05 / (luminance + 0.05) else "#fff"


@register.simple_tag
def priority_badge(priority: Any, testid: str = "") -> SafeString:
    """A priority as a badge in its colour, with text readable on it."""
    colour = priority.colour if _HEX_COLOUR.match(priority.colour or "") else _FALLBACK_COLOUR
    testid_attribute = format_html(' data-testid="{}"', testid) if testid else ""
    return format_html(
        '<span class="badge" style="background-color: {}; color: {}"{}>{}</span>',
        colour,
        text_colour(colour),
        testid_attribute,
        priority.display_name,
    )
