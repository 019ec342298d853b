"""Factories for SLA policies (rows written directly: the services clean definitions, factories take
them as given) and a plain office-hours calendar."""

from __future__ import annotations

from typing import Any

import factory

from kefu.sla.models import BusinessCalendar, DepartmentCalendar, SlaEscalation, SlaPolicy, SlaTarget
from kefu.tickets.models import Priority

NINE_TO_SIX = [[540, 1080]]


class SlaPolicyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SlaPolicy

    name = factory.Sequence(lambda n: f"服务级别 {n}")
    order = factory.Sequence(lambda n: n)
    enabled = True
    criteria = factory.LazyFunction(lambda: {"all": []})


class SlaTargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SlaTarget

    policy = factory.SubFactory(SlaPolicyFactory)
    priority = factory.LazyFunction(lambda: Priority.objects.get(name="高"))
    business_time = True


class SlaEscalationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SlaEscalation

    policy = factory.SubFactory(SlaPolicyFactory)
    target = "resolution"
    offset_minutes = 0
    actions = factory.LazyFunction(list)


_calendars = 0


def office_calendar(*departments: Any, week: list[list[list[int]]] | None = None) -> BusinessCalendar:
    """Asia/Shanghai, 09:00–18:00 Monday to Friday; the calendar of ``departments``."""
    global _calendars
    _calendars += 1
    calendar = BusinessCalendar.objects.create(
        name=f"办公时间 {_calendars}",
        time_zone="Asia/Shanghai",
        week=week or [NINE_TO_SIX] * 5 + [[], []],
    )
    for department in departments:
        DepartmentCalendar.objects.create(department=department, calendar=calendar)
    return calendar


def policy_with(
    department: Any,
    *,
    priority: str = "高",
    first_response: int | None = 60,
    next_response: int | None = None,
    resolution: int | None = 240,
    business_time: bool = True,
    **fields: Any,
) -> SlaPolicy:
    """A policy of ``department`` with one target row for ``priority`` (a name)."""
    policy = SlaPolicyFactory(department=department, **fields)
    SlaTargetFactory(
        policy=policy,
        priority=Priority.objects.get(name=priority),
        first_response_minutes=first_response,
        next_response_minutes=next_response,
        resolution_minutes=resolution,
        business_time=business_time,
    )
    return policy
