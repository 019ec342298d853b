"""A layout as a console form draws it: the layout's sections with the fields the form offers, in order,
each marked mandatory (for the form's phase) and hidden while no rule shows it. The rules go to the page
too, so that ``tickets/layout.js`` shows, hides and marks fields live as values change; the services
enforce the same layout whatever the page drew.

Every module's forms use this: the ticket create form and properties panel, the contact and account
forms and custom-module record forms.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from django.utils.translation import get_language

from kefu.customfields.selectors import layout_spec


def _section_name(name: str, name_en: str) -> str:
    return name_en if name_en and (get_language() or "").startswith("en") else name


def layout_groups(
    module: str,
    department_id: int | None,
    *,
    phase: str,
    values: Mapping[str, Any],
    offered: Iterable[str],
    always: Iterable[str] = (),
) -> dict[str, Any]:
    """``offered`` (the layout names of the fields the form can show, in its own order) grouped as the
    layout of ``module`` for ``department_id`` says; fields the layout does not place are left out,
    except those of ``always`` (a form's identity fields, shown first). Without a layout: one group of
    every offered field, as before layouts existed."""
    offered = list(offered)
    spec = layout_spec(module, department_id)
    if spec is None:
        fields = [{"name": name, "required": False, "flag": False, "hidden": False} for name in offered]
        return {
            "groups": [{"name": "", "fields": fields}],
            "rules": [],
            "rules_json": "[]",
            "has_layout": False,
        }
    shown = spec.shown(values)
    required = set(spec.required(values, phase=phase))
    placed = {field.field for field in spec.fields}
    groups = []
    first = [
        {"name": name, "required": False, "flag": False, "hidden": False}
        for name in always
        if name in offered and name not in placed
    ]
    if first:
        groups.append({"name": "", "fields": first})
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
    return {
        "groups": groups,
        "rules": rules,
        "rules_json": json.dumps(rules, ensure_ascii=False),
        "has_layout": True,
    }


def form_layout(
    module: str,
    form: Any,
    names: Mapping[str, str],
    *,
    department_id: int | None = None,
    always: Iterable[str] = (),
) -> dict[str, Any]:
    """A Django form's fields grouped by the layout: ``names`` maps each layout name to the form's field
    name, in the form's own order. Each field of each group gains ``bound`` (the form's bound field);
    rules are evaluated on what the form holds (what was posted, else the record's values)."""
    values = {layout_name: form[form_name].value() for layout_name, form_name in names.items()}
    layout = layout_groups(
        module, department_id, phase="create", values=values, offered=list(names), always=always
    )
    for group in layout["groups"]:
        for field in group["fields"]:
            field["bound"] = form[names[field["name"]]]
    return layout
