"""Factories for business-hours calendars: created through the service, as an administrator would."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from kefu.core.actors import Actor, Source
from kefu.sla.calendar_inputs import CalendarInput, HolidayInput, WorkdayInput
from kefu.sla.models import BusinessCalendar
from kefu.sla.services.calendars import calendar_create

LUNCH_BREAK = [["09:00", "12:00"], ["13:30", "18:00"]]
OFFICE_WEEK: Mapping[str, Sequence[Sequence[str]]] = dict.fromkeys(
    ("mon", "tue", "wed", "thu", "fri"), LUNCH_BREAK
)

_count = 0


def business_calendar(
    name: str | None = None,
    *,
    time_zone: str = "Asia/Shanghai",
    week: Mapping[str, Sequence[Sequence[str]]] = OFFICE_WEEK,
    holidays: Sequence[HolidayInput] = (),
    workdays: Sequence[WorkdayInput] = (),
    departments: Sequence[Any] = (),
) -> BusinessCalendar:
    """A Beijing-time 09:00–12:00 / 13:30–18:00 Monday-to-Friday calendar unless told otherwise."""
    global _count
    _count += 1
    return calendar_create(
        actor=Actor.system(),
        source=Source.IMPORT,
        data=CalendarInput(
            name=name or f"工作时间 {_count}",
            time_zone=time_zone,
            week=week,
            holidays=holidays,
            workdays=workdays,
            department_ids=[department.pk for department in departments],
        ),
    )
