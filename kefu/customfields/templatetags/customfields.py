"""Showing custom-field values: a pick-list value as its label on its colour, wherever it appears."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from kefu.customfields.selectors import OptionLook, option_looks
from kefu.customfields.validation import FieldSpec

register = template.Library()


def text_colour(background: str) -> str:
    """Black or white, whichever reads better on ``background`` (#RRGGBB), by its relative luminance."""
    red, green, blue = (int(background[i : i + 2], 16) / 255 for i in (1, 3, 5))
    luminance = 0.2126 * red + 0.7152 * green + 0.0722 * blue
    return "#1d273b" if luminance > 0.6 else "#ffffff"


def option_badge(look: OptionLook | None, value: str) -> SafeString:
    """One value as a badge: its label, on its colour, marked when retired."""
    label = look.label if look else value
    retired = (
        format_html(' <span class="visually-hidden">({})</span>', _("retired"))
        if look and look.retired
        else ""
    )
    title = _("Retired value") if look and look.retired else ""
    if look and look.colour:
        return format_html(
            '<span class="badge picklist-value" data-value="{}" title="{}" '
            'style="background-color: {}; color: {}">{}{}</span>',
            value,
            title,
            look.colour,
            text_colour(look.colour),
            label,
            retired,
        )
    return format_html(
        '<span class="badge bg-secondary-lt picklist-value" data-value="{}" title="{}">{}{}</span>',
        value,
        title,
        label,
        retired,
    )


@register.simple_tag
def custom_value(module: str, key: str, value: Any) -> SafeString | str:
    """A stored custom-field value as people read it: pick-list values as coloured badges, booleans as
    yes or no, anything else as text."""
    if value is None or value == "" or value == []:
        return ""
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    looks = option_looks(module)
    if isinstance(value, list):
        return format_html_join(
            " ", "{}", ((option_badge(looks.get((key, str(item))), str(item)),) for item in value)
        )
    if (key, str(value)) in looks:
        return option_badge(looks[(key, str(value))], str(value))
    return str(value)


@register.simple_tag
def option_look(module: str, key: str, value: Any) -> OptionLook | None:
    """The label and colour of one pick-list value, for templates that draw it themselves."""
    return option_looks(module).get((key, str(value)))


@register.simple_tag
def picklist_choices(spec: FieldSpec, value: Any, module: str = "ticket") -> list[dict[str, Any]]:
    """The options a pick-list input offers: the spec's choices with their labels, colours and parent
    values, plus a retired value the record still holds (shown, so that saving keeps it)."""
    held = value if isinstance(value, list) else ([value] if value not in (None, "") else [])
    looks = option_looks(module)
    values = [*spec.choices, *(item for item in held if item not in spec.choices)]
    rows = []
    for item in values:
        look = looks.get((spec.key, str(item)))
        rows.append(
            {
                "value": item,
                "label": look.label if look else item,
                "colour": look.colour if look else "",
                "parents": spec.parents_of(item),
                "selected": item in held,
                "retired": item not in spec.choices,
            }
        )
    return rows


@register.filter
def cf_get(values: Any, key: str) -> Any:
    """``values[key]`` for a record's ``custom_fields`` (templates cannot index by a variable)."""
    return values.get(key) if isinstance(values, dict) else None
