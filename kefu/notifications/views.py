"""Console pages of notifications.

For every agent: the bell in the top bar (its unread count, polled by htmx), the list with
"mark read" / "mark all read", and their preferences. For administrators (Settings → Notifications):
the rules of a department (on/off and recipients per notification) and the template editor with the
placeholders and a live preview against a real ticket.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kefu.core.actors import Source
from kefu.core.errors import ServiceError
from kefu.core.htmx import is_partial
from kefu.core.pagination import BadCursor, paginate
from kefu.notifications import catalog, selectors, services
from kefu.notifications.rendering import placeholder_help
from kefu.org import permissions
from kefu.org.selectors import department_list
from kefu.org.views.common import actor_of, agent_required, render_settings
from kefu.tickets.selectors import ticket_visible

admin_required = agent_required(permissions.SETTINGS_MANAGE)
PAGE_SIZE = 30


def _labels() -> dict[str, Any]:
    return {
        "recipient_labels": {key: str(label) for key, label in catalog.RECIPIENT_LABELS.items()},
        "audience_labels": {key: str(label) for key, label in catalog.AUDIENCE_LABELS.items()},
    }


# --- every agent ---------------------------------------------------------------------------------


@agent_required()
def bell(request: HttpRequest) -> HttpResponse:
    """The bell's badge: how many unread notifications (htmx polls it)."""
    return render(
        request, "notifications/partials/bell.html", {"unread": selectors.unread_count(request.user)}
    )


@agent_required()
def notification_list(request: HttpRequest) -> HttpResponse:
    unread_only = request.GET.get("unread") == "1"
    try:
        page = paginate(
            selectors.notification_list(request.user, unread_only=unread_only),
            sort="-id",
            limit=PAGE_SIZE,
            cursor=request.GET.get("cursor") or None,
        )
    except BadCursor:
        return redirect("notifications:list")
    context = {
        "notifications": page.items,
        "next_cursor": page.next_cursor,
        "unread": selectors.unread_count(request.user),
        "unread_only": unread_only,
    }
    template = "notifications/partials/list.html" if is_partial(request) else "notifications/list.html"
    return render(request, template, context)


@agent_required()
@require_POST
def mark_read(request: HttpRequest) -> HttpResponse:
    everything = request.POST.get("all") == "1"
    ids = [int(value) for value in request.POST.getlist("ids") if value.isdigit() and len(value) < 19]
    services.notifications_mark_read(
        actor=actor_of(request), source=Source.WEB, ids=ids, everything=everything
    )
    target = request.POST.get("next", "")
    if target.startswith("/") and not target.startswith("//"):
        return redirect(target)
    return redirect("notifications:list")


@agent_required()
def open_notification(request: HttpRequest, notification_id: int) -> HttpResponse:
    """Mark one notification read and go to its ticket."""
    note = selectors.notification_list(request.user).filter(pk=notification_id).first()
    if note is None:
        raise Http404
    services.notifications_mark_read(actor=actor_of(request), source=Source.WEB, ids=[note.pk])
    if note.ticket_id:
        return redirect("tickets:detail", note.ticket_id)
    return redirect("notifications:list")


def _time(value: str) -> dt.time | str | None:
    if not value:
        return None
    try:
        return dt.time.fromisoformat(value)
    except ValueError:
        return "invalid"


@agent_required()
def preferences(request: HttpRequest) -> HttpResponse:
    errors: dict[str, str] = {}
    channels, preference = selectors.preference_for(request.user)
    quiet = {
        "from": preference.quiet_from.strftime("%H:%M") if preference and preference.quiet_from else "",
        "until": preference.quiet_until.strftime("%H:%M") if preference and preference.quiet_until else "",
    }
    if request.method == "POST":
        chosen = {key: request.POST.getlist(f"channels-{key}") for key in channels}
        quiet = {"from": request.POST.get("quiet_from", ""), "until": request.POST.get("quiet_until", "")}
        quiet_from, quiet_until = _time(quiet["from"]), _time(quiet["until"])
        if quiet_from == "invalid":
            errors["quiet_from"] = _("Enter a time such as 22:00.")
        if quiet_until == "invalid":
            errors["quiet_until"] = _("Enter a time such as 07:00.")
        if not errors:
            try:
                services.preference_set(
                    actor=actor_of(request),
                    source=Source.WEB,
                    channels=chosen,
                    quiet_from=quiet_from,  # type: ignore[arg-type]
                    quiet_until=quiet_until,  # type: ignore[arg-type]
                )
            except ServiceError as exc:
                errors = dict(exc.fields)
            else:
                messages.success(request, _("Your notification preferences are saved."))
                return redirect("notifications:preferences")
        channels = chosen
    rows = [
        {"key": kind.key, "label": kind.label, "channels": channels.get(kind.key, [])}
        for kind in catalog.all_types()
        if kind.audience != "customer"
    ]
    return render(
        request,
        "notifications/preferences.html",
        {"rows": rows, "quiet": quiet, "errors": errors, "channel_choices": ["in_app", "email"]},
        status=422 if errors else 200,
    )


