"""REST endpoints for notification rules, templates and the current agent's in-app notifications.

``/notification-rules`` (per department, PATCH one), ``/notification-templates`` (+ ``/{id}/preview``
and ``/{id}/reset``), ``/notifications`` (the caller's, with ``unread_count``), ``POST
/notifications/read`` and ``/notification-preferences``.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router

from kefu.core.actors import Actor, Source
from kefu.core.api_types import ERRORS, Id
from kefu.core.errors import PermissionDenied, ValidationFailed
from kefu.core.pagination import paginate
from kefu.notifications import selectors, services
from kefu.notifications.schemas import (
    NotificationListIn,
    NotificationListOut,
    PreferencesIn,
    PreferencesOut,
    PreviewIn,
    PreviewOut,
    ReadIn,
    ReadOut,
    RuleListIn,
    RuleListOut,
    RuleOut,
    RulePatchIn,
    TemplateListIn,
    TemplateListOut,
    TemplateOut,
    TemplatePatchIn,
)
from kefu.org import permissions
from kefu.org.api_access import api_agent
from kefu.org.selectors import agent_access
from kefu.tickets.selectors import ticket_visible

router = Router(tags=["notifications"])


def _admin(request: HttpRequest) -> Actor:
    if not agent_access(request.auth).can(permissions.SETTINGS_MANAGE):
        raise PermissionDenied(_("Only administrators can change notifications."))
    return Actor.agent(request.auth)


def _rule_out(view: Any) -> dict[str, Any]:
    return {
        "department_id": view.department_id,
        "event": view.event,
        "audience": view.audience,
        "label": view.label,
        "enabled": view.enabled,
        "recipients": view.recipients,
        "addresses": view.addresses,
        "channels": view.channels,
        "recipient_choices": list(view.recipient_choices),
    }


def template_out(template: Any) -> dict[str, Any]:
    return {
        "id": template.pk,
        "event": template.event,
        "language": template.language,
        "subject": template.subject,
        "body_html": template.body_html,
        "body_text": template.body_text,
    }


def _template(template_id: int) -> Any:
    template = selectors.template_get(template_id)
    if template is None:
        raise Http404
    return template


@router.get(
    "/notification-rules", response={200: RuleListOut, **ERRORS}, summary="A department's notification rules"
)
def list_rules(request: HttpRequest, filters: Query[RuleListIn]) -> dict[str, Any]:
    _admin(request)
    return {"items": [_rule_out(view) for view in selectors.rules_for_department(filters.department_id)]}


@router.patch(
    "/notification-rules/{department_id}/{event}",
    response={200: RuleOut, **ERRORS},
    summary="Turn a notification on or off for a department, choose its recipients",
)
def patch_rule(request: HttpRequest, department_id: Id, event: str, payload: RulePatchIn) -> dict[str, Any]:
    actor = _admin(request)
    services.rule_set(
        actor=actor,
        source=Source.API,
        department_id=department_id,
        event=event,
        **payload.model_dump(exclude_unset=True),
    )
    view = selectors.rule_view(department_id, event)
    assert view is not None
    return _rule_out(view)


@router.get(
    "/notification-templates", response={200: TemplateListOut, **ERRORS}, summary="Notification templates"
)
def list_templates(request: HttpRequest, filters: Query[TemplateListIn]) -> dict[str, Any]:
    _admin(request)
    services.templates_ensure()
    return {
        "items": [
            template_out(t) for t in selectors.template_list(event=filters.event, language=filters.language)
        ]
    }


@router.get(
    "/notification-templates/{template_id}", response={200: TemplateOut, **ERRORS}, summary="A template"
)
def get_template(request: HttpRequest, template_id: Id) -> dict[str, Any]:
    _admin(request)
    return template_out(_template(template_id))


@router.patch(
    "/notification-templates/{template_id}", response={200: TemplateOut, **ERRORS}, summary="Edit a template"
)
def patch_template(request: HttpRequest, template_id: Id, payload: TemplatePatchIn) -> dict[str, Any]:
    actor = _admin(request)
    _template(template_id)
    template = services.template_update(
        actor=actor, source=Source.API, template_id=template_id, **payload.model_dump(exclude_unset=True)
    )
    return template_out(template)


@router.post(
    "/notification-templates/{template_id}/reset",
    response={200: TemplateOut, **ERRORS},
    summary="Put the shipped words back",
)
def reset_template(request: HttpRequest, template_id: Id) -> dict[str, Any]:
    actor = _admin(request)
    _template(template_id)
    return template_out(services.template_reset(actor=actor, source=Source.API, template_id=template_id))


@router.post(
    "/notification-templates/{template_id}/preview",
    response={200: PreviewOut, **ERRORS},
    summary="Render a template (or unsaved text) against a ticket",
)
def preview_template(request: HttpRequest, template_id: Id, payload: PreviewIn) -> dict[str, Any]:
    actor = _admin(request)
    template = _template(template_id)
    ticket = ticket_visible(request.auth, payload.ticket_id)
    if ticket is None:
        raise ValidationFailed(_("The preview is not valid."), fields={"ticket_id": _("No such ticket.")})
    rendered, errors = services.template_preview(
        actor=actor,
        template=template,
        ticket=ticket,
        subject=payload.subject,
        body_html=payload.body_html,
        body_text=payload.body_text,
    )
    return {
        "subject": rendered.subject,
        "body_html": rendered.body_html,
        "body_text": rendered.body_text,
        "errors": errors,
    }


def _notification_out(note: Any) -> dict[str, Any]:
    return {
        "id": note.pk,
        "event": note.event,
        "ticket_id": note.ticket_id,
        "text": note.text,
        "read": note.read_at is not None,
        "created_at": note.created_at,
    }


@router.get("/notifications", response={200: NotificationListOut, **ERRORS}, summary="My notifications")
def list_notifications(request: HttpRequest, filters: Query[NotificationListIn]) -> dict[str, Any]:
    api_agent(request)
    queryset = selectors.notification_list(request.auth, unread_only=filters.unread)
    page = paginate(queryset, sort="-id", limit=filters.limit, cursor=filters.cursor)
    return {
        "items": [_notification_out(note) for note in page.items],
        "unread_count": selectors.unread_count(request.auth),
        "next_cursor": page.next_cursor,
    }


@router.post("/notifications/read", response={200: ReadOut, **ERRORS}, summary="Mark notifications read")
def mark_read(request: HttpRequest, payload: ReadIn) -> dict[str, Any]:
    actor = api_agent(request)
    if payload.all is None and payload.ids is None:
        raise ValidationFailed(
            _("Say which notifications to mark read."),
            fields={"ids": _("Give the ids, or all: true."), "all": _("Give the ids, or all: true.")},
        )
    if payload.all is not None and payload.ids is not None:
        raise ValidationFailed(
            _("Say which notifications to mark read."), fields={"all": _("Give either ids or all, not both.")}
        )
    if payload.all is False:
        raise ValidationFailed(
            _("Say which notifications to mark read."), fields={"all": _("Only true is allowed.")}
        )
    marked = services.notifications_mark_read(
        actor=actor, source=Source.API, ids=payload.ids, everything=bool(payload.all)
    )
    return {"marked": marked, "unread_count": selectors.unread_count(request.auth)}


def _preferences_out(user: Any) -> dict[str, Any]:
    channels, preference = selectors.preference_for(user)
    return {
        "channels": channels,
        "quiet_from": preference.quiet_from if preference else None,
        "quiet_until": preference.quiet_until if preference else None,
    }


@router.get("/notification-preferences", response={200: PreferencesOut, **ERRORS}, summary="My preferences")
def get_preferences(request: HttpRequest) -> dict[str, Any]:
    api_agent(request)
    return _preferences_out(request.auth)


@router.put(
    "/notification-preferences", response={200: PreferencesOut, **ERRORS}, summary="Set my preferences"
)
def put_preferences(request: HttpRequest, payload: PreferencesIn) -> dict[str, Any]:
    actor = api_agent(request)
    services.preference_set(
        actor=actor,
        source=Source.API,
        channels=payload.channels,
        quiet_from=payload.quiet_from,
        quiet_until=payload.quiet_until,
    )
    return _preferences_out(request.auth)
