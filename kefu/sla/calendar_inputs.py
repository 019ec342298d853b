"""Framework-free inputs of the calendar services (the API and the console both build these)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class HolidayInput:
    date: dt.date
    name: str = ""
    yearly: bool = False


@dataclass(frozen=True)
class WorkdayInput:
    date: dt.date
    hours_like: int  # weekday index, 0 = Monday
    name: str = ""


@dataclass(frozen=True)
class CalendarInput:
    """A calendar as typed: ``week`` maps ``"mon"``…``"sun"`` to ``[["09:00", "12:00"], …]``.

    Every field may be ``None``: on update it keeps what the calendar has; on create the name is required
    and the rest defaults to Asia/Shanghai, no working hours, no holidays, no make-up days, no departments.
    """

    name: str | None = None
    time_zone: str | None = None
    week: Mapping[str, Sequence[Sequence[str]]] | None = None
    holidays: Sequence[HolidayInput] | None = None
    workdays: Sequence[WorkdayInput] | None = None
    department_ids: Sequence[int] | None = None
