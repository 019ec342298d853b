"""REST endpoints for business-hours calendars (``/business-hours``) and the Chinese holiday preview
(``/holidays/cn``).

Agents read calendars and use the calculator; only administrators (settings.manage) write, which the
services enforce.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from kefu.core.actors import Source
from kefu.core.api_types import ERRORS, Id
from kefu.core.errors import ValidationFailed
from kefu.core.idempotency import idempotent
from kefu.core.pagination import paginate
from kefu.org.api_access import api_agent
from kefu.sla.calendar import NoWorkingTime, WorkingTime
from kefu.sla.calendar_inputs import CalendarInput, HolidayInput, WorkdayInput
from kefu.sla.calendar_schemas import (
    CalendarIn,
    CalendarListIn,
    CalendarListOut,
    CalendarOut,
    CalendarPatchIn,
    CnImportIn,
    CnImportOut,
    CnYearIn,
    CnYearOut,
    DueIn,
    DueOut,
    ElapsedIn,
    ElapsedOut,
)
from kefu.sla.models import WEEKDAY_KEYS
from kefu.sla.selectors.calendars import (
    calendar_department_ids,
    calendar_get,
    calendar_list,
    working_time,
)
from kefu.sla.services import calendars as services

router = Router(tags=["business hours"])


def calendar_out(calendar: Any) -> dict[str, Any]:
    return {
        "id": calendar.pk,
        "name": calendar.name,
        "time_zone": calendar.time_zone,
        "week": services.week_as_text(calendar.week),
        "holidays": [
            {"date": holiday.date, "name": holiday.name, "yearly": holiday.yearly}
            for holiday in calendar.holidays.all()
        ],
        "workdays": [
            {"date": workday.date, "hours_like": WEEKDAY_KEYS[workday.hours_like], "name": workday.name}
            for workday in calendar.workdays.all()
        ],
        "department_ids": calendar_department_ids(calendar),
    }


def _input(values: dict[str, Any]) -> CalendarInput:
    holidays = values.get("holidays")
    workdays = values.get("workdays")
    return CalendarInput(
        name=values.get("name"),
        time_zone=values.get("time_zone"),
        week=values.get("week"),
        holidays=None if holidays is None else [HolidayInput(**day) for day in holidays],
        workdays=None
        if workdays is None
        else [
            WorkdayInput(
                date=day["date"], hours_like=WEEKDAY_KEYS.index(day["hours_like"]), name=day.get("name", "")
            )
            for day in workdays
        ],
        department_ids=values.get("department_ids"),
    )


FIRST_MOMENT = dt.datetime(1900, 1, 1, tzinfo=dt.UTC)
LAST_MOMENT = dt.datetime(2200, 1, 1, tzinfo=dt.UTC)


def _in_zone(values: dict[str, dt.datetime], calendar: WorkingTime) -> dict[str, dt.datetime]:
    """Times sent without an offset are read in the calendar's zone; all must lie in 1900–2199."""
    found = {
        name: value if timezone.is_aware(value) else value.replace(tzinfo=calendar.zone)
        for name, value in values.items()
    }
    bad = {
        name: _("Enter a time between the years 1900 and 2199.")
        for name, value in found.items()
        if not FIRST_MOMENT <= value < LAST_MOMENT
    }
    if bad:
        raise ValidationFailed(_("The request is not valid."), fields=bad)
    return found


@router.get("/business-hours", response={200: CalendarListOut, **ERRORS}, summary="List calendars")
def list_calendars(request: HttpRequest, filters: Query[CalendarListIn]) -> dict[str, Any]:
    api_agent(request)
    page = paginate(calendar_list(), sort="id", limit=filters.limit, cursor=filters.cursor)
    return {"items": [calendar_out(calendar) for calendar in page.items], "next_cursor": page.next_cursor}


@router.post("/business-hours", response={201: CalendarOut, **ERRORS}, summary="Create a calendar")
def create_calendar(request: HttpRequest, payload: CalendarIn) -> Status[dict[str, Any]]:
    actor = api_agent(request)

    def create() -> tuple[int, dict[str, Any]]:
        calendar = services.calendar_create(actor=actor, source=Source.API, data=_input(payload.model_dump()))
        return 201, CalendarOut.model_validate(calendar_out(calendar_get(calendar.pk))).model_dump(
            mode="json"
        )

    return Status(*idempotent(request, create))


