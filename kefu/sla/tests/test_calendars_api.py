"""The business-hours API: exact payloads, the calculator, China's holiday preview and import, 422 naming
every bad part, and who may (agents read, administrators write)."""

from __future__ import annotations

import pytest

from kefu.sla.models import BusinessCalendar
from kefu.sla.tests.calendar_factories import business_calendar
from tests.helpers import error_of

pytestmark = pytest.mark.django_db
URL = "/api/v1/business-hours"
LUNCH = [["09:00", "12:00"], ["13:30", "18:00"]]
WEEK = {"mon": LUNCH, "tue": LUNCH, "wed": LUNCH, "thu": LUNCH, "fri": LUNCH, "sat": [], "sun": []}


@pytest.fixture
def admin_api(api_client_for, admin_agent):
    return api_client_for(admin_agent)


def test_create_and_read_with_the_exact_payload(admin_api, department):
    response = admin_api.post_json(
        URL,
        {
            "name": "北京工作时间",
            "time_zone": "Asia/Shanghai",
            "week": {"mon": LUNCH, "tue": LUNCH, "wed": LUNCH, "thu": LUNCH, "fri": LUNCH},
            "holidays": [{"date": "2026-10-01", "name": "国庆节"}, {"date": "2026-01-01", "yearly": True}],
            "workdays": [{"date": "2026-10-10", "hours_like": "wed"}],
            "department_ids": [department.pk],
        },
    )
    assert response.status_code == 201, response.content
    calendar = BusinessCalendar.objects.get()
    expected = {
        "id": calendar.pk,
        "name": "北京工作时间",
        "time_zone": "Asia/Shanghai",
        "week": WEEK,
        "holidays": [
            {"date": "2026-01-01", "name": "", "yearly": True},
            {"date": "2026-10-01", "name": "国庆节", "yearly": False},
        ],
        "workdays": [{"date": "2026-10-10", "hours_like": "wed", "name": ""}],
        "department_ids": [department.pk],
    }
    assert response.json() == expected
    assert admin_api.get(f"{URL}/{calendar.pk}").json() == expected
    assert admin_api.get(URL).json() == {"items": [expected], "next_cursor": None}


def test_around_the_clock_reads_as_midnight_to_midnight(admin_api):
    every_day = {day: [["00:00", "24:00"]] for day in WEEK}
    response = admin_api.post_json(URL, {"name": "24×7", "time_zone": "UTC", "week": every_day})
    assert response.status_code == 201, response.content
    assert response.json()["week"] == every_day
    due = admin_api.get(
        f"{URL}/{response.json()['id']}/due", {"start": "2026-12-05T23:00:00Z", "minutes": 90}
    )
    assert due.json() == {"due": "2026-12-06T00:30:00+00:00"}


def test_bad_calendars_get_422_naming_every_bad_part(admin_api):
    response = admin_api.post_json(
        URL,
        {
            "name": "x",
            "time_zone": "Asia/Beijing",
            "week": {"mon": [["09:00", "12:00"], ["11:30", "18:00"]], "tue": [["09:00", "25:00"]]},
            "workdays": [{"date": "2026-10-10", "hours_like": "someday"}],
        },
    )
    error = error_of(response, 422)
    assert set(error["fields"]) == {"workdays.0.hours_like"}  # the schema first
    response = admin_api.post_json(
        URL,
        {
            "name": "x",
            "time_zone": "Asia/Beijing",
            "week": {"mon": [["09:00", "12:00"], ["11:30", "18:00"]], "tue": [["09:00", "25:00"]]},
        },
    )
    error = error_of(response, 422)
    assert error["code"] == "validation_failed"
    assert error["fields"] == {
        "time_zone": "Unknown time zone; use an IANA name such as Asia/Shanghai.",
        "week.mon.1": "11:30–18:00 overlaps 09:00–12:00.",
        "week.tue.0": "25:00 is not a time between 00:00 and 24:00.",
    }
    assert not BusinessCalendar.objects.exists()


