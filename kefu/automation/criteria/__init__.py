"""The criteria engine: one JSON definition of "which tickets", evaluated in Python and in the database.

Shape: ``{"all": [condition | group, …]}`` or ``{"any": [...]}``; a condition is
``{"field": "subject", "op": "contains", "value": "发热"}``. Rules, time rules, views and reports all use
these functions, so that what a view shows and what a rule matches cannot disagree.

- :func:`clean` / :func:`validate` — check a definition; errors name the bad part (``criteria.all[2].value``)
- :func:`matches` — the predicate for one ticket (``changed*`` read the triggering ``RecordedChange``)
- :func:`compile_q` — the ``Q`` for a queryset of tickets
- :func:`field_catalog` — the fields, operators and values a builder offers
- :func:`register_field` — add a field (other apps)
"""

from kefu.automation.criteria import custom_fields, ticket_fields  # noqa: F401  (register the fields)
from kefu.automation.criteria.catalog import field_catalog
from kefu.automation.criteria.clean import clean, operators_for, validate
from kefu.automation.criteria.evaluate import NeedsChange, compile_q, fields_used, matches, uses_changes
from kefu.automation.criteria.fields import Facts, Field, all_fields, get_field, register_field
from kefu.automation.criteria.operators import OPERATORS

__all__ = [
    "OPERATORS",
    "Facts",
    "Field",
    "NeedsChange",
    "all_fields",
    "clean",
    "compile_q",
    "field_catalog",
    "fields_used",
    "get_field",
    "matches",
    "operators_for",
    "register_field",
    "uses_changes",
    "validate",
]
