"""China's statutory holidays and make-up workdays (调休) of a year, from the ``holidays`` package.

Why ``holidays`` (python-holidays, https://github.com/vacanza/holidays) and not ``chinesecalendar``: both
carry the State Council's notice for 2026, but ``holidays`` is released every few weeks (0.108, November
2026) while ``chinesecalendar`` last shipped in November 2025 (1.11.0) and refuses any year it has no notice
for, so it cannot answer for 2027 at all. ``holidays`` also names the days in Chinese and English and keeps
each make-up workday together with the day off it pays for, which gives the make-up day's hours (a Sunday
worked in place of Tuesday 6 October works Tuesday's hours).

For a year whose notice the installed package does not carry yet (in 0.108: 2027 and later), ``holidays``
computes the statutory days from the law (春节 eve and three days, the observed days after a weekend …) but
cannot know that year's make-up workdays: :func:`cn_year` says so with ``official=False``. Upgrade the
package once the State Council publishes the notice (usually in November) and import the year again, or
enter the days by hand.

This module is pure: no ORM. ``kefu.sla.services.calendars.calendar_import_cn_holidays`` writes the result.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from importlib.metadata import version

import holidays
from holidays.countries.china import ChinaStaticHolidays

FIRST_YEAR = 2001  # the first State Council notice the package checks against
LAST_YEAR = 2100


@dataclass(frozen=True)
class CnHoliday:
    date: dt.date
    name: str


@dataclass(frozen=True)
class CnWorkday:
    date: dt.date
    hours_like: int  # weekday index (0 = Monday) of the day off this day is worked for
    instead_of: dt.date
    holiday: str  # the festival it belongs to (the nearest named day off): 国庆节


@dataclass(frozen=True)
class CnYear:
    year: int
    official: bool  # the State Council's notice for this year is in the installed package
    holidays: tuple[CnHoliday, ...]
    workdays: tuple[CnWorkday, ...]
    source: str


def last_official_year() -> int:
    return max(ChinaStaticHolidays.special_public_holidays)


def _substitutions(year: int) -> list[tuple[dt.date, dt.date]]:
    """``(day off, day worked instead)`` pairs of the year's notice."""
    entries = ChinaStaticHolidays.special_public_holidays.get(year, ())
    if entries and not isinstance(entries[0], tuple):
        entries = (entries,)
    pairs = []
    for entry in entries:
        if len(entry) == 4 and all(isinstance(part, int) for part in entry):
            month, day, month_from, day_from = entry
            pairs.append((dt.date(year, month, day), dt.date(year, month_from, day_from)))
    return pairs


def cn_year(year: int, *, language: str = "zh-hans") -> CnYear:
    """The days off and make-up workdays of ``year`` (``ValueError`` outside 2001–2100). Names are in
    Chinese for ``zh-hans`` and in English otherwise."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(f"year must be between {FIRST_YEAR} and {LAST_YEAR}")
    names = holidays.China(years=year, language="zh_CN" if language.startswith("zh") else "en_US")
    days_off = tuple(CnHoliday(date=date, name=str(name)) for date, name in sorted(names.items()))
    pairs = _substitutions(year)
    substituted = {off for off, _worked in pairs}
    festivals = [day for day in days_off if day.date not in substituted]

    def festival(off: dt.date) -> str:
        # The name most days off close by share, the plainest on a tie: 国庆节 rather than 国庆节（补假）.
        close = [day.name for day in festivals if abs((day.date - off).days) <= 4]
        return min(close, key=lambda name: (-close.count(name), len(name)), default="")

    workdays = tuple(
        sorted(
            (
                CnWorkday(date=worked, hours_like=off.weekday(), instead_of=off, holiday=festival(off))
                for off, worked in pairs
            ),
            key=lambda workday: workday.date,
        )
    )
    return CnYear(
        year=year,
        official=year <= last_official_year(),
        holidays=days_off,
        workdays=workdays,
        source=f"holidays {version('holidays')}",
    )
