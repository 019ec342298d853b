"""Writes of business-hours calendars: create, update, delete, assign to departments, import China's
statutory holidays and make-up workdays.

Every refusal names the bad part: ``week.mon.1`` for the second interval of Monday, ``holidays.3.date``,
``workdays.0.hours_like``, ``time_zone``, ``department_ids``; all bad parts are reported at once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from zoneinfo import available_timezones

from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from kefu.core.actors import Actor, ActorKind, Source
from kefu.core.audit import audit_record
from kefu.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from kefu.org import permissions
from kefu.org.models import Department
from kefu.org.services.common import require_permission
from kefu.sla.calendar import MINUTES_PER_DAY, format_minute, parse_minute
from kefu.sla.calendar_inputs import CalendarInput, HolidayInput, WorkdayInput
from kefu.sla.cn_holidays import FIRST_YEAR, LAST_YEAR, CnYear, cn_year
from kefu.sla.models import (
    WEEKDAY_KEYS,
    BusinessCalendar,
    CalendarHoliday,
    CalendarWorkday,
    DepartmentCalendar,
)

NAME_LENGTH = 100
MAX_INTERVALS_PER_DAY = 12
MAX_DAYS = 2000  # holidays or make-up workdays in one calendar
DEFAULT_TIME_ZONE = "Asia/Shanghai"
_WRITERS = frozenset({ActorKind.AGENT, ActorKind.SYSTEM})


@lru_cache(maxsize=1)
def time_zones() -> frozenset[str]:
    """The IANA zone names this machine knows."""
    return frozenset(available_timezones())


def _authorize(actor: Actor) -> None:
    if actor.kind not in _WRITERS:
        raise PermissionDenied(_("You do not have permission to do this."))
    require_permission(actor, permissions.SETTINGS_MANAGE)


# -- validation ---------------------------------------------------------------------------------------------


def clean_week(errors: dict[str, str], week: Mapping[str, Sequence[Sequence[str]]]) -> list[list[list[int]]]:
    """``{"mon": [["09:00", "12:00"]], …}`` → seven sorted lists of minute pairs; a missing day has no
    hours. Errors go under ``week.<day>.<index>`` (or ``week.<day>`` / ``week``)."""
    cleaned: list[list[list[int]]] = [[] for _day in WEEKDAY_KEYS]
    if not isinstance(week, Mapping):
        errors["week"] = _("Give the working hours of each day: mon … sun.")
        return cleaned
    for key in week:
        if key not in WEEKDAY_KEYS:
            errors[f"week.{key}"] = _("Unknown day; use mon, tue, wed, thu, fri, sat or sun.")
    for index, key in enumerate(WEEKDAY_KEYS):
        intervals = week.get(key) or []
        if len(intervals) > MAX_INTERVALS_PER_DAY:
            errors[f"week.{key}"] = _("At most %(count)d intervals a day.") % {"count": MAX_INTERVALS_PER_DAY}
            continue
        parsed: list[tuple[int, int, int]] = []
        for position, interval in enumerate(intervals):
            field = f"week.{key}.{position}"
            if isinstance(interval, str) or len(interval) != 2:
                errors[field] = _("Give an interval as a start and an end, e.g. 09:00 and 12:00.")
                continue
            start_text, end_text = (str(part) for part in interval)
            bad = [text for text in (start_text, end_text) if not _is_time(text)]
            if bad:
                errors[field] = _("%(value)s is not a time between 00:00 and 24:00.") % {"value": bad[0]}
                continue
            start, end = parse_minute(start_text), parse_minute(end_text)
            if end <= start:
                errors[field] = _("%(start)s–%(end)s ends before it starts.") % {
                    "start": start_text,
                    "end": end_text,
                }
                continue
            parsed.append((start, end, position))
        parsed.sort()
        reach: tuple[int, int] | None = None  # the interval reaching furthest so far
        for start, end, position in parsed:
            if reach is not None and start < reach[1]:
                errors[f"week.{key}.{position}"] = _("%(this)s overlaps %(other)s.") % {
                    "this": f"{format_minute(start)}–{format_minute(end)}",
                    "other": f"{format_minute(reach[0])}–{format_minute(reach[1])}",
                }
            if reach is None or end > reach[1]:
                reach = (start, end)
        cleaned[index] = [[start, end] for start, end, _pos in parsed]
    return cleaned


def _is_time(text: str) -> bool:
    try:
        parse_minute(text)
    except ValueError:
        return False
    return True


def _clean_name(errors: dict[str, str], name: str, *, calendar_id: int | None) -> str:
    name = (name or "").strip()
    if not name:
        errors["name"] = _("This field is required.")
    elif len(name) > NAME_LENGTH:
        errors["name"] = _("Enter at most %(count)d characters.") % {"count": NAME_LENGTH}
    elif BusinessCalendar.objects.filter(name=name).exclude(pk=calendar_id or 0).exists():
        errors["name"] = _("A calendar with this name exists.")
    return name


def _clean_time_zone(errors: dict[str, str], time_zone: str) -> str:
    time_zone = (time_zone or "").strip()
    if time_zone not in time_zones():
        errors["time_zone"] = _("Unknown time zone; use an IANA name such as Asia/Shanghai.")
    return time_zone


def _clean_days(errors: dict[str, str], field: str, days: Sequence[HolidayInput | WorkdayInput]) -> None:
    if len(days) > MAX_DAYS:
        errors[field] = _("At most %(count)d days.") % {"count": MAX_DAYS}
        return
    seen: dict[Any, int] = {}
    for position, day in enumerate(days):
        if not isinstance(day.date, dt.date):
            errors[f"{field}.{position}.date"] = _("Enter a valid date.")
            continue
        key = (day.date.month, day.date.day) if getattr(day, "yearly", False) else day.date
        if key in seen:
            errors[f"{field}.{position}.date"] = _("This date is listed twice.")
        seen[key] = position
        if len(day.name or "") > NAME_LENGTH:
            errors[f"{field}.{position}.name"] = _("Enter at most %(count)d characters.") % {
                "count": NAME_LENGTH
            }
        if isinstance(day, WorkdayInput) and (
            isinstance(day.hours_like, bool)
            or not isinstance(day.hours_like, int)
            or not 0 <= day.hours_like <= 6
        ):
            errors[f"{field}.{position}.hours_like"] = _("Choose a weekday.")


def _clean_departments(errors: dict[str, str], department_ids: Sequence[int]) -> list[int]:
    wanted = sorted(set(department_ids))
    found = set(Department.objects.filter(pk__in=wanted).values_list("pk", flat=True))
    missing = [str(pk) for pk in wanted if pk not in found]
    if missing:
        errors["department_ids"] = _("No such department: %(ids)s.") % {"ids": ", ".join(missing)}
    return wanted


# -- writes -------------------------------------------------------------------------------------------------


def _get(calendar_id: int) -> BusinessCalendar:
    calendar = BusinessCalendar.objects.filter(pk=calendar_id).first()
    if calendar is None:
        raise NotFound(_("No such calendar."))
    return calendar


def _replace_days(calendar: BusinessCalendar, data: CalendarInput) -> None:
    if data.holidays is not None:
        calendar.holidays.all().delete()
        CalendarHoliday.objects.bulk_create(
            CalendarHoliday(
                calendar=calendar, date=day.date, name=(day.name or "").strip(), yearly=day.yearly
            )
            for day in data.holidays
        )
    if data.workdays is not None:
        calendar.workdays.all().delete()
        CalendarWorkday.objects.bulk_create(
            CalendarWorkday(
                calendar=calendar, date=day.date, hours_like=day.hours_like, name=(day.name or "").strip()
            )
            for day in data.workdays
        )


def _link_departments(calendar: BusinessCalendar, department_ids: Iterable[int]) -> None:
    """Exactly ``department_ids`` work by ``calendar``; a department taken from another calendar moves."""
    wanted = set(department_ids)
    calendar.department_links.exclude(department_id__in=wanted).delete()
    current = set(calendar.department_links.values_list("department_id", flat=True))
    for department_id in sorted(wanted - current):
        DepartmentCalendar.objects.update_or_create(
            department_id=department_id, defaults={"calendar": calendar}
        )


def calendar_create(*, actor: Actor, source: Source, data: CalendarInput) -> BusinessCalendar:
    _authorize(actor)
    errors: dict[str, str] = {}
    name = _clean_name(errors, data.name or "", calendar_id=None)
    time_zone = _clean_time_zone(errors, DEFAULT_TIME_ZONE if data.time_zone is None else data.time_zone)
    week = clean_week(errors, data.week if data.week is not None else {})
    _clean_days(errors, "holidays", data.holidays or ())
    _clean_days(errors, "workdays", data.workdays or ())
    department_ids = _clean_departments(errors, data.department_ids or ())
    if errors:
        raise ValidationFailed(_("The calendar is not valid."), fields=errors)
    with transaction.atomic():
        calendar = BusinessCalendar.objects.create(name=name, time_zone=time_zone, week=week)
        _replace_days(calendar, data)
        _link_departments(calendar, department_ids)
        audit_record(
            actor=actor,
            source=source,
            action="business_calendar.created",
            obj=calendar,
            changes={"name": name, "time_zone": time_zone, "department_ids": department_ids},
        )
    return calendar


def calendar_update(
    *, actor: Actor, source: Source, calendar_id: int, data: CalendarInput
) -> BusinessCalendar:
    """Change what ``data`` gives (``None`` fields are kept); lists given replace the old ones whole."""
    _authorize(actor)
    calendar = _get(calendar_id)
    errors: dict[str, str] = {}
    changes: dict[str, Any] = {}
    if data.name is not None:
        changes["name"] = _clean_name(errors, data.name, calendar_id=calendar.pk)
    if data.time_zone is not None:
        changes["time_zone"] = _clean_time_zone(errors, data.time_zone)
    if data.week is not None:
        changes["week"] = clean_week(errors, data.week)
    if data.holidays is not None:
        _clean_days(errors, "holidays", data.holidays)
    if data.workdays is not None:
        _clean_days(errors, "workdays", data.workdays)
    department_ids = None if data.department_ids is None else _clean_departments(errors, data.department_ids)
    if errors:
        raise ValidationFailed(_("The calendar is not valid."), fields=errors)
    with transaction.atomic():
        for field, value in changes.items():
            setattr(calendar, field, value)
        calendar.save()
        _replace_days(calendar, data)
        if department_ids is not None:
            _link_departments(calendar, department_ids)
        audit_record(
            actor=actor,
            source=source,
            action="business_calendar.updated",
            obj=calendar,
            changes={
                **{key: value for key, value in changes.items() if key != "week"},
                **({"week": True} if "week" in changes else {}),
                **({"holidays": len(data.holidays)} if data.holidays is not None else {}),
                **({"workdays": len(data.workdays)} if data.workdays is not None else {}),
                **({"department_ids": department_ids} if department_ids is not None else {}),
            },
        )
    return calendar


def calendar_delete(*, actor: Actor, source: Source, calendar_id: int) -> None:
    """Delete a calendar; the departments it served are left without one (they count calendar time) and
    an SLA policy that named it counts on its department's calendar. Should a later relation protect
    calendars from deletion, the refusal is a Conflict."""
    _authorize(actor)
    calendar = _get(calendar_id)
    try:
        with transaction.atomic():
            audit_record(
                actor=actor,
                source=source,
                action="business_calendar.deleted",
                obj=calendar,
                changes={"name": calendar.name},
            )
            calendar.delete()
    except ProtectedError as exc:
        raise Conflict(
            _("An SLA policy counts its time on this calendar; choose another calendar there first."),
            fields={"id": _("In use.")},
        ) from exc


def department_calendar_set(
    *, actor: Actor, source: Source, department_id: int, calendar_id: int | None
) -> None:
    """Make a department work by a calendar (``None``: by none)."""
    _authorize(actor)
    if not Department.objects.filter(pk=department_id).exists():
        raise NotFound(_("No such department."))
    with transaction.atomic():
        if calendar_id is None:
            DepartmentCalendar.objects.filter(department_id=department_id).delete()
        else:
            calendar = _get(calendar_id)
            DepartmentCalendar.objects.update_or_create(
                department_id=department_id, defaults={"calendar": calendar}
            )
        department = Department.objects.get(pk=department_id)
        audit_record(
            actor=actor,
            source=source,
            action="department.business_calendar_set",
            obj=department,
            changes={"calendar_id": calendar_id},
        )


@dataclass(frozen=True)
class ImportResult:
    year: int
    official: bool
    holidays: int  # days off added or renamed
    workdays: int  # make-up workdays added or changed


def cn_holidays_preview(*, year: int, language: str | None = None) -> CnYear:
    """What :func:`calendar_import_cn_holidays` would write for ``year``; ``ValidationFailed`` on ``year``
    outside the package's range."""
    try:
        return cn_year(year, language=language or get_language() or "zh-hans")
    except ValueError as exc:
        raise ValidationFailed(
            _("The year is not valid."),
            fields={
                "year": _("Enter a year between %(first)d and %(last)d.")
                % {"first": FIRST_YEAR, "last": LAST_YEAR}
            },
        ) from exc


