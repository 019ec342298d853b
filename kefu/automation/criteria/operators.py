"""The operators a condition can use, and the shape of the value each expects.

Names are snake_case and stable (they are stored in rules and sent by API clients):

=============== ======================= ============================================================
operator        value                   meaning
=============== ======================= ============================================================
is              one value               equal (text: ignoring case; references: by id)
is_not          one value               not equal; an empty field is "not" any value
contains        one value               text: every word of the value occurs (Chinese is segmented);
                                        tags and multi-selects: has this item
not_contains    one value               the negation of ``contains``
starts_with     one value               text begins with the value (ignoring case)
in              a list                  equal to one of the values (tags: has one of them)
not_in          a list                  equal to none of them (tags: has none of them)
gt / lt         one number              greater / less than (hours since …: more / fewer hours)
between         [low, high]             low ≤ value ≤ high
on_or_after     one date or instant     a moment at or after it (a date: from the start of that day)
on_or_before    one date or instant     a moment at or before it (a date: to the end of that day)
is_empty        none                    no value ("" / none / no tags / never happened)
is_not_empty    none                    has a value
changed         none                    the change that triggered the rule changed this field
changed_from    one value               … and the field had this value before
changed_to      one value               … and the field has this value now
=============== ======================= ============================================================
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class ValueKind(enum.StrEnum):
    NONE = "none"
    ONE = "one"
    LIST = "list"
    RANGE = "range"


@dataclass(frozen=True)
class Operator:
    key: str
    label: Promise
    value: ValueKind
    needs_change: bool = False
    """Only a change (a workflow rule's trigger) can answer it: time rules and views refuse it."""


_ALL = (
    Operator("is", _("is"), ValueKind.ONE),
    Operator("is_not", _("is not"), ValueKind.ONE),
    Operator("contains", _("contains"), ValueKind.ONE),
    Operator("not_contains", _("does not contain"), ValueKind.ONE),
    Operator("starts_with", _("starts with"), ValueKind.ONE),
    Operator("in", _("is one of"), ValueKind.LIST),
    Operator("not_in", _("is none of"), ValueKind.LIST),
    Operator("gt", _("is more than"), ValueKind.ONE),
    Operator("lt", _("is less than"), ValueKind.ONE),
    Operator("between", _("is between"), ValueKind.RANGE),
    Operator("on_or_after", _("is on or after"), ValueKind.ONE),
    Operator("on_or_before", _("is on or before"), ValueKind.ONE),
    Operator("is_empty", _("is empty"), ValueKind.NONE),
    Operator("is_not_empty", _("is not empty"), ValueKind.NONE),
    Operator("changed", _("changed"), ValueKind.NONE, needs_change=True),
    Operator("changed_from", _("changed from"), ValueKind.ONE, needs_change=True),
    Operator("changed_to", _("changed to"), ValueKind.ONE, needs_change=True),
)
OPERATORS: dict[str, Operator] = {operator.key: operator for operator in _ALL}
CHANGE_OPERATORS = ("changed", "changed_from", "changed_to")

MAX_LIST = 100
