"""Business-time arithmetic: pure Python, no ORM, no Django.

A :class:`WorkingTime` is a business-hours calendar reduced to plain values: a time zone, the working
intervals of each weekday in local wall-clock minutes, whole days off, and make-up workdays (调休) that borrow
the hours of a weekday. Two questions are answered:

``due(start, minutes)``
    the earliest instant at which ``minutes`` working minutes have elapsed since ``start``. A target that is
    used up exactly at the end of an interval is due at that end (18:00, not the next opening at 09:00).
    For ``minutes == 0`` the answer is ``start`` itself, whether or not ``start`` is in working time (nothing
    has to elapse). Negative minutes are an error.

``elapsed(start, end)``
    the working minutes in ``[start, end)``; ``0`` when ``end <= start``.

The two are inverse: ``elapsed(s, due(s, m)) == m`` (to the microsecond), both are monotonic in each argument,
and a ``due`` for ``m > 0`` always falls inside a working interval or at its end.

Time zones and daylight saving time: the working intervals are local wall-clock times of each local date.
Each is turned into absolute instants with the zone's rules of that date, and working minutes are *real*
minutes between those instants. So a 09:00–18:00 day is 9 hours on every date, while a 24-hour day
(``00:00–24:00``) is 23 hours on the spring-forward date and 25 hours on the fall-back date. A wall-clock time
that does not exist (inside the spring-forward gap) stands for the instant of the transition; a wall-clock
time that occurs twice (fall-back) is its first occurrence.

Holidays: ``holidays`` holds dated whole days off; ``yearly`` holds ``(month, day)`` pairs that are off
every year (e.g. ``(1, 1)``). A date in ``workdays`` is worked with the hours of the weekday it names even if
it is a weekend day or also listed as a holiday (a make-up workday wins).

Speed: a year's span costs tens of microseconds. Runs of ordinary days are skipped a week at a time using the
precomputed working minutes per week; only days that differ from their weekday (holidays, make-up workdays,
the dates of DST transitions) and the first and last day are looked at one by one.

All inputs must be timezone-aware; results are returned in the calendar's zone.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from zoneinfo import ZoneInfo

__all__ = [
    "ALWAYS",
    "MINUTES_PER_DAY",
    "NoWorkingTime",
    "WorkingTime",
    "format_minute",
    "parse_minute",
]

MINUTES_PER_DAY = 1440
HORIZON_YEARS = 100  # ``due`` gives up (NoWorkingTime) rather than look further ahead than this
_US_PER_MINUTE = 60_000_000
_US_PER_DAY = 86_400_000_000
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_ONE_DAY = dt.timedelta(days=1)

Interval = tuple[int, int]
DayIntervals = tuple[Interval, ...]


class NoWorkingTime(ValueError):
    """A positive target can never be reached: the calendar has no working time after the start."""


def parse_minute(text: str) -> int:
    """``"09:30"`` → 570; ``"24:00"`` → 1440. Raises ``ValueError`` otherwise (``"25:00"``, ``"9"``)."""
    hours, sep, minutes = text.strip().partition(":")
    if not sep or not hours.isdigit() or not minutes.isdigit() or len(minutes) != 2 or len(hours) > 2:
        raise ValueError(f"{text!r} is not a time of day HH:MM")
    value = int(hours) * 60 + int(minutes)
    if int(minutes) >= 60 or value > MINUTES_PER_DAY:
        raise ValueError(f"{text!r} is not a time of day between 00:00 and 24:00")
    return value


def format_minute(minute: int) -> str:
    """570 → ``"09:30"``; 1440 → ``"24:00"``."""
    return f"{minute // 60:02d}:{minute % 60:02d}"


def validate_day(intervals: DayIntervals) -> None:
    """Raise ``ValueError`` unless the intervals are within 00:00–24:00, each ends after it starts, sorted and
    not overlapping (touching is allowed: 09:00–12:00 and 12:00–13:00)."""
    previous_end = -1
    for interval in intervals:
        if len(interval) != 2:
            raise ValueError(f"{interval!r} is not a (start, end) pair")
        start, end = interval
        if not (0 <= start <= MINUTES_PER_DAY and 0 <= end <= MINUTES_PER_DAY):
            raise ValueError(f"{format_minute(start)}–{format_minute(end)} is outside 00:00–24:00")
        if end <= start:
            raise ValueError(f"{format_minute(start)}–{format_minute(end)} ends before it starts")
        if start < previous_end:
            raise ValueError(f"{format_minute(start)}–{format_minute(end)} overlaps the interval before it")
        previous_end = end


def _us(instant: dt.datetime) -> int:
    """Microseconds since the epoch of an aware datetime."""
    delta = instant - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def _from_us(value: int, zone: ZoneInfo) -> dt.datetime:
    return (_EPOCH + dt.timedelta(microseconds=value)).astimezone(zone)


def _offset_us(zone: ZoneInfo, naive: dt.datetime) -> int:
    offset = zone.utcoffset(naive)
    assert offset is not None
    return (offset.days * 86_400 + offset.seconds) * 1_000_000 + offset.microseconds


def _local_to_us(zone: ZoneInfo, naive: dt.datetime) -> int:
    """The instant of a local wall-clock time: its first occurrence if it is ambiguous, the transition if it
    falls in a gap."""
    naive_us = _us(naive.replace(tzinfo=dt.UTC))
    first = naive_us - _offset_us(zone, naive)  # fold=0
    second = naive_us - _offset_us(zone, naive.replace(fold=1))
    if first == second:
        return first
    # Ambiguous: both instants read back as the same wall-clock time; take the first one.
    if _from_us(min(first, second), zone).replace(tzinfo=None) == naive:
        return min(first, second)
    # In a gap: the transition lies between the two readings; find it to the second.
    low, high = min(first, second), max(first, second)
    low_offset = _from_us(low, zone).utcoffset()
    while high - low > 1_000_000:
        middle = (low + high) // 2 // 1_000_000 * 1_000_000
        if middle <= low:
            break
        if _from_us(middle, zone).utcoffset() == low_offset:
            low = middle
        else:
            high = middle
    return high


@lru_cache(maxsize=512)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


@lru_cache(maxsize=512)
def _transition_dates(zone_name: str, year: int) -> tuple[dt.date, ...]:
    """Local dates of ``year`` whose UTC offset at the next midnight differs from the one at their own
    midnight: the days that are shorter or longer than 24 hours."""
    zone = _zone(zone_name)
    day = dt.date(year, 1, 1)
    previous = zone.utcoffset(_midnight(day))
    found: list[dt.date] = []
    while day.year == year:
        following = day + _ONE_DAY
        offset = zone.utcoffset(_midnight(following))
        if offset != previous:
            found.append(day)
        previous = offset
        day = following
    return tuple(found)


@dataclass(frozen=True)
class WorkingTime:
    """A business-hours calendar as plain values (see the module docstring for the exact definitions).

    ``week`` has 7 entries, Monday first; each is a sorted tuple of ``(start_minute, end_minute)`` with
    ``0 <= start < end <= 1440``. ``holidays`` are dated days off; ``yearly`` are ``(month, day)`` pairs off
    every year; ``workdays`` maps a make-up workday to the weekday index (0 = Monday) whose hours apply.
    """

    time_zone: str
    week: tuple[DayIntervals, ...]
    holidays: frozenset[dt.date] = frozenset()
    workdays: Mapping[dt.date, int] = field(default_factory=dict, hash=False)
    yearly: frozenset[tuple[int, int]] = frozenset()
    _state: dict[str, object] = field(default_factory=dict, init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        try:
            zone = _zone(self.time_zone)
        except (ValueError, KeyError, OSError) as error:  # ZoneInfoNotFoundError is a KeyError
            raise ValueError(f"unknown time zone {self.time_zone!r}") from error
        if len(self.week) != 7:
            raise ValueError("week must have 7 days, Monday first")
        week = tuple(tuple((int(s), int(e)) for s, e in day) for day in self.week)
        for day in week:
            validate_day(day)
        object.__setattr__(self, "week", week)
        for date, weekday in self.workdays.items():
            if not 0 <= weekday <= 6:
                raise ValueError(f"make-up workday {date.isoformat()} names weekday {weekday}")
        for month, day_of_month in self.yearly:
            dt.date(2024, month, day_of_month)  # a leap year accepts 29 February; raises for 31 April
        day_minutes = tuple(sum(e - s for s, e in day) * _US_PER_MINUTE for day in week)
        by_year: dict[int, list[dt.date]] = {}
        for date in set(self.holidays) | set(self.workdays):
            by_year.setdefault(date.year, []).append(date)
        self._state.update(
            zone=zone,
            day_us=day_minutes,
            week_us=sum(day_minutes),
            dated_by_year=by_year,
            irregular={},
            last_dated_year=max(by_year, default=dt.MINYEAR),
        )

    # -- public API ---------------------------------------------------------------------------------------

    @property
    def zone(self) -> ZoneInfo:
        return self._state["zone"]  # type: ignore[return-value]

    @property
    def week_minutes(self) -> int:
        """Working minutes of an ordinary week (no holidays, no make-up days, no DST change)."""
        return self._week_us // _US_PER_MINUTE

    def intervals_on(self, date: dt.date) -> DayIntervals:
        """The local wall-clock working intervals of a date, after holidays and make-up workdays."""
        weekday = self.workdays.get(date)
        if weekday is not None:
            return self.week[weekday]
        if date in self.holidays or (date.month, date.day) in self.yearly:
            return ()
        return self.week[date.weekday()]

    def is_working(self, at: dt.datetime) -> bool:
        """Whether ``at`` lies inside a working interval (start included, end excluded)."""
        at_us = _us(_aware(at))
        date = _from_us(at_us, self.zone).date()
        for day in (date - _ONE_DAY, date):
            for start, end in self._absolute(day):
                if start <= at_us < end:
                    return True
        return False

    def due(self, start: dt.datetime, minutes: float) -> dt.datetime:
        """The earliest instant at which ``minutes`` working minutes have elapsed since ``start``."""
        if minutes < 0:
            raise ValueError("minutes must not be negative")
        start_us = _us(_aware(start))
        remaining = round(minutes * _US_PER_MINUTE)
        if remaining == 0:
            return _from_us(start_us, self.zone)
        date = _from_us(start_us, self.zone).date()
        # A wall-clock day can reach past local midnight only through a DST change; look at the day before.
        for day in (date - _ONE_DAY, date):
            found, remaining = self._consume(day, start_us, remaining)
            if found is not None:
                return _from_us(found, self.zone)
        day = date + _ONE_DAY
        horizon = date + dt.timedelta(days=min(366 * HORIZON_YEARS, (dt.date.max - date).days - 8))
        while True:
            if day > horizon:
                raise NoWorkingTime(f"the calendar has no working time for this within {HORIZON_YEARS} years")
            next_irregular = self._next_irregular(day)
            week_us = self._week_us
            if next_irregular is None and week_us == 0:
                raise NoWorkingTime("the calendar has no working time after the start")
            if week_us:
                # Whole ordinary weeks before the next irregular day, leaving the last bit to walk.
                room = (next_irregular - day).days // 7 if next_irregular is not None else None
                weeks = (remaining - 1) // week_us
                if room is not None:
                    weeks = min(weeks, room)
                if weeks > 0:
                    day += dt.timedelta(days=7 * weeks)
                    remaining -= weeks * week_us
            elif next_irregular is not None and next_irregular > day:
                day = next_irregular
            # Walk day by day up to and including the next irregular day (or one week when there is none).
            stop = next_irregular if next_irregular is not None else day + dt.timedelta(days=6)
            while day <= stop:
                total = self._day_us(day)
                if total >= remaining and total > 0:
                    found, remaining = self._consume(day, None, remaining)
                    assert found is not None
                    return _from_us(found, self.zone)
                remaining -= total
                day += _ONE_DAY

    def elapsed(self, start: dt.datetime, end: dt.datetime) -> float:
        """Working minutes in ``[start, end)``; 0 when ``end <= start``."""
        return self.elapsed_us(start, end) / _US_PER_MINUTE

    def elapsed_us(self, start: dt.datetime, end: dt.datetime) -> int:
        """Working time in ``[start, end)`` in whole microseconds."""
        start_us, end_us = _us(_aware(start)), _us(_aware(end))
        if end_us <= start_us:
            return 0
        first = _from_us(start_us, self.zone).date() - _ONE_DAY
        last = _from_us(end_us, self.zone).date()
        if (last - first).days <= 3:
            return sum(self._overlap(day, start_us, end_us) for day in _dates(first, last))
        # Exact at both ends (two days each, for days stretched by DST), arithmetic in between.
        total = self._overlap(first, start_us, end_us) + self._overlap(first + _ONE_DAY, start_us, end_us)
        total += self._overlap(last - _ONE_DAY, start_us, end_us) + self._overlap(last, start_us, end_us)
        return total + self._sum_days(first + dt.timedelta(days=2), last - dt.timedelta(days=2))

    # -- internals ----------------------------------------------------------------------------------------

    @property
    def _week_us(self) -> int:
        return self._state["week_us"]  # type: ignore[return-value]

    def _absolute(self, date: dt.date) -> list[tuple[int, int]]:
        """The working intervals of a local date as instants (µs since the epoch), sorted and disjoint."""
        intervals = self.intervals_on(date)
        if not intervals:
            return []
        zone = self.zone
        midnight = _midnight(date)
        if date not in _transition_dates(self.time_zone, date.year):
            base = _us(midnight.replace(tzinfo=dt.UTC)) - _offset_us(zone, midnight)
            return [(base + s * _US_PER_MINUTE, base + e * _US_PER_MINUTE) for s, e in intervals]
        result: list[tuple[int, int]] = []
        previous_end = None
        for s, e in intervals:
            a = _local_to_us(zone, midnight + dt.timedelta(minutes=s))
            b = _local_to_us(zone, midnight + dt.timedelta(minutes=e))
            if previous_end is not None:
                a = max(a, previous_end)
            b = max(a, b)
            if b > a:
                result.append((a, b))
                previous_end = b
        return result

    def _day_us(self, date: dt.date) -> int:
        """Working microseconds of a whole local date."""
        if date in _transition_dates(self.time_zone, date.year):
            return sum(b - a for a, b in self._absolute(date))
        return sum(e - s for s, e in self.intervals_on(date)) * _US_PER_MINUTE

    def _overlap(self, date: dt.date, start_us: int, end_us: int) -> int:
        total = 0
        for a, b in self._absolute(date):
            low, high = max(a, start_us), min(b, end_us)
            if high > low:
                total += high - low
        return total

    def _consume(self, date: dt.date, start_us: int | None, remaining: int) -> tuple[int | None, int]:
        """Spend ``remaining`` on the intervals from ``start_us`` on; the instant it runs out, or None."""
        for a, b in self._absolute(date):
            if start_us is not None:
                if b <= start_us:
                    continue
                a = max(a, start_us)
            if b - a >= remaining:
                return a + remaining, 0
            remaining -= b - a
        return None, remaining

    def _irregular_in_year(self, year: int) -> tuple[dt.date, ...]:
        """Dates of a year that differ from their weekday: holidays, make-up workdays, DST transition days."""
        cache: dict[int, tuple[dt.date, ...]] = self._state["irregular"]  # type: ignore[assignment]
        found = cache.get(year)
        if found is None:
            dates = set(self._state["dated_by_year"].get(year, ()))  # type: ignore[attr-defined]
            for month, day_of_month in self.yearly:
                if month == 2 and day_of_month == 29 and not _is_leap(year):
                    continue
                dates.add(dt.date(year, month, day_of_month))
            dates.update(_transition_dates(self.time_zone, year))
            found = tuple(sorted(dates))
            cache[year] = found
        return found

    def _next_irregular(self, date: dt.date) -> dt.date | None:
        """The first irregular date on or after ``date``; ``None`` when none will ever come (no yearly
        holidays, no dated ones left, a zone without DST changes)."""
        year = date.year
        while year <= dt.MAXYEAR:
            dates = self._irregular_in_year(year)
            index = bisect.bisect_left(dates, date) if year == date.year else 0
            if index < len(dates):
                return dates[index]
            if not self.yearly and year >= self._state["last_dated_year"]:  # type: ignore[operator]
                # Only DST days remain; a zone that changes offset does so every year or rarely: look ahead
                # a few years, then treat the zone as settled.
                for ahead in range(year + 1, min(year + 4, dt.MAXYEAR) + 1):
                    later = self._irregular_in_year(ahead)
                    if later:
                        return later[0]
                return None
            year += 1
        return None

    def _sum_days(self, first: dt.date, last: dt.date) -> int:
        """Working microseconds of the whole local dates ``first..last`` (inclusive)."""
        if last < first:
            return 0
        count = (last - first).days + 1
        day_us: tuple[int, ...] = self._state["day_us"]  # type: ignore[assignment]
        weekday = first.weekday()
        total = (count // 7) * self._week_us
        total += sum(day_us[(weekday + i) % 7] for i in range(count % 7))
        for year in range(first.year, last.year + 1):
            dates = self._irregular_in_year(year)
            low = bisect.bisect_left(dates, first) if year == first.year else 0
            high = bisect.bisect_right(dates, last) if year == last.year else len(dates)
            for date in dates[low:high]:
                total += self._day_us(date) - day_us[date.weekday()]
        return total


def _dates(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]


def _midnight(date: dt.date) -> dt.datetime:
    """Local wall-clock midnight of a date, naive on purpose (a zone reads it with its own rules)."""
    return dt.datetime(date.year, date.month, date.day)  # noqa: DTZ001


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _aware(value: dt.datetime) -> dt.datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("datetimes must be timezone-aware")
    return value


#: Around the clock in UTC: the calendar of targets measured in calendar time.
ALWAYS = WorkingTime(time_zone="UTC", week=(((0, MINUTES_PER_DAY),),) * 7)
