"""Reading SLA policies: the in-memory catalogue every ticket write consults, and the admin's lists.

Every ticket write asks "which policy applies, with which targets, in which calendar?". The answer comes
from the process's catalogue cache (``kefu.core.catalog_cache``): the enabled policies, grouped by
department, with their targets by priority and their escalation levels by target, loaded once and
reloaded when a policy, target, escalation or calendar changes. Calendars (``WorkingTime``) are cached
the same way, so computing a due date costs no query.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, QuerySet

from kefu.core.catalog_cache import cached
from kefu.core.errors import NotFound
from kefu.sla.calendar import ALWAYS, WorkingTime
from kefu.sla.models.policies import SlaEscalation, SlaPolicy, SlaTarget, SlaTimer, Target
from kefu.sla.selectors.calendars import department_working_time, working_time

TARGETS = tuple(Target.values)


@dataclass(frozen=True)
class LevelSpec:
    id: int
    offset_minutes: int
    actions: tuple[dict[str, Any], ...]


@dataclass(frozen=True)
class TargetSpec:
    first_response: float | None
    next_response: float | None
    resolution: float | None
    business: bool

    def minutes(self, target: str) -> float | None:
        value: float | None = getattr(self, target)
        return value


@dataclass(frozen=True)
class PolicySpec:
    """An enabled policy as every write sees it (criteria cleaned, targets by priority id)."""

    id: int
    name: str
    department_id: int
    criteria: dict[str, Any]
    business_hours_id: int | None
    targets: dict[int, TargetSpec] = field(default_factory=dict)
    levels: dict[str, tuple[LevelSpec, ...]] = field(default_factory=dict)

    def target_for(self, priority_id: int) -> TargetSpec | None:
        return self.targets.get(priority_id)


def _load_policies() -> dict[int, tuple[PolicySpec, ...]]:
    by_department: dict[int, list[PolicySpec]] = defaultdict(list)
    policies = SlaPolicy.objects.filter(enabled=True).prefetch_related(
        "targets", Prefetch("escalations", queryset=SlaEscalation.objects.order_by("offset_minutes", "id"))
    )
    for policy in policies.order_by("department_id", "order", "id"):
        levels: dict[str, list[LevelSpec]] = defaultdict(list)
        for level in policy.escalations.all():
            levels[level.target].append(
                LevelSpec(
                    id=level.pk, offset_minutes=level.offset_minutes, actions=tuple(level.actions or ())
                )
            )
        by_department[policy.department_id].append(
            PolicySpec(
                id=policy.pk,
                name=policy.name,
                department_id=policy.department_id,
                criteria=policy.criteria or {"all": []},
                business_hours_id=policy.business_hours_id,
                targets={
                    target.priority_id: TargetSpec(
                        first_response=_float(target.first_response_minutes),
                        next_response=_float(target.next_response_minutes),
                        resolution=_float(target.resolution_minutes),
                        business=target.business_time,
                    )
                    for target in policy.targets.all()
                },
                levels={name: tuple(found) for name, found in levels.items()},
            )
        )
    return {department: tuple(found) for department, found in by_department.items()}


def _float(value: int | None) -> float | None:
    return None if value is None else float(value)


def enabled_policies(department_id: int) -> tuple[PolicySpec, ...]:
    """The department's enabled policies in the order they are tried (cached per process)."""
    return cached(("sla.policies",), _load_policies).get(department_id, ())


def policy_spec(policy_id: int | None, department_id: int) -> PolicySpec | None:
    for policy in enabled_policies(department_id):
        if policy.id == policy_id:
            return policy
    return None


def calendar_for(*, business: bool, calendar_id: int | None, department_id: int | None) -> WorkingTime:
    """The clock a target counts in: 24×7 for calendar time, else the policy's calendar, else the
    department's, else 24×7 (a department without business hours works around the clock). The calendars
    app caches both lookups per process: no query."""
    if not business:
        return ALWAYS
    if calendar_id is not None:
        try:
            return working_time(calendar_id)
        except NotFound:  # deleted since the timer started: the department's calendar counts
            pass
    if department_id is None:
        return ALWAYS
    return department_working_time(department_id) or ALWAYS


# --- the admin's reads ---------------------------------------------------------------------------------


def policy_list(department_id: int | None = None) -> QuerySet[SlaPolicy]:
    queryset = SlaPolicy.objects.select_related("department").prefetch_related(
        Prefetch(
            "targets", queryset=SlaTarget.objects.select_related("priority").order_by("priority__order")
        ),
        Prefetch("escalations", queryset=SlaEscalation.objects.order_by("target", "offset_minutes", "id")),
    )
    if department_id is not None:
        queryset = queryset.filter(department_id=department_id)
    return queryset.order_by("department_id", "order", "id")


def policy_get(policy_id: int) -> SlaPolicy | None:
    return policy_list().filter(pk=policy_id).first()


def ticket_timers(ticket_id: int) -> list[SlaTimer]:
    """A ticket's timers in the targets' order (the ticket page's SLA card)."""
    found = {timer.target: timer for timer in SlaTimer.objects.filter(ticket_id=ticket_id)}
    return [found[target] for target in TARGETS if target in found]