def calendar_import_cn_holidays(*, actor: Actor, source: Source, calendar_id: int, year: int) -> ImportResult:
    """Add China's statutory days off and make-up workdays of ``year`` to a calendar.

    An official day already in the calendar takes the official name (and a date that was a make-up workday
    but is officially a day off, or the other way round, changes sides); other days of the year that the
    calendar has, entered by hand, stay. Everything stays editable afterwards.
    """
    _authorize(actor)
    calendar = _get(calendar_id)
    data = cn_holidays_preview(year=year)
    holiday_dates = [day.date for day in data.holidays]
    workday_dates = [day.date for day in data.workdays]
    changed_holidays = changed_workdays = 0
    with transaction.atomic():
        calendar.workdays.filter(date__in=holiday_dates).delete()
        calendar.holidays.filter(date__in=workday_dates, yearly=False).delete()
        existing = {holiday.date: holiday for holiday in calendar.holidays.filter(date__in=holiday_dates)}
        for off in data.holidays:
            holiday = existing.get(off.date)
            if holiday is None:
                CalendarHoliday.objects.create(calendar=calendar, date=off.date, name=off.name[:NAME_LENGTH])
                changed_holidays += 1
            elif holiday.name != off.name[:NAME_LENGTH] or holiday.yearly:
                holiday.name, holiday.yearly = off.name[:NAME_LENGTH], False
                holiday.save(update_fields=["name", "yearly"])
                changed_holidays += 1
        workdays = {workday.date: workday for workday in calendar.workdays.filter(date__in=workday_dates)}
        for day in data.workdays:
            name = _("Make-up workday (%(holiday)s)") % {"holiday": day.holiday} if day.holiday else ""
            name = name[:NAME_LENGTH]
            workday = workdays.get(day.date)
            if workday is None:
                CalendarWorkday.objects.create(
                    calendar=calendar, date=day.date, hours_like=day.hours_like, name=name
                )
                changed_workdays += 1
            elif workday.hours_like != day.hours_like:
                workday.hours_like = day.hours_like
                workday.save(update_fields=["hours_like"])
                changed_workdays += 1
        calendar.save(update_fields=["updated_at"])
        audit_record(
            actor=actor,
            source=source,
            action="business_calendar.cn_holidays_imported",
            obj=calendar,
            changes={
                "year": year,
                "source": data.source,
                "holidays": changed_holidays,
                "workdays": changed_workdays,
            },
        )
    return ImportResult(
        year=year, official=data.official, holidays=changed_holidays, workdays=changed_workdays
    )


def week_as_text(week: Sequence[Sequence[Sequence[int]]]) -> dict[str, list[list[str]]]:
    """Stored minutes → ``{"mon": [["09:00", "12:00"]], …}`` (the API's and the forms' shape)."""
    return {
        key: [
            [format_minute(start), format_minute(end)]
            for start, end in (week[index] if index < len(week) else [])
        ]
        for index, key in enumerate(WEEKDAY_KEYS)
    }


AROUND_THE_CLOCK = {key: [["00:00", format_minute(MINUTES_PER_DAY)]] for key in WEEKDAY_KEYS}
