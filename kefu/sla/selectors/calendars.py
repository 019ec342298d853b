"""Reads of business-hours calendars: the rows for the console and the API, and the pure
:class:`~kefu.sla.calendar.WorkingTime` that the SLA timers compute with.

``working_time`` and ``department_working_time`` are cached per process and tagged with the catalogue
version (``kefu.core.catalog_cache``), which every change to a calendar, its holidays, its make-up workdays
or a department's link bumps. A ticket write therefore pays a dictionary lookup, not a query.
"""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from kefu.core.catalog_cache import cached
from kefu.core.errors import NotFound
from kefu.sla.calendar import WorkingTime
from kefu.sla.models import BusinessCalendar, CalendarHoliday, CalendarWorkday, DepartmentCalendar


def calendar_list() -> QuerySet[BusinessCalendar]:
    """Every calendar with its holidays, make-up workdays and department links (four queries in all)."""
    return BusinessCalendar.objects.prefetch_related(
        Prefetch("holidays", queryset=CalendarHoliday.objects.order_by("date", "id")),
        Prefetch("workdays", queryset=CalendarWorkday.objects.order_by("date", "id")),
        Prefetch("department_links", queryset=DepartmentCalendar.objects.order_by("department_id")),
    ).order_by("name", "id")


def calendar_get(calendar_id: int) -> BusinessCalendar:
    calendar = calendar_list().filter(pk=calendar_id).first()
    if calendar is None:
        raise NotFound(_("No such calendar."))
    return calendar


def calendar_department_ids(calendar: BusinessCalendar) -> list[int]:
    """The departments served by a calendar from :func:`calendar_list` (uses the prefetched links)."""
    return [link.department_id for link in calendar.department_links.all()]


def department_calendar_id(department_id: int) -> int | None:
    """The id of the calendar a department works by, or ``None`` when it has none."""
    return cached(
        ("sla.department_calendar", department_id),
        lambda: (
            DepartmentCalendar.objects.filter(department_id=department_id)
            .values_list("calendar_id", flat=True)
            .first()
        ),
    )


def to_working_time(calendar: BusinessCalendar) -> WorkingTime:
    """The pure value of a calendar row (its holidays and workdays read from the database or the
    prefetch)."""
    holidays = list(calendar.holidays.all())
    return WorkingTime(
        time_zone=calendar.time_zone,
        week=tuple(tuple((int(start), int(end)) for start, end in day) for day in calendar.week),
        holidays=frozenset(holiday.date for holiday in holidays if not holiday.yearly),
        yearly=frozenset((holiday.date.month, holiday.date.day) for holiday in holidays if holiday.yearly),
        workdays={workday.date: workday.hours_like for workday in calendar.workdays.all()},
    )


def working_time(calendar_id: int) -> WorkingTime:
    """The :class:`WorkingTime` of a calendar; ``NotFound`` when there is no such calendar."""

    def load() -> WorkingTime:
        calendar = calendar_list().filter(pk=calendar_id).first()
        if calendar is None:
            raise NotFound(_("No such calendar."))
        return to_working_time(calendar)

    return cached(("sla.working_time", calendar_id), load)


def department_working_time(department_id: int) -> WorkingTime | None:
    """The :class:`WorkingTime` a department works by, or ``None`` when it has no calendar."""
    calendar_id = department_calendar_id(department_id)
    return None if calendar_id is None else working_time(calendar_id)