# --- administrators: Settings → Notifications ---------------------------------------------------


def _department(request: HttpRequest) -> Any:
    departments = list(department_list())
    wanted = request.GET.get("department") or request.POST.get("department") or ""
    chosen = next((d for d in departments if str(d.pk) == wanted), departments[0] if departments else None)
    return departments, chosen


@admin_required
def rules(request: HttpRequest) -> HttpResponse:
    departments, department = _department(request)
    errors: dict[str, dict[str, str]] = {}
    if request.method == "POST" and department is not None:
        event = request.POST.get("event", "")
        try:
            services.rule_set(
                actor=actor_of(request),
                source=Source.WEB,
                department_id=department.pk,
                event=event,
                enabled=request.POST.get("enabled") == "1",
                recipients=request.POST.getlist("recipients"),
                addresses=[
                    a for a in request.POST.get("addresses", "").replace(",", "\n").splitlines() if a.strip()
                ],
                channels=request.POST.getlist("channels") or ["email"],
            )
        except ServiceError as exc:
            errors[event] = dict(exc.fields)
        else:
            messages.success(request, _("The notification rule is saved."))
            return redirect(f"{request.path}?department={department.pk}#rule-{event.replace('.', '-')}")
    views = selectors.rules_for_department(department.pk) if department is not None else []
    return render_settings(
        request,
        "notifications/settings/rules.html",
        {
            "departments": departments,
            "department": department,
            "rules": [
                {"view": view, "anchor": view.event.replace(".", "-"), "errors": errors.get(view.event, {})}
                for view in views
            ],
            **_labels(),
        },
        nav="notifications",
        status=422 if errors else 200,
    )


@admin_required
def template_list(request: HttpRequest) -> HttpResponse:
    services.templates_ensure()
    templates = list(selectors.template_list())
    rows = []
    for kind in catalog.all_types():
        rows.append(
            {
                "kind": kind,
                "templates": [t for t in templates if t.event == kind.key],
            }
        )
    return render_settings(
        request, "notifications/settings/templates.html", {"rows": rows, **_labels()}, nav="notifications"
    )


def _posted_text(request: HttpRequest, name: str) -> str | None:
    """A posted text with the browser's CRLF line ends as LF (what the API stores too)."""
    value = request.POST.get(name)
    return None if value is None else value.replace("\r\n", "\n")


@admin_required
def template_edit(request: HttpRequest, template_id: int) -> HttpResponse:
    template = selectors.template_get(template_id)
    if template is None or catalog.get(template.event) is None:
        raise Http404
    errors: dict[str, str] = {}
    values = {"subject": template.subject, "body_html": template.body_html, "body_text": template.body_text}
    if request.method == "POST":
        values = {name: _posted_text(request, name) or "" for name in values}
        try:
            services.template_update(
                actor=actor_of(request), source=Source.WEB, template_id=template.pk, **values
            )
        except ServiceError as exc:
            errors = dict(exc.fields)
        else:
            messages.success(request, _("The template is saved."))
            return redirect("notification-settings:template-edit", template.pk)
    return render_settings(
        request,
        "notifications/settings/template_edit.html",
        {
            "template": template,
            "kind": catalog.get(template.event),
            "values": values,
            "errors": errors,
            "placeholders": placeholder_help(),
        },
        nav="notifications",
        status=422 if errors else 200,
    )


@admin_required
@require_POST
def template_reset(request: HttpRequest, template_id: int) -> HttpResponse:
    try:
        services.template_reset(actor=actor_of(request), source=Source.WEB, template_id=template_id)
    except ServiceError as exc:
        raise Http404 from exc
    messages.success(request, _("The template is back to its shipped text."))
    return redirect("notification-settings:template-edit", template_id)


@admin_required
@require_POST
def template_preview(request: HttpRequest, template_id: int) -> HttpResponse:
    template = selectors.template_get(template_id)
    if template is None:
        raise Http404
    raw = request.POST.get("ticket_id", "").strip().lstrip("#")
    ticket = ticket_visible(request.user, int(raw)) if raw.isdigit() and len(raw) < 19 else None
    context: dict[str, Any] = {"ticket_id": raw}
    if ticket is None:
        context["problem"] = _("No such ticket.") if raw else _("Enter the id of a ticket to preview with.")
    else:
        rendered, errors = services.template_preview(
            actor=actor_of(request),
            template=template,
            ticket=ticket,
            subject=_posted_text(request, "subject"),
            body_html=_posted_text(request, "body_html"),
            body_text=_posted_text(request, "body_text"),
        )
        context.update({"rendered": rendered, "errors": errors, "ticket": ticket})
    return render(request, "notifications/settings/partials/preview.html", context)
