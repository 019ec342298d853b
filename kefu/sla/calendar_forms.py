"""Forms of Settings → Business hours. They parse the typed text into service inputs; the service owns
the rules (overlaps, 25:00, unknown zones) and its refusals are shown on the field they concern."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from kefu.org.forms import StyledForm, time_zone_choices
from kefu.sla.calendar import format_minute
from kefu.sla.calendar_inputs import CalendarInput, HolidayInput, WorkdayInput
from kefu.sla.cn_holidays import FIRST_YEAR, LAST_YEAR
from kefu.sla.models import WEEKDAY_KEYS

DAY_LABELS = (
    _("Monday"),
    _("Tuesday"),
    _("Wednesday"),
    _("Thursday"),
    _("Friday"),
    _("Saturday"),
    _("Sunday"),
)
# How a weekday is written in a make-up workday line: what is shown, and what else is understood.
DAY_SHORT = (
    pgettext_lazy("weekday", "Mon"),
    pgettext_lazy("weekday", "Tue"),
    pgettext_lazy("weekday", "Wed"),
    pgettext_lazy("weekday", "Thu"),
    pgettext_lazy("weekday", "Fri"),
    pgettext_lazy("weekday", "Sat"),
    pgettext_lazy("weekday", "Sun"),
)
_DAY_WORDS: dict[str, int] = {}
for _index, _words in enumerate(
    (
        ("mon", "monday", "周一", "星期一", "一"),
        ("tue", "tuesday", "周二", "星期二", "二"),
        ("wed", "wednesday", "周三", "星期三", "三"),
        ("thu", "thursday", "周四", "星期四", "四"),
        ("fri", "friday", "周五", "星期五", "五"),
        ("sat", "saturday", "周六", "星期六", "六"),
        ("sun", "sunday", "周日", "星期日", "星期天", "周天", "日"),
    )
):
    for _word in _words:
        _DAY_WORDS[_word] = _index

_INTERVAL = re.compile(r"^\s*(\d{1,2}:\d{2})\s*[-–—~～至到]\s*(\d{1,2}:\d{2})\s*$")
_DATE_LINE = re.compile(r"^\s*(\d{4}-\d{1,2}-\d{1,2})\s*(.*)$")
_YEARLY_LINE = re.compile(r"^\s*(\d{1,2})-(\d{1,2})\s*(.*)$")
_LEAP_YEAR = 2000  # a yearly holiday is stored on its month and day of a leap year


def week_field_name(index: int) -> str:
    return f"day_{WEEKDAY_KEYS[index]}"


def intervals_text(day: list[list[int]]) -> str:
    return ", ".join(f"{format_minute(start)}–{format_minute(end)}" for start, end in day)


def day_short(index: int) -> str:
    return str(DAY_SHORT[index])


class CalendarForm(StyledForm):
    name = forms.CharField(label=_("Name"), max_length=100)
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=time_zone_choices, initial="Asia/Shanghai")
    around_the_clock = forms.BooleanField(
        label=_("Around the clock (24×7): every day 00:00–24:00, the hours below are ignored"), required=False
    )
    holidays = forms.CharField(
        label=_("Holidays"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "placeholder": "2026-10-01 国庆节"}),
        help_text=_("Whole days off, one a line: a date (YYYY-MM-DD) and a name."),
    )
    yearly = forms.CharField(
        label=_("Holidays every year"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": "01-01 元旦"}),
        help_text=_("Days off every year, one a line: month-day (MM-DD) and a name."),
    )
    workdays = forms.CharField(
        label=_("Make-up workdays"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "2026-10-10 周三 国庆节调休"}),
        help_text=_(
            "Days worked although they are a weekend or holiday, one a line: a date, the weekday whose hours "
            "apply (Mon … Sun, 周一 … 周日) and a name."
        ),
    )
    departments = forms.TypedMultipleChoiceField(
        label=_("Departments served"),
        required=False,
        coerce=int,
        choices=(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("A department works by one calendar; choosing it here takes it from another."),
    )

    def __init__(self, *args: Any, departments: list[tuple[int, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["departments"].choices = departments
        for index, label in enumerate(DAY_LABELS):
            self.fields[week_field_name(index)] = forms.CharField(
                label=label,
                required=False,
                max_length=300,
                widget=forms.TextInput(attrs={"placeholder": "09:00–12:00, 13:30–18:00"}),
            )
        order = ["name", "time_zone", "around_the_clock"]
        order += [week_field_name(index) for index in range(7)]
        order += ["holidays", "yearly", "workdays", "departments"]
        self.order_fields(order)
        self._style()

    def day_fields(self) -> list[Any]:
        return [self[week_field_name(index)] for index in range(7)]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        week: dict[str, list[list[str]]] = {}
        for index, key in enumerate(WEEKDAY_KEYS):
            name = week_field_name(index)
            text = data.get(name) or ""
            intervals = []
            for part in re.split(r"[,，;；]", text):
                if not part.strip():
                    continue
                match = _INTERVAL.match(part)
                if match is None:
                    self.add_error(
                        name,
                        gettext("Write each interval as start–end, e.g. 09:00–12:00; “%(part)s” is not one.")
                        % {"part": part.strip()},
                    )
                    break
                start, end = (value.zfill(5) for value in match.groups())
                intervals.append([start, end])
            week[key] = intervals
        if data.get("around_the_clock"):
            week = {key: [["00:00", "24:00"]] for key in WEEKDAY_KEYS}
        data["week"] = week
        data["holiday_list"] = self._dated_lines("holidays", data.get("holidays") or "")
        data["yearly_list"] = self._yearly_lines(data.get("yearly") or "")
        data["workday_list"] = self._workday_lines(data.get("workdays") or "")
        return data

    def _dated_lines(self, field: str, text: str) -> list[tuple[dt.date, str]]:
        found = []
        for line in text.splitlines():
            if not line.strip():
                continue
            match = _DATE_LINE.match(line)
            date = _date(match.group(1)) if match else None
            if date is None:
                self.add_error(
                    field,
                    gettext("“%(line)s” does not start with a date (YYYY-MM-DD).") % {"line": line.strip()},
                )
                continue
            assert match is not None
            found.append((date, match.group(2).strip()))
        return found

    def _yearly_lines(self, text: str) -> list[tuple[dt.date, str]]:
        found = []
        for line in text.splitlines():
            if not line.strip():
                continue
            match = _YEARLY_LINE.match(line)
            date = None
            if match:
                try:
                    date = dt.date(_LEAP_YEAR, int(match.group(1)), int(match.group(2)))
                except ValueError:
                    date = None
            if date is None or match is None:
                self.add_error(
                    "yearly",
                    gettext("“%(line)s” does not start with a month and day (MM-DD).")
                    % {"line": line.strip()},
                )
                continue
            found.append((date, match.group(3).strip()))
        return found

    def _workday_lines(self, text: str) -> list[tuple[dt.date, int, str]]:
        found = []
        for line in text.splitlines():
            if not line.strip():
                continue
            match = _DATE_LINE.match(line)
            date = _date(match.group(1)) if match else None
            word, _sep, name = (match.group(2) if match else "").partition(" ")
            weekday = _DAY_WORDS.get(word.strip().lower().rstrip(".,"))
            if weekday is None:
                weekday = _localized_day(word)
            if date is None or weekday is None:
                self.add_error(
                    "workdays",
                    gettext(
                        "“%(line)s”: write a date (YYYY-MM-DD), then the weekday whose hours apply (Mon…Sun)."
                    )
                    % {"line": line.strip()},
                )
                continue
            found.append((date, weekday, name.strip()))
        return found

    def to_input(self, data: dict[str, Any]) -> CalendarInput:
        holidays = [HolidayInput(date=date, name=name) for date, name in data["holiday_list"]]
        holidays += [HolidayInput(date=date, name=name, yearly=True) for date, name in data["yearly_list"]]
        return CalendarInput(
            name=data["name"],
            time_zone=data["time_zone"],
            week=data["week"],
            holidays=holidays,
            workdays=[
                WorkdayInput(date=date, hours_like=day, name=name) for date, day, name in data["workday_list"]
            ],
            department_ids=data.get("departments") or [],
        )

    def apply_calendar_error(self, error: Any) -> None:
        """Place ``week.mon.1`` on Monday's field, ``holidays.3.date`` on the holidays, and so on."""
        mapped: dict[str, list[str]] = {}
        for key, message in error.fields.items():
            head, _dot, rest = key.partition(".")
            if head == "week":
                day = rest.partition(".")[0]
                name = week_field_name(WEEKDAY_KEYS.index(day)) if day in WEEKDAY_KEYS else "__all__"
            elif head == "holidays":
                name = "holidays"
            elif head == "workdays":
                name = "workdays"
            elif head == "department_ids":
                name = "departments"
            else:
                name = head
            mapped.setdefault(name, []).append(message)
        placed = False
        for name, messages in mapped.items():
            for message in messages:
                if name in self.fields:
                    self.add_error(name, message)
                    placed = True
        if not placed:
            self.add_error(None, error.message)
        self._style()


