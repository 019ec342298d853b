"""Assignment rules speak the criteria engine's language: validated on save, matched on every ticket.

Assignment decides on what a ticket *is* (on creation, or once moved to a department), so the
``changed*`` operators, which need a triggering change, are refused in its criteria.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils import timezone

from kefu.automation import criteria

if TYPE_CHECKING:
    from kefu.automation.assignment.engine import RuleSpec
    from kefu.tickets.models import Ticket


def clean_criteria(errors: dict[str, str], raw: dict[str, Any]) -> dict[str, Any]:
    """The stored form of ``raw``; its faults go into ``errors`` under ``criteria.<path>``."""
    cleaned, problems = criteria.clean(raw, allow_changes=False)
    errors.update(problems)
    return cleaned


def first_matching(ticket: Ticket, rules: list[RuleSpec]) -> RuleSpec | None:
    """The first of ``rules`` whose criteria ``ticket`` meets (one set of looked-up facts for all)."""
    facts = criteria.Facts(ticket, now=timezone.now())
    for rule in rules:
        if not rule.criteria or criteria.matches(ticket, rule.criteria, facts=facts):
            return rule
    return None
