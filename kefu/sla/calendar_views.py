"""Settings → Business hours: the calendars, their editor, China's holiday import and the calculator."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kefu.core.actors import Source
from kefu.core.errors import NotFound, ServiceError
from kefu.org import permissions
from kefu.org.selectors import department_list
from kefu.org.views.common import actor_of, agent_required, posted, render_settings
from kefu.sla.calendar import NoWorkingTime
from kefu.sla.calendar_forms import CalculatorForm, CalendarForm, ImportForm, initial_of, intervals_text
from kefu.sla.selectors.calendars import calendar_department_ids, calendar_get, calendar_list, to_working_time
from kefu.sla.services import calendars as services

MANAGE = permissions.SETTINGS_MANAGE
NAV = "business-hours"


def _departments() -> list[tuple[int, str]]:
    return [(department.pk, department.display_name) for department in department_list()]


def _calendar(calendar_id: int) -> Any:
    try:
        return calendar_get(calendar_id)
    except NotFound as exc:
        raise Http404 from exc


@agent_required(MANAGE)
def calendar_index(request: HttpRequest) -> HttpResponse:
    names = dict(_departments())
    rows = [
        {
            "calendar": calendar,
            "days": [intervals_text(day) for day in calendar.week],
            "departments": [names.get(pk, "") for pk in calendar_department_ids(calendar)],
            "holidays": len(calendar.holidays.all()),
            "workdays": len(calendar.workdays.all()),
        }
        for calendar in calendar_list()
    ]
    return render_settings(
        request, "sla/business_hours/list.html", {"title": _("Business hours"), "rows": rows}, nav=NAV
    )


@agent_required(MANAGE)
def calendar_create(request: HttpRequest) -> HttpResponse:
    form = CalendarForm(posted(request), departments=_departments(), initial=_new_initial())
    if request.method == "POST" and form.is_valid():
        try:
            calendar = services.calendar_create(
                actor=actor_of(request), source=Source.WEB, data=form.to_input(form.cleaned_data)
            )
        except ServiceError as exc:
            form.apply_calendar_error(exc)
        else:
            messages.success(request, _("The calendar was created."))
            return redirect("business-hours:edit", calendar_id=calendar.pk)
    return render_settings(
        request,
        "sla/business_hours/edit.html",
        {"title": _("New calendar"), "form": form, "calendar": None},
        nav=NAV,
        status=422 if form.errors else 200,
    )


def _new_initial() -> dict[str, Any]:
    lunch = "09:00–12:00, 13:30–18:00"
    return {
        "time_zone": "Asia/Shanghai",
        **{f"day_{key}": lunch for key in ("mon", "tue", "wed", "thu", "fri")},
    }


@agent_required(MANAGE)
def calendar_edit(request: HttpRequest, calendar_id: int) -> HttpResponse:
    calendar = _calendar(calendar_id)
    form = CalendarForm(posted(request), departments=_departments(), initial=initial_of(calendar))
    if request.method == "POST" and form.is_valid():
        try:
            services.calendar_update(
                actor=actor_of(request),
                source=Source.WEB,
                calendar_id=calendar.pk,
                data=form.to_input(form.cleaned_data),
            )
        except ServiceError as exc:
            form.apply_calendar_error(exc)
        else:
            messages.success(request, _("The calendar was saved."))
            return redirect("business-hours:edit", calendar_id=calendar.pk)
    return render_settings(
        request,
        "sla/business_hours/edit.html",
        {
            "title": calendar.name,
            "form": form,
            "calendar": calendar,
            "import_form": ImportForm(),
            "calculator": CalculatorForm(initial={"minutes": 240}),
        },
        nav=NAV,
        status=422 if form.errors else 200,
    )


@require_POST
@agent_required(MANAGE)
def calendar_import(request: HttpRequest, calendar_id: int) -> HttpResponse:
    calendar = _calendar(calendar_id)
    form = ImportForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a year to import."))
        return redirect("business-hours:edit", calendar_id=calendar.pk)
    try:
        result = services.calendar_import_cn_holidays(
            actor=actor_of(request),
            source=Source.WEB,
            calendar_id=calendar.pk,
            year=form.cleaned_data["year"],
        )
    except ServiceError as exc:
        messages.error(request, exc.fields.get("year", exc.message))
        return redirect("business-hours:edit", calendar_id=calendar.pk)
    text = _(
        "China's holidays for %(year)d were imported: %(holidays)d days off and %(workdays)d make-up "
        "workdays added or updated."
    ) % {"year": result.year, "holidays": result.holidays, "workdays": result.workdays}
    if not result.official:
        text += " " + _(
            "The State Council's notice for %(year)d is not in the installed holidays package yet: the days "
            "off follow the statutory rules and there are no make-up workdays. Check them by hand."
        ) % {"year": result.year}
        messages.warning(request, text)
    else:
        messages.success(request, text)
    return redirect("business-hours:edit", calendar_id=calendar.pk)


@require_POST
@agent_required(MANAGE)
def calendar_delete(request: HttpRequest, calendar_id: int) -> HttpResponse:
    calendar = _calendar(calendar_id)
    try:
        services.calendar_delete(actor=actor_of(request), source=Source.WEB, calendar_id=calendar.pk)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("business-hours:edit", calendar_id=calendar.pk)
    messages.success(request, _("The calendar “%(name)s” was deleted.") % {"name": calendar.name})
    return redirect(reverse("business-hours:list"))


@agent_required(MANAGE)
def calendar_calculate(request: HttpRequest, calendar_id: int) -> HttpResponse:
    """The calculator's answer (HTMX): start + N working minutes → due, and the working minutes until an
    end. Times are read and shown in the calendar's zone."""
    calendar = _calendar(calendar_id)
    working = to_working_time(calendar)
    form = CalculatorForm(request.GET)
    context: dict[str, Any] = {"form": form, "calendar": calendar}
    if form.is_valid():
        start = form.cleaned_data["start"].replace(tzinfo=None).replace(tzinfo=working.zone)
        try:
            context["due"] = working.due(start, form.cleaned_data["minutes"])
        except (NoWorkingTime, OverflowError):
            context["error"] = _("The calendar has no working time in which these minutes could elapse.")
        context["start"] = start.astimezone(working.zone)
        end = form.cleaned_data.get("end")
        if end is not None:
            end = end.replace(tzinfo=None).replace(tzinfo=working.zone)
            context["end"] = end.astimezone(working.zone)
            context["elapsed"] = _minutes_text(working.elapsed(start, end))
    return render(request, "sla/business_hours/partials/calculator_result.html", context)


def _minutes_text(minutes: float) -> str:
    whole = int(minutes) if float(minutes).is_integer() else round(minutes, 2)
    hours, rest = divmod(int(minutes), 60)
    return _("%(minutes)s minutes (%(hours)d h %(rest)d min)") % {
        "minutes": whole,
        "hours": hours,
        "rest": rest,
    }