@router.get("/business-hours/{calendar_id}", response={200: CalendarOut, **ERRORS}, summary="Get a calendar")
def get_calendar(request: HttpRequest, calendar_id: Id) -> dict[str, Any]:
    api_agent(request)
    return calendar_out(calendar_get(calendar_id))


@router.patch(
    "/business-hours/{calendar_id}", response={200: CalendarOut, **ERRORS}, summary="Change a calendar"
)
def update_calendar(request: HttpRequest, calendar_id: Id, payload: CalendarPatchIn) -> dict[str, Any]:
    actor = api_agent(request)
    changes = payload.model_dump(exclude_unset=True)
    nulls = sorted(name for name, value in changes.items() if value is None)
    if nulls:
        raise ValidationFailed(
            _("The calendar is not valid."), fields={name: _("This field cannot be empty.") for name in nulls}
        )
    services.calendar_update(actor=actor, source=Source.API, calendar_id=calendar_id, data=_input(changes))
    return calendar_out(calendar_get(calendar_id))


@router.delete("/business-hours/{calendar_id}", response={204: None, **ERRORS}, summary="Delete a calendar")
def delete_calendar(request: HttpRequest, calendar_id: Id) -> Status[None]:
    actor = api_agent(request)
    services.calendar_delete(actor=actor, source=Source.API, calendar_id=calendar_id)
    return Status(204, None)


@router.get(
    "/business-hours/{calendar_id}/due",
    response={200: DueOut, **ERRORS},
    summary="When a number of working minutes from a start has elapsed",
)
def calendar_due(request: HttpRequest, calendar_id: Id, query: Query[DueIn]) -> dict[str, Any]:
    api_agent(request)
    calendar = working_time(calendar_id)
    try:
        due = calendar.due(_in_zone({"start": query.start}, calendar)["start"], query.minutes)
    except (NoWorkingTime, OverflowError) as exc:
        raise ValidationFailed(
            _("The request is not valid."),
            fields={"minutes": _("The calendar has no working time in which these minutes could elapse.")},
        ) from exc
    return {"due": due.isoformat()}


@router.get(
    "/business-hours/{calendar_id}/elapsed",
    response={200: ElapsedOut, **ERRORS},
    summary="Working minutes between two times",
)
def calendar_elapsed(request: HttpRequest, calendar_id: Id, query: Query[ElapsedIn]) -> dict[str, Any]:
    api_agent(request)
    calendar = working_time(calendar_id)
    times = _in_zone({"start": query.start, "end": query.end}, calendar)
    minutes = calendar.elapsed(times["start"], times["end"])
    return {"minutes": int(minutes) if float(minutes).is_integer() else round(minutes, 6)}


@router.post(
    "/business-hours/{calendar_id}/import-cn-holidays",
    response={200: CnImportOut, **ERRORS},
    summary="Add China's statutory holidays and make-up workdays of a year to a calendar",
)
def import_cn_holidays(request: HttpRequest, calendar_id: Id, payload: CnImportIn) -> dict[str, Any]:
    actor = api_agent(request)
    result = services.calendar_import_cn_holidays(
        actor=actor, source=Source.API, calendar_id=calendar_id, year=payload.year
    )
    return {
        "year": result.year,
        "official": result.official,
        "holidays": result.holidays,
        "workdays": result.workdays,
    }


@router.get(
    "/holidays/cn",
    response={200: CnYearOut, **ERRORS},
    summary="China's statutory holidays and make-up workdays of a year (what an import would add)",
)
def cn_holidays(request: HttpRequest, query: Query[CnYearIn]) -> dict[str, Any]:
    api_agent(request)
    data = services.cn_holidays_preview(year=query.year)
    return {
        "year": data.year,
        "source": data.source,
        "official": data.official,
        "holidays": [{"date": day.date, "name": day.name} for day in data.holidays],
        "workdays": [
            {
                "date": day.date,
                "hours_like": WEEKDAY_KEYS[day.hours_like],
                "instead_of": day.instead_of,
                "holiday": day.holiday,
            }
            for day in data.workdays
        ],
    }