def _date(text: str) -> dt.date | None:
    try:
        year, month, day = (int(part) for part in text.split("-"))
        return dt.date(year, month, day)
    except ValueError:
        return None


def _localized_day(word: str) -> int | None:
    for index, label in enumerate(DAY_SHORT):
        if str(label).lower() == word.strip().lower():
            return index
    return None


def initial_of(calendar: Any) -> dict[str, Any]:
    """The form's initial values for a calendar from ``calendar_list`` (prefetched days and links)."""
    week = calendar.week
    around = all(day == [[0, 1440]] for day in week)
    initial: dict[str, Any] = {
        "name": calendar.name,
        "time_zone": calendar.time_zone,
        "around_the_clock": around,
        "holidays": "\n".join(
            f"{day.date.isoformat()} {day.name}".strip() for day in calendar.holidays.all() if not day.yearly
        ),
        "yearly": "\n".join(
            f"{day.date.month:02d}-{day.date.day:02d} {day.name}".strip()
            for day in calendar.holidays.all()
            if day.yearly
        ),
        "workdays": "\n".join(
            f"{day.date.isoformat()} {day_short(day.hours_like)} {day.name}".strip()
            for day in calendar.workdays.all()
        ),
        "departments": [link.department_id for link in calendar.department_links.all()],
    }
    for index in range(7):
        initial[week_field_name(index)] = intervals_text(week[index]) if index < len(week) else ""
    return initial


class CalculatorForm(StyledForm):
    start = forms.DateTimeField(
        label=_("Created at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
    )
    minutes = forms.FloatField(label=_("Working minutes"), min_value=0, max_value=60 * 24 * 3660)
    end = forms.DateTimeField(
        label=_("Until (for the elapsed working time)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for name in ("start", "end"):
            value = data.get(name)
            if value is not None and not 1900 <= value.year < 2200:
                self.add_error(name, gettext("Enter a time between the years 1900 and 2199."))
        return data


class ImportForm(StyledForm):
    year = forms.IntegerField(label=_("Year"), min_value=FIRST_YEAR, max_value=LAST_YEAR)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        # From November on, the State Council's notice for next year is out: offer that year.
        self.fields["year"].initial = today.year + 1 if today.month >= 11 else today.year
