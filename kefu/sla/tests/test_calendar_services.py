"""Calendar services: validation naming the bad part, department links, China's holiday import, and the
cached WorkingTime the SLA timers read."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from kefu.core.actors import Actor, Source
from kefu.core.errors import NotFound, PermissionDenied, ValidationFailed
from kefu.core.models import AuditEntry
from kefu.org.tests.factories import DepartmentFactory
from kefu.sla.calendar_inputs import CalendarInput, HolidayInput, WorkdayInput
from kefu.sla.models import BusinessCalendar, CalendarHoliday, CalendarWorkday, DepartmentCalendar
from kefu.sla.selectors.calendars import department_working_time, working_time
from kefu.sla.services.calendars import (
    calendar_create,
    calendar_delete,
    calendar_import_cn_holidays,
    calendar_update,
    department_calendar_set,
)
from kefu.sla.tests.calendar_factories import business_calendar

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
SYSTEM = Actor.system()


def test_create_stores_minutes_days_and_departments(department):
    calendar = business_calendar(
        "北京工作时间",
        holidays=[
            HolidayInput(dt.date(2026, 10, 1), "国庆节"),
            HolidayInput(dt.date(2026, 5, 1), "劳动节", yearly=True),
        ],
        workdays=[WorkdayInput(dt.date(2026, 10, 10), 2, "调休")],
        departments=[department],
    )
    assert calendar.week == [[[540, 720], [810, 1080]]] * 5 + [[], []]
    assert list(calendar.holidays.values_list("date", "name", "yearly")) == [
        (dt.date(2026, 5, 1), "劳动节", True),
        (dt.date(2026, 10, 1), "国庆节", False),
    ]
    assert list(calendar.workdays.values_list("date", "hours_like")) == [(dt.date(2026, 10, 10), 2)]
    assert DepartmentCalendar.objects.get(department=department).calendar == calendar
    assert AuditEntry.objects.filter(action="business_calendar.created", object_id=calendar.pk).count() == 1


def test_bad_calendars_name_every_bad_part():
    business_calendar("Taken")
    with pytest.raises(ValidationFailed) as caught:
        calendar_create(
            actor=SYSTEM,
            source=Source.API,
            data=CalendarInput(
                name="Taken",
                time_zone="Mars/Olympus",
                week={
                    "mon": [["09:00", "12:00"], ["11:00", "18:00"]],
                    "tue": [["09:00", "25:00"]],
                    "wed": [["18:00", "09:00"]],
                    "thu": [["09:00"]],
                    "someday": [],
                },
                holidays=[HolidayInput(dt.date(2026, 1, 1)), HolidayInput(dt.date(2026, 1, 1))],
                workdays=[WorkdayInput(dt.date(2026, 1, 4), 9)],
                department_ids=[999999],
            ),
        )
    assert caught.value.fields == {
        "name": "A calendar with this name exists.",
        "time_zone": "Unknown time zone; use an IANA name such as Asia/Shanghai.",
        "week.mon.1": "11:00–18:00 overlaps 09:00–12:00.",
        "week.tue.0": "25:00 is not a time between 00:00 and 24:00.",
        "week.wed.0": "18:00–09:00 ends before it starts.",
        "week.thu.0": "Give an interval as a start and an end, e.g. 09:00 and 12:00.",
        "week.someday": "Unknown day; use mon, tue, wed, thu, fri, sat or sun.",
        "holidays.1.date": "This date is listed twice.",
        "workdays.0.hours_like": "Choose a weekday.",
        "department_ids": "No such department: 999999.",
    }
    assert BusinessCalendar.objects.count() == 1


def test_an_overlap_with_an_earlier_long_interval_is_found():
    with pytest.raises(ValidationFailed) as caught:
        calendar_create(
            actor=SYSTEM,
            source=Source.API,
            data=CalendarInput(
                name="x", week={"mon": [["09:00", "18:00"], ["10:00", "11:00"], ["12:00", "13:00"]]}
            ),
        )
    assert set(caught.value.fields) == {"week.mon.1", "week.mon.2"}


def test_update_keeps_what_is_not_given_and_moves_a_department(department, other_department):
    first = business_calendar("A", departments=[department])
    second = business_calendar("B", holidays=[HolidayInput(dt.date(2026, 10, 1), "国庆节")])
    calendar_update(
        actor=SYSTEM,
        source=Source.WEB,
        calendar_id=second.pk,
        data=CalendarInput(name="B2", department_ids=[department.pk, other_department.pk]),
    )
    second.refresh_from_db()
    assert second.name == "B2"
    assert second.time_zone == "Asia/Shanghai"
    assert second.holidays.count() == 1
    assert set(DepartmentCalendar.objects.values_list("department_id", "calendar_id")) == {
        (department.pk, second.pk),
        (other_department.pk, second.pk),
    }
    assert not first.department_links.exists()
    calendar_update(actor=SYSTEM, source=Source.WEB, calendar_id=second.pk, data=CalendarInput(holidays=[]))
    assert second.holidays.count() == 0


def test_delete_leaves_departments_without_a_calendar(department):
    calendar = business_calendar(departments=[department])
    calendar_delete(actor=SYSTEM, source=Source.WEB, calendar_id=calendar.pk)
    assert not BusinessCalendar.objects.exists()
    assert department_working_time(department.pk) is None
    with pytest.raises(NotFound):
        calendar_delete(actor=SYSTEM, source=Source.WEB, calendar_id=calendar.pk)


def test_only_administrators_write(agent, admin_agent, department):
    with pytest.raises(PermissionDenied):
        calendar_create(actor=Actor.agent(agent.user), source=Source.WEB, data=CalendarInput(name="x"))
    with pytest.raises(PermissionDenied):
        calendar_create(actor=Actor.rule(1), source=Source.AUTOMATION, data=CalendarInput(name="x"))
    assert not BusinessCalendar.objects.exists()
    calendar = calendar_create(
        actor=Actor.agent(admin_agent.user), source=Source.WEB, data=CalendarInput(name="x")
    )
    department_calendar_set(
        actor=Actor.agent(admin_agent.user),
        source=Source.WEB,
        department_id=department.pk,
        calendar_id=calendar.pk,
    )
    assert department_working_time(department.pk) == working_time(calendar.pk)
    department_calendar_set(
        actor=Actor.agent(admin_agent.user), source=Source.WEB, department_id=department.pk, calendar_id=None
    )
    assert department_working_time(department.pk) is None


def test_import_2026_cn_holidays_adds_days_off_and_make_up_days_and_keeps_own_days():
    calendar = business_calendar(
        holidays=[
            HolidayInput(dt.date(2026, 12, 24), "公司年会"),
            HolidayInput(dt.date(2026, 9, 20), "wrong"),
        ]
    )
    result = calendar_import_cn_holidays(actor=SYSTEM, source=Source.WEB, calendar_id=calendar.pk, year=2026)
    assert result.official is True
    assert result.workdays == 6
    national_day = set(
        CalendarHoliday.objects.filter(calendar=calendar, date__month=10).values_list("date", flat=True)
    )
    assert national_day == {dt.date(2026, 10, day) for day in (1, 2, 3, 5, 6, 7)}
    assert CalendarHoliday.objects.get(calendar=calendar, date=dt.date(2026, 10, 1)).name in {
        "国庆节",
        "National Day",
    }
    workdays = dict(CalendarWorkday.objects.filter(calendar=calendar).values_list("date", "hours_like"))
    assert workdays[dt.date(2026, 9, 20)] == 1  # Sunday worked for Tuesday 6 October
    assert workdays[dt.date(2026, 10, 10)] == 2  # Saturday worked for Wednesday 7 October
    # The hand-entered company day stays; the date that is officially a make-up workday changed sides.
    assert CalendarHoliday.objects.filter(calendar=calendar, date=dt.date(2026, 12, 24)).exists()
    assert not CalendarHoliday.objects.filter(calendar=calendar, date=dt.date(2026, 9, 20)).exists()
    # Importing again changes nothing.
    again = calendar_import_cn_holidays(actor=SYSTEM, source=Source.WEB, calendar_id=calendar.pk, year=2026)
    assert (again.holidays, again.workdays) == (0, 0)
    # And the arithmetic sees it: Wednesday 30 September 17:00 + 2 h is Thursday 8 October 10:00.
    due = working_time(calendar.pk).due(dt.datetime(2026, 9, 30, 17, tzinfo=SHANGHAI), 120)
    assert due == dt.datetime(2026, 10, 8, 10, tzinfo=SHANGHAI)


def test_import_refuses_a_year_out_of_range():
    calendar = business_calendar()
    with pytest.raises(ValidationFailed) as caught:
        calendar_import_cn_holidays(actor=SYSTEM, source=Source.WEB, calendar_id=calendar.pk, year=1900)
    assert set(caught.value.fields) == {"year"}


def test_working_time_is_cached_until_the_calendar_changes(
    django_assert_num_queries, django_capture_on_commit_callbacks, department
):
    with django_capture_on_commit_callbacks(execute=True):  # the commit lets the process cache again
        calendar = business_calendar(departments=[department])
    first = department_working_time(department.pk)
    with django_assert_num_queries(0):
        assert department_working_time(department.pk) is first
    calendar_update(
        actor=SYSTEM,
        source=Source.WEB,
        calendar_id=calendar.pk,
        data=CalendarInput(time_zone="Europe/Berlin"),
    )
    changed = department_working_time(department.pk)
    assert changed is not None
    assert changed.time_zone == "Europe/Berlin"
    assert working_time(calendar.pk) == changed
    with pytest.raises(NotFound):
        working_time(calendar.pk + 1000)


def test_working_time_of_another_department_is_none():
    assert department_working_time(DepartmentFactory().pk) is None
