"""The ticket layout as the console draws it: the layout's sections with the fields a page offers, in
order, each marked mandatory (for the page's phase) and hidden while no rule shows it; the rules go to
the page too, so that ``tickets/layout.js`` shows, hides and marks fields live as values change."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.utils.translation import get_language

from kefu.customfields.selectors import layout_spec


def _section_name(name: str, name_en: str) -> str:
    return name_en if name_en and (get_language() or "").startswith("en") else name


def layout_groups(
    department_id: int | None, *, phase: str, values: Mapping[str, Any], offered: Iterable[str]
) -> dict[str, Any]:
    """``offered`` (the layout names of the fields the page can show, in its own order) grouped as the
    department's layout says; without a layout, one group of every offered field, as before."""
    offered = list(offered)
    spec = layout_spec("ticket", department_id) if department_id else None
    if spec is None:
        fields = [{"name": name, "required": False, "flag": False, "hidden": False} for name in offered]
        return {"groups": [{"name": "", "fields": fields}], "rules": [], "has_layout": False}
    shown = spec.shown(values)
    required = set(spec.required(values, phase=phase))
    groups = []
    for section in spec.sections:
        fields = []
        for field in section.fields:
            if field.field not in offered:
                continue
            flag = field.required_on_create if phase == "create" else field.required_on_close
            fields.append(
                {
                    "name": field.field,
                    "required": field.field in required,
                    "flag": flag,
                    "hidden": field.field not in shown,
                }
            )
        groups.append({"name": _section_name(section.name, section.name_en), "fields": fields})
    rules = [
        {
            "field": rule.when_field,
            "values": list(rule.when_values),
            "show": list(rule.show),
            "require": rule.require,
        }
        for rule in spec.rules
    ]
    return {"groups": groups, "rules": rules, "has_layout": True}
