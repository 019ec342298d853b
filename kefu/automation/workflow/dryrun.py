"""“Test against recent tickets”: which of the latest tickets a definition matches, and what it would do.

Nothing is written and no transaction is opened: the criteria are evaluated as a query over the
viewer's latest visible tickets, then each action *plans* its steps on each matching ticket (the same
planning the engine does before applying). Conditions on a change (``changed*``) cannot be known for a
ticket at rest: a dry run counts them as met ("if the change happened").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from kefu.automation.actions import clean_actions, get_action
from kefu.automation.criteria import clean as clean_criteria
from kefu.automation.criteria import compile_q, uses_changes
from kefu.automation.workflow.describe import Describer, StepText
from kefu.core.errors import ValidationFailed
from kefu.tickets.models import Ticket
from kefu.tickets.selectors import visible_tickets
from kefu.tickets.services.fields import REFERENCE_FIELDS

DRY_RUN_LIMIT = 200


@dataclass
class DryRunMatch:
    ticket: Ticket
    steps: list[StepText] = field(default_factory=list)
    stops: bool = False


@dataclass
class DryRunResult:
    checked: int
    matches: list[DryRunMatch]
    assumes_changes: bool


def dry_run(
    *,
    user: Any,
    criteria: Any,
    actions: Any,
    allow_changes: bool = True,
    now: dt.datetime | None = None,
    limit: int = DRY_RUN_LIMIT,
) -> DryRunResult:
    """Evaluate a (possibly unsaved) definition against ``user``'s ``limit`` latest visible tickets."""
    cleaned_criteria, errors = clean_criteria(criteria, allow_changes=allow_changes)
    cleaned_actions, action_errors = clean_actions(actions)
    errors.update(action_errors)
    if errors:
        raise ValidationFailed(_("The rule is not valid."), fields=errors)
    now = now or timezone.now()
    recent = list(visible_tickets(user).order_by("-created_at", "-id").values_list("pk", flat=True)[:limit])
    matched = (
        Ticket.objects.filter(pk__in=recent)
        .filter(compile_q(cleaned_criteria, now=now, assume_changes=True))
        .select_related(*REFERENCE_FIELDS)
        .prefetch_related("tags")
        .order_by("-created_at", "-id")
    )
    describer = Describer()
    results = []
    for ticket in matched:
        match = DryRunMatch(ticket=ticket)
        for data in cleaned_actions:
            action = get_action(data["type"])
            assert action is not None
            if action.stops:
                match.stops = True
                break
            match.steps.extend(describer.steps(action.plan(ticket, data)))
        results.append(match)
    return DryRunResult(checked=len(recent), matches=results, assumes_changes=uses_changes(cleaned_criteria))
