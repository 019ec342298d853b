"""Settings → Business hours: the list, the editor (lunch break, holidays, make-up days, departments), the
service's refusals on the right field, China's holiday import, the calculator, delete, and who may."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from kefu.org.tests.factories import PASSWORD
from kefu.sla.models import BusinessCalendar, CalendarWorkday, DepartmentCalendar
from kefu.sla.tests.calendar_factories import business_calendar

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def admin(client, admin_agent):
    client.login(email=admin_agent.user.email, password=PASSWORD)
    return client


def _form(**values):
    data = {
        "name": "北京工作时间",
        "time_zone": "Asia/Shanghai",
        **{f"day_{day}": "09:00–12:00, 13:30-18:00" for day in ("mon", "tue", "wed", "thu", "fri")},
        "day_sat": "",
        "day_sun": "",
        "holidays": "2026-10-01 国庆节\n2026-10-02",
        "yearly": "01-01 元旦",
        "workdays": "2026-10-10 周三 国庆节调休",
    }
    data.update(values)
    return data


def test_create_a_calendar_with_a_lunch_break(admin, department):
    response = admin.post(reverse("business-hours:create"), _form(departments=[department.pk]))
    calendar = BusinessCalendar.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("business-hours:edit", args=[calendar.pk])
    assert calendar.week == [[[540, 720], [810, 1080]]] * 5 + [[], []]
    assert list(calendar.holidays.values_list("date", "name", "yearly")) == [
        (dt.date(2000, 1, 1), "元旦", True),
        (dt.date(2026, 10, 1), "国庆节", False),
        (dt.date(2026, 10, 2), "", False),
    ]
    assert list(CalendarWorkday.objects.values_list("date", "hours_like", "name")) == [
        (dt.date(2026, 10, 10), 2, "国庆节调休")
    ]
    assert DepartmentCalendar.objects.get().department == department
    page = admin.get(reverse("business-hours:edit", args=[calendar.pk]))
    assert page.status_code == 200
    assert page.context["form"]["day_mon"].value() == "09:00–12:00, 13:30–18:00"
    listing = admin.get(reverse("business-hours:list")).content.decode()
    assert "北京工作时间" in listing
    assert "09:00–12:00, 13:30–18:00" in listing


def test_refusals_land_on_the_field_they_concern(admin):
    response = admin.post(
        reverse("business-hours:create"),
        _form(
            day_mon="09:00–12:00, 11:00–18:00",
            day_tue="09:00–25:00",
            day_wed="nine to five",
            workdays="2026-10-10",
        ),
    )
    assert response.status_code == 422
    errors = response.context["form"].errors
    assert errors["workdays"] == [
        "“2026-10-10”: write a date (YYYY-MM-DD), then the weekday whose hours apply (Mon…Sun)."
    ]
    assert errors["day_wed"] == [
        "Write each interval as start–end, e.g. 09:00–12:00; “nine to five” is not one."
    ]
    assert not BusinessCalendar.objects.exists()
    response = admin.post(
        reverse("business-hours:create"), _form(day_mon="09:00–12:00, 11:00–18:00", day_tue="09:00–25:00")
    )
    assert response.status_code == 422
    errors = response.context["form"].errors
    assert errors["day_mon"] == ["11:00–18:00 overlaps 09:00–12:00."]
    assert errors["day_tue"] == ["25:00 is not a time between 00:00 and 24:00."]
    assert not BusinessCalendar.objects.exists()


def test_around_the_clock(admin):
    admin.post(
        reverse("business-hours:create"), _form(around_the_clock="on", holidays="", workdays="", yearly="")
    )
    assert BusinessCalendar.objects.get().week == [[[0, 1440]]] * 7


def test_import_china_2026_then_calculate_over_national_day(admin):
    calendar = business_calendar("北京")
    response = admin.post(reverse("business-hours:import-cn", args=[calendar.pk]), {"year": 2026})
    assert response.status_code == 302
    assert calendar.workdays.filter(date=dt.date(2026, 10, 10), hours_like=2).exists()
    result = admin.get(
        reverse("business-hours:calculate", args=[calendar.pk]),
        {"start": "2026-09-30T17:00", "minutes": "120", "end": "2026-10-12T09:00"},
        **HTMX,
    )
    html = result.content.decode()
    assert "2026-10-08 10:00" in html
    assert "Asia/Shanghai UTC+0800" in html
    # 30 September 17:00–18:00, 8, 9 and 10 October: 60 + 3 × 450 minutes.
    assert "1410 minutes (23 h 30 min)" in html
    bad = admin.get(
        reverse("business-hours:calculate", args=[calendar.pk]), {"start": "soon", "minutes": "-3"}, **HTMX
    )
    assert "alert-danger" in bad.content.decode()


def test_delete(admin):
    calendar = business_calendar("A")
    response = admin.post(reverse("business-hours:delete", args=[calendar.pk]))
    assert response.status_code == 302
    assert not BusinessCalendar.objects.exists()
    assert admin.get(reverse("business-hours:edit", args=[calendar.pk])).status_code == 404


def test_agents_without_settings_rights_are_refused(client, agent):
    calendar = business_calendar("A")
    client.login(email=agent.user.email, password=PASSWORD)
    assert client.get(reverse("business-hours:list")).status_code == 403
    assert client.post(reverse("business-hours:create"), _form(name="B")).status_code == 403
    assert client.post(reverse("business-hours:delete", args=[calendar.pk])).status_code == 403
    assert (
        client.post(reverse("business-hours:import-cn", args=[calendar.pk]), {"year": 2026}).status_code
        == 403
    )
    assert list(BusinessCalendar.objects.values_list("name", flat=True)) == ["A"]
    assert not calendar.holidays.exists()


def test_the_list_page_in_chinese(admin, admin_agent):
    business_calendar("北京")
    page = admin.get(reverse("business-hours:list"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "北京" in page
