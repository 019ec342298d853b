"""The demo's business hours: Beijing time with a lunch break and China's 2026 and 2027 holidays, for every
department, loaded twice without change."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from kefu.core.actors import Actor
from kefu.demo.business_hours import NAME, load_business_hours
from kefu.org.tests.factories import DepartmentFactory
from kefu.sla.models import BusinessCalendar, CalendarHoliday, CalendarWorkday
from kefu.sla.selectors.calendars import department_working_time

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_demo_calendar_serves_every_department_and_loads_once():
    departments = [DepartmentFactory(), DepartmentFactory()]
    load_business_hours(Actor.system())
    counts = (
        BusinessCalendar.objects.count(),
        CalendarHoliday.objects.count(),
        CalendarWorkday.objects.count(),
    )
    load_business_hours(Actor.system())
    assert (
        BusinessCalendar.objects.count(),
        CalendarHoliday.objects.count(),
        CalendarWorkday.objects.count(),
    ) == counts
    assert BusinessCalendar.objects.get().name == NAME
    assert CalendarHoliday.objects.filter(date__year=2027).exists()
    assert CalendarHoliday.objects.get(date=dt.date(2026, 10, 1)).name == "国庆节"
    assert CalendarWorkday.objects.get(date=dt.date(2026, 10, 10)).name == "调休上班（国庆节）"
    for department in departments:
        working = department_working_time(department.pk)
        assert working is not None
        due = working.due(dt.datetime(2026, 9, 30, 17, 0, tzinfo=SHANGHAI), 120)
        assert due == dt.datetime(2026, 10, 8, 10, 0, tzinfo=SHANGHAI)