def test_patch_changes_only_what_is_sent_and_delete(admin_api, department):
    calendar = business_calendar("A")
    response = admin_api.patch_json(
        f"{URL}/{calendar.pk}", {"week": {"sat": [["10:00", "16:00"]]}, "department_ids": [department.pk]}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["name"] == "A"
    assert body["week"] == {
        "mon": [],
        "tue": [],
        "wed": [],
        "thu": [],
        "fri": [],
        "sat": [["10:00", "16:00"]],
        "sun": [],
    }
    assert body["department_ids"] == [department.pk]
    error = error_of(admin_api.patch_json(f"{URL}/{calendar.pk}", {"name": None}), 422)
    assert error["fields"] == {"name": "This field cannot be empty."}
    assert admin_api.delete(f"{URL}/{calendar.pk}").status_code == 204
    assert not BusinessCalendar.objects.exists()
    error_of(admin_api.get(f"{URL}/{calendar.pk}"), 404)


def test_the_calculator_over_national_day(admin_api):
    calendar = business_calendar("北京")
    imported = admin_api.post_json(f"{URL}/{calendar.pk}/import-cn-holidays", {"year": 2026})
    assert imported.json() == {"year": 2026, "official": True, "holidays": 22, "workdays": 6}
    due = admin_api.get(f"{URL}/{calendar.pk}/due", {"start": "2026-09-30T17:00:00+08:00", "minutes": 120})
    assert due.json() == {"due": "2026-10-08T10:00:00+08:00"}
    # A start without an offset is read in the calendar's zone; a UTC start is answered in it too.
    due = admin_api.get(f"{URL}/{calendar.pk}/due", {"start": "2026-10-09T09:00:00Z", "minutes": 120})
    assert due.json() == {"due": "2026-10-10T10:00:00+08:00"}
    due = admin_api.get(f"{URL}/{calendar.pk}/due", {"start": "2026-10-09T17:00:00", "minutes": 0})
    assert due.json() == {"due": "2026-10-09T17:00:00+08:00"}
    elapsed = admin_api.get(
        f"{URL}/{calendar.pk}/elapsed",
        {"start": "2026-09-28T09:00:00+08:00", "end": "2026-10-12T09:00:00+08:00"},
    )
    assert elapsed.json() == {"minutes": 2700}
    elapsed = admin_api.get(
        f"{URL}/{calendar.pk}/elapsed",
        {"start": "2026-10-12T09:00:00+08:00", "end": "2026-10-12T09:00:30+08:00"},
    )
    assert elapsed.json() == {"minutes": 0.5}


def test_calculator_errors(admin_api):
    calendar = business_calendar(week={})
    error = error_of(
        admin_api.get(f"{URL}/{calendar.pk}/due", {"start": "2026-09-30T17:00:00+08:00", "minutes": 5}), 422
    )
    assert set(error["fields"]) == {"minutes"}
    error = error_of(admin_api.get(f"{URL}/{calendar.pk}/due", {"start": "yesterday", "minutes": -1}), 422)
    assert set(error["fields"]) == {"start", "minutes"}
    error_of(
        admin_api.get(f"{URL}/{calendar.pk + 1}/due", {"start": "2026-09-30T17:00:00+08:00", "minutes": 5}),
        404,
    )


def test_cn_preview(api):
    response = api.get("/api/v1/holidays/cn", {"year": 2026})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["year"] == 2026
    assert body["official"] is True
    assert body["source"].startswith("holidays ")
    assert {"date": "2026-10-01", "name": "National Day"} in body["holidays"]
    assert body["workdays"] == [
        {"date": "2026-01-04", "hours_like": "fri", "instead_of": "2026-01-02", "holiday": "New Year's Day"},
        {
            "date": "2026-02-14",
            "hours_like": "fri",
            "instead_of": "2026-02-20",
            "holiday": "Chinese New Year (Spring Festival)",
        },
        {
            "date": "2026-02-28",
            "hours_like": "mon",
            "instead_of": "2026-02-23",
            "holiday": "Chinese New Year (Spring Festival)",
        },
        {"date": "2026-05-09", "hours_like": "tue", "instead_of": "2026-05-05", "holiday": "Labor Day"},
        {"date": "2026-09-20", "hours_like": "tue", "instead_of": "2026-10-06", "holiday": "National Day"},
        {"date": "2026-10-10", "hours_like": "wed", "instead_of": "2026-10-07", "holiday": "National Day"},
    ]
    chinese = api.get("/api/v1/holidays/cn", {"year": 2026}, headers={"Accept-Language": "zh-hans"})
    assert {"date": "2026-10-01", "name": "国庆节"} in chinese.json()["holidays"]
    later = api.get("/api/v1/holidays/cn", {"year": 2027}).json()
    assert later["official"] is False
    assert later["workdays"] == []
    error = error_of(api.get("/api/v1/holidays/cn", {"year": 1999}), 422)
    assert set(error["fields"]) == {"year"}


def test_who_may(api, api_client_for, admin_agent):
    calendar = business_calendar("A")
    # An agent reads and calculates but does not write.
    assert api.get(URL).status_code == 200
    assert api.get(
        f"{URL}/{calendar.pk}/elapsed",
        {"start": "2026-01-05T09:00:00+08:00", "end": "2026-01-05T10:00:00+08:00"},
    ).json() == {"minutes": 60}
    error_of(api.post_json(URL, {"name": "B"}), 403)
    error_of(api.patch_json(f"{URL}/{calendar.pk}", {"name": "B"}), 403)
    error_of(api.delete(f"{URL}/{calendar.pk}"), 403)
    error_of(api.post_json(f"{URL}/{calendar.pk}/import-cn-holidays", {"year": 2026}), 403)
    assert list(BusinessCalendar.objects.values_list("name", flat=True)) == ["A"]
    assert not calendar.holidays.exists()
    # Anonymous callers get nothing.
    error_of(api_client_for(None).get(URL), 401)
    error_of(api_client_for(None).get("/api/v1/holidays/cn", {"year": 2026}), 401)


def test_times_out_of_range_are_refused(api):
    calendar = business_calendar("A")
    error = error_of(
        api.get(
            f"{URL}/{calendar.pk}/elapsed", {"start": "0001-01-01T00:00:00Z", "end": "9999-12-31T00:00:00Z"}
        ),
        422,
    )
    assert error["fields"] == {
        "start": "Enter a time between the years 1900 and 2199.",
        "end": "Enter a time between the years 1900 and 2199.",
    }
    sparse = business_calendar("one minute a week", week={"mon": [["09:00", "09:01"]]})
    error = error_of(
        api.get(f"{URL}/{sparse.pk}/due", {"start": "2199-12-31T00:00:00Z", "minutes": 5000000}), 422
    )
    assert set(error["fields"]) == {"minutes"}


def test_patch_days_with_only_their_dates(admin_api):
    calendar = business_calendar("A")
    response = admin_api.patch_json(
        f"{URL}/{calendar.pk}",
        {"holidays": [{"date": "2026-10-01"}], "workdays": [{"date": "2026-10-10", "hours_like": "wed"}]},
    )
    assert response.status_code == 200, response.content
    assert response.json()["holidays"] == [{"date": "2026-10-01", "name": "", "yearly": False}]
    assert response.json()["workdays"] == [{"date": "2026-10-10", "hours_like": "wed", "name": ""}]
