"""Planned or logged action steps in words: "Priority: 中 → 高", in the viewer's language.

Ids are shown by today's name; the choices of each field are loaded once per description run.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from kefu.automation.criteria import get_field


@dataclass(frozen=True)
class StepText:
    field: str
    old: str
    new: str


class Describer:
    """Turns steps into :class:`StepText`, remembering each field's choices for the whole run."""

    def __init__(self) -> None:
        self._choices: dict[str, dict[Any, str]] = {}

    def _label(self, key: str) -> str:
        if key == "comment":
            return _("Internal comment")
        field = get_field(key)
        return str(field.label) if field is not None else key

    def _value(self, key: str, value: Any) -> str:
        if value is None or value == "" or value == []:
            return "—"
        if isinstance(value, list):
            return ", ".join(str(item) for item in value)
        if isinstance(value, bool):
            return _("yes") if value else _("no")
        if key not in self._choices:
            field = get_field(key)
            self._choices[key] = dict(field.choices()) if field is not None and field.choices else {}
        return str(self._choices[key].get(value, value))

    def step(self, step: dict[str, Any]) -> StepText:
        key = str(step.get("field", ""))
        return StepText(
            field=self._label(key),
            old=self._value(key, step.get("old")),
            new=self._value(key, step.get("new")),
        )

    def steps(self, steps: list[dict[str, Any]]) -> list[StepText]:
        return [self.step(step) for step in steps]
