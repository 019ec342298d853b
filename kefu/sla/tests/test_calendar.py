"""The pure business-time arithmetic (kefu.sla.calendar): hand-computed tables and hypothesis properties."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from kefu.sla.calendar import (
    ALWAYS,
    NoWorkingTime,
    WorkingTime,
    format_minute,
    parse_minute,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")

NINE_TO_SIX = ((540, 1080),)
LUNCH_BREAK = ((540, 720), (810, 1080))  # 09:00–12:00, 13:30–18:00
WEEKDAYS = lambda day: (day,) * 5 + ((), ())  # noqa: E731

# China's National Day golden week 2026 (State Council notice): 1–7 October off; Sunday 20 September and
# Saturday 10 October are make-up workdays (for Tuesday 6 and Wednesday 7 October).
GOLDEN_WEEK_OFF = frozenset(dt.date(2026, 10, day) for day in (1, 2, 3, 5, 6, 7))
GOLDEN_WEEK_WORKDAYS = {dt.date(2026, 9, 20): 1, dt.date(2026, 10, 10): 2}


def shanghai(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=SHANGHAI)


def china_office() -> WorkingTime:
    return WorkingTime(
        "Asia/Shanghai", WEEKDAYS(LUNCH_BREAK), holidays=GOLDEN_WEEK_OFF, workdays=GOLDEN_WEEK_WORKDAYS
    )


# -- tables -------------------------------------------------------------------------------------------------


def test_friday_evening_plus_an_hour_is_monday_morning():
    calendar = WorkingTime("Asia/Shanghai", WEEKDAYS(NINE_TO_SIX))
    friday = shanghai(2026, 12, 4, 17, 30)
    assert friday.weekday() == 4
    assert calendar.due(friday, 60) == shanghai(2026, 12, 7, 9, 30)
    assert calendar.elapsed(friday, shanghai(2026, 12, 7, 9, 30)) == 60


def test_target_used_up_at_closing_time_is_due_at_closing_time():
    calendar = WorkingTime("Asia/Shanghai", WEEKDAYS(NINE_TO_SIX))
    assert calendar.due(shanghai(2026, 12, 7, 17, 0), 60) == shanghai(2026, 12, 7, 18, 0)
    assert calendar.due(shanghai(2026, 12, 7, 9, 0), 9 * 60) == shanghai(2026, 12, 7, 18, 0)


def test_four_hour_target_over_the_lunch_break():
    calendar = WorkingTime("Asia/Shanghai", WEEKDAYS(LUNCH_BREAK))
    # 10:00–12:00 is 2 h, the lunch break does not count, 13:30–15:30 is the other 2 h.
    assert calendar.due(shanghai(2026, 12, 7, 10, 0), 240) == shanghai(2026, 12, 7, 15, 30)
    assert calendar.elapsed(shanghai(2026, 12, 7, 11, 0), shanghai(2026, 12, 7, 14, 0)) == 90
    # Created during lunch: the clock starts at 13:30.
    assert calendar.due(shanghai(2026, 12, 7, 12, 45), 240) == shanghai(2026, 12, 7, 17, 30)
    # Used up exactly at noon: due at noon, not at 13:30.
    assert calendar.due(shanghai(2026, 12, 7, 9, 0), 180) == shanghai(2026, 12, 7, 12, 0)


def test_ticket_across_the_national_day_golden_week():
    calendar = china_office()
    # Wednesday 30 September 17:00 + 2 h: one hour that day, then 1–7 October are off (4 October is a Sunday),
    # Thursday 8 October 09:00 + 1 h.
    assert calendar.due(shanghai(2026, 9, 30, 17, 0), 120) == shanghai(2026, 10, 8, 10, 0)
    # Friday 9 October 17:00 + 2 h: Saturday 10 October is a make-up workday.
    assert calendar.due(shanghai(2026, 10, 9, 17, 0), 120) == shanghai(2026, 10, 10, 10, 0)
    # Saturday 19 September 17:00 (a day off) + 2 h: Sunday 20 September is worked.
    assert calendar.due(shanghai(2026, 9, 19, 17, 0), 120) == shanghai(2026, 9, 20, 11, 0)
    # 28 September 09:00 → 12 October 09:00: 28, 29, 30 September, 8, 9, 10 October = 6 days of 7.5 h.
    assert calendar.elapsed(shanghai(2026, 9, 28, 9, 0), shanghai(2026, 10, 12, 9, 0)) == 6 * 450
    # A three-day target (3 × 7.5 h) from 30 September 09:00 ends on Friday 9 October at 18:00.
    assert calendar.due(shanghai(2026, 9, 30, 9, 0), 3 * 450) == shanghai(2026, 10, 9, 18, 0)


def test_zero_minutes_is_the_start_itself_even_out_of_hours():
    calendar = WorkingTime("Asia/Shanghai", WEEKDAYS(NINE_TO_SIX))
    sunday = shanghai(2026, 12, 6, 3, 0)
    assert calendar.due(sunday, 0) == sunday


def test_elapsed_is_zero_when_end_is_not_after_start():
    calendar = WorkingTime("Asia/Shanghai", WEEKDAYS(NINE_TO_SIX))
    assert calendar.elapsed(shanghai(2026, 12, 7, 12), shanghai(2026, 12, 7, 12)) == 0
    assert calendar.elapsed(shanghai(2026, 12, 7, 12), shanghai(2026, 12, 7, 10)) == 0


def test_results_are_in_the_calendars_zone():
    calendar = WorkingTime("Asia/Shanghai", WEEKDAYS(NINE_TO_SIX))
    due = calendar.due(dt.datetime(2026, 12, 7, 1, 0, tzinfo=dt.UTC), 30)  # 09:00 in Beijing
    assert due == shanghai(2026, 12, 7, 9, 30)
    assert due.utcoffset() == dt.timedelta(hours=8)


def test_always_counts_calendar_time():
    start = dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC)
    assert ALWAYS.due(start, 60 * 24 * 365) == dt.datetime(2027, 3, 1, 12, tzinfo=dt.UTC)
    assert ALWAYS.elapsed(start, start + dt.timedelta(hours=5, seconds=30)) == 300.5


def test_yearly_holidays_and_a_make_up_day_that_is_also_a_holiday():
    calendar = WorkingTime(
        "Asia/Shanghai",
        WEEKDAYS(NINE_TO_SIX),
        yearly=frozenset({(1, 1)}),
        holidays=frozenset({dt.date(2027, 1, 4)}),
        workdays={dt.date(2027, 1, 4): 0},
    )
    # 1 January is off every year; a make-up workday wins over a holiday on the same date.
    assert calendar.due(shanghai(2026, 12, 31, 17, 0), 120) == shanghai(2027, 1, 4, 10, 0)
    assert calendar.due(shanghai(2027, 12, 31, 17, 0), 120) == shanghai(2028, 1, 3, 10, 0)


def test_dst_days_are_as_long_as_the_clock_says():
    always_berlin = WorkingTime("Europe/Berlin", (((0, 1440),),) * 7)
    spring = dt.datetime(2026, 3, 29, tzinfo=BERLIN)
    autumn = dt.datetime(2026, 10, 25, tzinfo=BERLIN)
    assert always_berlin.elapsed(spring, spring + dt.timedelta(days=1)) == 23 * 60
    assert always_berlin.elapsed(autumn, dt.datetime(2026, 10, 26, tzinfo=BERLIN)) == 25 * 60
    # 01:00 + 90 real minutes crosses the gap (02:00 → 03:00): 03:30 CEST.
    assert always_berlin.due(dt.datetime(2026, 3, 29, 1, 0, tzinfo=BERLIN), 90) == dt.datetime(
        2026, 3, 29, 3, 30, tzinfo=BERLIN
    )
    # Office hours keep their length across the change; Friday 17:00 + 2 h in New York over the spring change.
    office = WorkingTime("America/New_York", WEEKDAYS(NINE_TO_SIX))
    friday = dt.datetime(2026, 3, 6, 17, 0, tzinfo=NEW_YORK)
    assert office.due(friday, 120) == dt.datetime(2026, 3, 9, 10, 0, tzinfo=NEW_YORK)
    assert office.due(friday, 120).utcoffset() == dt.timedelta(hours=-4)


def test_an_interval_ending_in_the_gap_ends_at_the_transition():
    early = WorkingTime(
        "Europe/Berlin", (((60, 150),),) * 7
    )  # 01:00–02:30, and 02:30 does not exist on 29 March
    day = dt.datetime(2026, 3, 29, tzinfo=BERLIN)
    assert early.elapsed(day, day + dt.timedelta(days=1)) == 60
    assert early.due(dt.datetime(2026, 3, 29, 1, 30, tzinfo=BERLIN), 30) == dt.datetime(
        2026, 3, 29, 3, 0, tzinfo=BERLIN
    )


def test_no_working_time_at_all():
    closed = WorkingTime("UTC", ((),) * 7)
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    assert closed.elapsed(start, start + dt.timedelta(days=400)) == 0
    assert closed.due(start, 0) == start
    with pytest.raises(NoWorkingTime):
        closed.due(start, 1)
    # A make-up workday borrows the hours of a weekday; with none, it adds nothing either.
    with pytest.raises(NoWorkingTime):
        WorkingTime("UTC", ((),) * 7, workdays={dt.date(2026, 6, 6): 0}).due(start, 1)


@pytest.mark.parametrize(
    ("week", "message"),
    [
        ((((540, 720), (700, 1080)),) + ((),) * 6, "overlaps"),
        ((((540, 1500),),) + ((),) * 6, "outside"),
        ((((720, 540),),) + ((),) * 6, "ends before"),
        (((),) * 6, "7 days"),
    ],
)
def test_bad_weeks_are_refused(week, message):
    with pytest.raises(ValueError, match=message):
        WorkingTime("UTC", week)


def test_unknown_zone_and_naive_datetimes_are_refused():
    with pytest.raises(ValueError, match="unknown time zone"):
        WorkingTime("Mars/Olympus_Mons", ((),) * 7)
    with pytest.raises(ValueError, match="aware"):
        ALWAYS.due(dt.datetime(2026, 1, 1), 5)
    with pytest.raises(ValueError, match="negative"):
        ALWAYS.due(dt.datetime(2026, 1, 1, tzinfo=dt.UTC), -1)


def test_minutes_are_parsed_and_formatted():
    assert parse_minute("09:30") == 570
    assert parse_minute("24:00") == 1440
    assert format_minute(1440) == "24:00"
    for bad in ("25:00", "9", "09:60", "24:01", "ab:cd", ""):
        with pytest.raises(ValueError, match="time of day"):
            parse_minute(bad)


# -- properties ---------------------------------------------------------------------------------------------

ZONES = ["Europe/Berlin", "America/New_York", "Asia/Shanghai"]


@st.composite
def days(draw):
    """A sorted, disjoint list of intervals of one day (possibly empty)."""
    cuts = sorted(draw(st.sets(st.integers(0, 1440), max_size=6)))
    if len(cuts) % 2:
        cuts = cuts[:-1]
    return tuple((cuts[i], cuts[i + 1]) for i in range(0, len(cuts), 2))


@st.composite
def calendars(draw):
    zone = draw(st.sampled_from(ZONES))
    week = tuple(draw(days()) for _ in range(7))
    around = st.dates(dt.date(2025, 10, 1), dt.date(2027, 4, 30))
    holidays = frozenset(draw(st.lists(around, max_size=12)))
    workdays = draw(st.dictionaries(around, st.integers(0, 6), max_size=4))
    assume(any(week) or any(week[w] for w in workdays.values()))
    return WorkingTime(zone, week, holidays=holidays, workdays=workdays)


# Any instant of 2026, and instants within three days of the 2026 DST changes in Europe and the United States.
CHANGES = [
    dt.datetime(2026, 3, 8, 7, tzinfo=dt.UTC),
    dt.datetime(2026, 3, 29, 1, tzinfo=dt.UTC),
    dt.datetime(2026, 10, 25, 1, tzinfo=dt.UTC),
    dt.datetime(2026, 11, 1, 6, tzinfo=dt.UTC),
]
instants = st.one_of(
    st.datetimes(dt.datetime(2026, 1, 1), dt.datetime(2026, 12, 31), timezones=st.just(dt.UTC)),
    st.builds(
        lambda change, seconds: change + dt.timedelta(seconds=seconds),
        st.sampled_from(CHANGES),
        st.integers(-3 * 86400, 3 * 86400),
    ),
)
minutes = st.one_of(
    st.integers(0, 60 * 24 * 30), st.floats(0, 5000, allow_nan=False).map(lambda m: round(m, 3))
)

PROPERTY_SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _due_or_none(calendar: WorkingTime, start: dt.datetime, m: float) -> dt.datetime | None:
    try:
        return calendar.due(start, m)
    except NoWorkingTime:
        return None


@PROPERTY_SETTINGS
@given(calendars(), instants, minutes)
def test_due_falls_in_working_time_or_at_an_intervals_end(calendar, start, m):
    due = _due_or_none(calendar, start, m)
    assume(due is not None and m > 0)
    just_before = due - dt.timedelta(microseconds=1)
    assert calendar.is_working(just_before), (due, just_before)
    assert due > start


@PROPERTY_SETTINGS
@given(calendars(), instants, minutes)
def test_elapsed_undoes_due(calendar, start, m):
    due = _due_or_none(calendar, start, m)
    assume(due is not None)
    assert calendar.elapsed(start, due) == pytest.approx(m, abs=1e-6)
    # And it is the earliest such instant: a microsecond earlier not all of it has elapsed.
    if m > 0:
        assert calendar.elapsed(start, due - dt.timedelta(microseconds=1)) < m


@PROPERTY_SETTINGS
@given(calendars(), instants, minutes, minutes)
def test_due_is_monotonic(calendar, start, m1, m2):
    low, high = sorted((m1, m2))
    a, b = _due_or_none(calendar, start, low), _due_or_none(calendar, start, high)
    assume(a is not None and b is not None)
    assert a <= b
    later = start + dt.timedelta(minutes=low)
    c = _due_or_none(calendar, later, high)
    assume(c is not None)
    assert b <= c


@PROPERTY_SETTINGS
@given(calendars(), instants, instants, instants)
def test_elapsed_is_monotonic_and_additive(calendar, a, b, c):
    first, middle, last = sorted((a, b, c))
    whole = calendar.elapsed_us(first, last)
    assert calendar.elapsed_us(first, middle) + calendar.elapsed_us(middle, last) == whole
    assert calendar.elapsed_us(middle, last) <= whole
    assert calendar.elapsed_us(first, middle) <= whole


@PROPERTY_SETTINGS
@given(calendars(), instants, instants)
def test_elapsed_agrees_with_walking_the_days(calendar, a, b):
    start, end = sorted((a, b))
    zone = calendar.zone
    day = start.astimezone(zone).date() - dt.timedelta(days=1)
    total = 0
    while day <= end.astimezone(zone).date():
        for s, e in calendar.intervals_on(day):
            naive = dt.datetime(day.year, day.month, day.day)
            lo = max((naive + dt.timedelta(minutes=s)).replace(tzinfo=zone), start)
            hi = min((naive + dt.timedelta(minutes=e)).replace(tzinfo=zone), end)
            if hi > lo and not _touches_a_change(zone, day):
                total += (hi - lo) // dt.timedelta(microseconds=1)
        day += dt.timedelta(days=1)
    assume(
        not any(
            _touches_a_change(zone, start.date() + dt.timedelta(days=i))
            for i in range(-1, (end - start).days + 2)
        )
    )
    assert calendar.elapsed_us(start, end) == total


def _touches_a_change(zone: ZoneInfo, day: dt.date) -> bool:
    midnight = dt.datetime(day.year, day.month, day.day)
    return zone.utcoffset(midnight) != zone.utcoffset(midnight + dt.timedelta(days=1))


@PROPERTY_SETTINGS
@given(
    st.sampled_from(ZONES),
    st.datetimes(dt.datetime(2026, 1, 1), dt.datetime(2026, 12, 31)),
    st.integers(1, 3000),
)
def test_around_the_clock_is_real_time_in_every_zone(zone_name, naive, m):
    calendar = WorkingTime(zone_name, (((0, 1440),),) * 7)
    start = naive.replace(tzinfo=dt.UTC)
    assert calendar.due(start, m) == start + dt.timedelta(minutes=m)
    assert calendar.elapsed(start, start + dt.timedelta(minutes=m)) == m


def test_due_gives_up_beyond_the_horizon():
    # One minute a week: ten years of minutes would take ten thousand years.
    sparse = WorkingTime("Europe/Berlin", (((540, 541),),) + ((),) * 6)
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    assert sparse.due(start, 2) == dt.datetime(2026, 1, 12, 9, 1, tzinfo=BERLIN)
    with pytest.raises(NoWorkingTime, match="100 years"):
        sparse.due(start, 60 * 24 * 365 * 10)
