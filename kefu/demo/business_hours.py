"""The demo's business hours: Beijing time, 09:00–12:00 and 13:30–18:00 on weekdays, with China's
statutory holidays and make-up workdays of 2026 and 2027, for every department."""

from __future__ import annotations

from django.utils import translation

from kefu.core.actors import Actor, Source
from kefu.org.models import Department
from kefu.sla.calendar_inputs import CalendarInput
from kefu.sla.models import BusinessCalendar
from kefu.sla.services.calendars import calendar_create, calendar_import_cn_holidays, calendar_update

NAME = "北京工作时间"
LUNCH_BREAK = [["09:00", "12:00"], ["13:30", "18:00"]]
WEEK = dict.fromkeys(("mon", "tue", "wed", "thu", "fri"), LUNCH_BREAK)
YEARS = (2026, 2027)


def load_business_hours(actor: Actor) -> BusinessCalendar:
    """Idempotent: the calendar is found by its name; importing a year twice changes nothing."""
    departments = list(Department.objects.values_list("pk", flat=True))
    calendar = BusinessCalendar.objects.filter(name=NAME).first()
    if calendar is None:
        calendar = calendar_create(
            actor=actor,
            source=Source.IMPORT,
            data=CalendarInput(name=NAME, time_zone="Asia/Shanghai", week=WEEK, department_ids=departments),
        )
    else:
        calendar_update(
            actor=actor,
            source=Source.IMPORT,
            calendar_id=calendar.pk,
            data=CalendarInput(department_ids=departments),
        )
    with translation.override("zh-hans"):  # the demo is a Chinese help desk: 国庆节, not National Day
        for year in YEARS:
            calendar_import_cn_holidays(actor=actor, source=Source.IMPORT, calendar_id=calendar.pk, year=year)
    return calendar
