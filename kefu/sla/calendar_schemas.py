"""The JSON shapes of business-hours calendars and China's holiday preview."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Schema
from pydantic import Field

from kefu.core.api_types import Id, InputSchema, Moment, text

Day = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
LUNCH_BREAK_EXAMPLE = [["09:00", "12:00"], ["13:30", "18:00"]]
WEEK_EXAMPLE = {
    **dict.fromkeys(("mon", "tue", "wed", "thu", "fri"), LUNCH_BREAK_EXAMPLE),
    "sat": [],
    "sun": [],
}
MAX_MINUTES = 60 * 24 * 366 * 10  # ten years


class HolidayIn(InputSchema):
    date: dt.date = Field(examples=["2026-10-01"])
    name: text(100) = Field("", examples=["国庆节"])  # type: ignore[valid-type]
    yearly: bool = False


class WorkdayIn(InputSchema):
    date: dt.date = Field(examples=["2026-10-10"])
    hours_like: Day = Field(examples=["wed"])
    name: text(100) = ""  # type: ignore[valid-type]


Week = dict[text(8), list[list[text(5)]]]  # type: ignore[valid-type,misc]


class CalendarIn(InputSchema):
    name: text(100, min_length=1) = Field(examples=["北京工作时间"])  # type: ignore[valid-type]
    time_zone: text(64) = Field("Asia/Shanghai", examples=["Asia/Shanghai"])  # type: ignore[valid-type]
    week: Week = Field(default_factory=dict, examples=[WEEK_EXAMPLE])
    holidays: list[HolidayIn] = Field(default_factory=list, max_length=2000)
    workdays: list[WorkdayIn] = Field(default_factory=list, max_length=2000)
    department_ids: list[Id] = Field(default_factory=list, max_length=1000)


class CalendarPatchIn(InputSchema):
    name: text(100, min_length=1) | None = None  # type: ignore[valid-type]
    time_zone: text(64) | None = None  # type: ignore[valid-type]
    week: Week | None = None
    holidays: list[HolidayIn] | None = Field(None, max_length=2000)
    workdays: list[WorkdayIn] | None = Field(None, max_length=2000)
    department_ids: list[Id] | None = Field(None, max_length=1000)


class HolidayOut(Schema):
    date: dt.date
    name: str
    yearly: bool


class WorkdayOut(Schema):
    date: dt.date
    hours_like: Day
    name: str


class CalendarOut(Schema):
    id: int
    name: str
    time_zone: str
    week: dict[str, list[list[str]]] = Field(examples=[WEEK_EXAMPLE])
    holidays: list[HolidayOut]
    workdays: list[WorkdayOut]
    department_ids: list[int]


class CalendarListOut(Schema):
    items: list[CalendarOut]
    next_cursor: str | None


class CalendarListIn(Schema):
    limit: int = Field(25, ge=1, le=100)
    cursor: text(500) | None = None  # type: ignore[valid-type]


class DueIn(Schema):
    start: Moment = Field(examples=["2026-09-30T17:00:00+08:00"])
    minutes: float = Field(ge=0, le=MAX_MINUTES, allow_inf_nan=False, examples=[120])


class DueOut(Schema):
    due: str = Field(examples=["2026-10-08T10:00:00+08:00"])


class ElapsedIn(Schema):
    start: Moment = Field(examples=["2026-09-28T09:00:00+08:00"])
    end: Moment = Field(examples=["2026-10-12T09:00:00+08:00"])


class ElapsedOut(Schema):
    minutes: float = Field(examples=[2700])


class CnYearIn(Schema):
    year: int = Field(ge=2001, le=2100, examples=[2026])


class CnHolidayOut(Schema):
    date: dt.date
    name: str


class CnWorkdayOut(Schema):
    date: dt.date
    hours_like: Day
    instead_of: dt.date
    holiday: str = Field(examples=["国庆节"])


class CnYearOut(Schema):
    year: int
    source: str = Field(examples=["holidays 0.108"])
    official: bool
    holidays: list[CnHolidayOut]
    workdays: list[CnWorkdayOut]


class CnImportIn(InputSchema):
    year: int = Field(ge=2001, le=2100, examples=[2026])


class CnImportOut(Schema):
    year: int
    official: bool
    holidays: int = Field(description="Days off added or renamed")
    workdays: int = Field(description="Make-up workdays added or changed")
