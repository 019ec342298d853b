"""The ticket layout as the console draws it (``kefu.customfields.layout_display`` for every module):
the department's sections with the fields a page offers, in order, each marked mandatory (for the
page's phase) and hidden while no rule shows it; the rules go to the page for ``tickets/layout.js``."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from kefu.customfields import layout_display


def layout_groups(
    department_id: int | None, *, phase: str, values: Mapping[str, Any], offered: Iterable[str]
) -> dict[str, Any]:
    """``offered`` (the layout names of the fields the page can show, in its own order) grouped as the
    department's layout says; without a department or a layout, one group of every offered field."""
    if not department_id:
        offered = list(offered)
        fields = [{"name": name, "required": False, "flag": False, "hidden": False} for name in offered]
        return {"groups": [{"name": "", "fields": fields}], "rules": [], "has_layout": False}
    return layout_display.layout_groups("ticket", department_id, phase=phase, values=values, offered=offered)
