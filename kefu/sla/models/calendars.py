"""Business-hours calendars: when a department works, which days it is off and which extra days it works.

The rows here are edited by ``kefu.sla.services.calendars`` and read, as a pure
:class:`kefu.sla.calendar.WorkingTime`, through ``kefu.sla.selectors.calendars``.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

WEEKDAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


def empty_week() -> list[list[list[int]]]:
    return [[] for _ in WEEKDAY_KEYS]


class BusinessCalendar(models.Model):
    """A business-hours calendar: a time zone and the working intervals of each weekday.

    ``week`` holds seven lists (Monday first) of ``[start_minute, end_minute]`` pairs in local wall-clock
    minutes, 0–1440 (1440 is 24:00): ``[[540, 720], [810, 1080]]`` is 09:00–12:00 and 13:30–18:00, and
    ``[[0, 1440]]`` on every day is around the clock (24×7). Holidays and make-up workdays are rows of
    their own. SLA targets in business time are counted on the calendar of the ticket's department (or
    the one an SLA policy names).
    """

    name = models.CharField(_("name"), max_length=100, unique=True)
    time_zone = models.CharField(_("time zone"), max_length=64, default="Asia/Shanghai")
    week = models.JSONField(_("working hours"), default=empty_week)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("business-hours calendar")
        verbose_name_plural = _("business-hours calendars")

    def __str__(self) -> str:
        return self.name


class CalendarHoliday(models.Model):
    """A whole day off in a calendar. A yearly holiday is off on its month and day every year (the year of
    ``date`` only says when it was entered)."""

    calendar = models.ForeignKey(BusinessCalendar, on_delete=models.CASCADE, related_name="holidays")
    date = models.DateField(_("date"))
    name = models.CharField(pgettext_lazy("holiday", "name"), max_length=100, blank=True, default="")
    yearly = models.BooleanField(_("every year"), default=False)

    class Meta:
        ordering = ["date", "id"]
        constraints = [
            models.UniqueConstraint(fields=["calendar", "date"], name="sla_holiday_calendar_date"),
        ]
        verbose_name = _("holiday")
        verbose_name_plural = _("holidays")

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.name}".strip()


class CalendarWorkday(models.Model):
    """A make-up workday (调休): a date, usually a Saturday or Sunday, worked with the hours of a weekday.
    It wins over a holiday on the same date."""

    calendar = models.ForeignKey(BusinessCalendar, on_delete=models.CASCADE, related_name="workdays")
    date = models.DateField(_("date"))
    hours_like = models.PositiveSmallIntegerField(_("hours like"), choices=Weekday.choices)
    name = models.CharField(pgettext_lazy("holiday", "name"), max_length=100, blank=True, default="")

    class Meta:
        ordering = ["date", "id"]
        constraints = [
            models.UniqueConstraint(fields=["calendar", "date"], name="sla_workday_calendar_date"),
        ]
        verbose_name = _("make-up workday")
        verbose_name_plural = _("make-up workdays")

    def __str__(self) -> str:
        return self.date.isoformat()


class DepartmentCalendar(models.Model):
    """The calendar a department works by: one per department (the org app knows nothing of it)."""

    department = models.OneToOneField(
        "org.Department", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    calendar = models.ForeignKey(BusinessCalendar, on_delete=models.CASCADE, related_name="department_links")

    class Meta:
        verbose_name = _("department calendar")
        verbose_name_plural = _("department calendars")

    def __str__(self) -> str:
        return f"{self.department_id} → {self.calendar_id}"
