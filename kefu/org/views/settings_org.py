"""Settings pages for the organisation: the index, departments, teams and agents."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kefu.core.actors import Source
from kefu.core.errors import ServiceError
from kefu.org import permissions, services
from kefu.org.decorators import agent_required
from kefu.org.forms import AgentForm, DepartmentForm, HelpdeskSettingsForm, TeamForm
from kefu.org.selectors import (
    agent_access,
    agent_get,
    agent_list,
    department_get,
    department_list,
    helpdesk_settings,
    role_list,
    team_get,
    team_list_with_members,
)
from kefu.org.views.common import actor_of, form_page, posted, render_settings, site_url


@agent_required()
def settings_index(request: HttpRequest) -> HttpResponse:
    """Open the first settings page this agent may use; everyone may manage their own API keys."""
    access = agent_access(request.user)
    if access.can(permissions.SETTINGS_MANAGE):
        return redirect("settings-departments")
    if access.can(permissions.AGENT_MANAGE):
        return redirect("settings-agents")
    return redirect("api-keys")


def _department_choices() -> list[tuple[int, str]]:
    return [(d.pk, d.display_name) for d in department_list()]


# Departments


@agent_required(permissions.SETTINGS_MANAGE)
def departments(request: HttpRequest) -> HttpResponse:
    def submit(data: dict[str, Any]) -> None:
        services.department_create(
            actor=actor_of(request),
            source=Source.WEB,
            name=data["name"],
            name_en=data["name_en"],
            code=data["code"],
            description=data["description"],
            reopen_within_days=data["reopen_within_days"],
            close_parent_with_last_child=data["close_parent_with_last_child"],
        )

    return form_page(
        request,
        form=DepartmentForm(posted(request)),
        submit=submit,
        success_message=_("The department was added."),
        success_url=reverse("settings-departments"),
        template="org/settings/departments.html",
        partial="org/settings/partials/departments.html",
        blank_form=DepartmentForm,
        context=lambda: {"departments": department_list()},
        nav="departments",
    )


@agent_required(permissions.SETTINGS_MANAGE)
def department_edit(request: HttpRequest, department_id: int) -> HttpResponse:
    department = department_get(department_id)
    if department is None:
        raise Http404
    initial = {
        "name": department.name,
        "name_en": department.name_en,
        "description": department.description,
        "is_active": department.is_active,
        "reopen_within_days": department.reopen_within_days,
        "close_parent_with_last_child": department.close_parent_with_last_child,
    }

    def submit(data: dict[str, Any]) -> None:
        services.department_update(
            actor=actor_of(request),
            source=Source.WEB,
            department_id=department.pk,
            name=data["name"],
            name_en=data["name_en"],
            description=data["description"],
            is_active=data["is_active"],
            reopen_within_days=data["reopen_within_days"],
            close_parent_with_last_child=data["close_parent_with_last_child"],
        )

    return form_page(
        request,
        form=DepartmentForm(posted(request), initial=initial, editing=True),
        submit=submit,
        success_message=_("The department was saved."),
        success_url=reverse("settings-departments"),
        template="org/settings/edit.html",
        context=lambda: {
            "title": _("Edit department “%(name)s”") % {"name": department.display_name},
            "back_url": reverse("settings-departments"),
        },
        nav="departments",
    )


# Teams


def _team_form(request: HttpRequest, initial: dict[str, Any] | None = None, blank: bool = False) -> TeamForm:
    return TeamForm(
        None if blank else posted(request),
        initial=initial,
        department_choices=_department_choices(),
        member_choices=[(a.user_id, f"{a.user.name or a.user.email} <{a.user.email}>") for a in agent_list()],
    )


def _team_values(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "department_id": data["department"],
        "name": data["name"],
        "description": data["description"],
        "member_user_ids": data["members"],
    }


_TEAM_FIELDS = {"department_id": "department", "member_user_ids": "members"}


@agent_required(permissions.SETTINGS_MANAGE)
def teams(request: HttpRequest) -> HttpResponse:
    def submit(data: dict[str, Any]) -> None:
        services.team_create(actor=actor_of(request), source=Source.WEB, **_team_values(data))

    return form_page(
        request,
        form=_team_form(request),
        submit=submit,
        success_message=_("The team was added."),
        success_url=reverse("settings-teams"),
        template="org/settings/teams.html",
        partial="org/settings/partials/teams.html",
        blank_form=lambda: _team_form(request, blank=True),
        context=lambda: {"teams": team_list_with_members()},
        nav="teams",
        field_map=_TEAM_FIELDS,
    )


@agent_required(permissions.SETTINGS_MANAGE)
def team_edit(request: HttpRequest, team_id: int) -> HttpResponse:
    team = team_get(team_id)
    if team is None:
        raise Http404
    initial = {
        "department": team.department_id,
        "name": team.name,
        "description": team.description,
        "members": [agent.user_id for agent in team.agents.all()],
    }

    def submit(data: dict[str, Any]) -> None:
        services.team_update(
            actor=actor_of(request), source=Source.WEB, team_id=team.pk, **_team_values(data)
        )

    return form_page(
        request,
        form=_team_form(request, initial),
        submit=submit,
        success_message=_("The team was saved."),
        success_url=reverse("settings-teams"),
        template="org/settings/team_edit.html",
        context=lambda: {
            "team": team,
            "title": _("Edit team “%(name)s”") % {"name": team.name},
            "back_url": reverse("settings-teams"),
        },
        nav="teams",
        field_map=_TEAM_FIELDS,
    )


@agent_required(permissions.SETTINGS_MANAGE)
@require_POST
def team_delete(request: HttpRequest, team_id: int) -> HttpResponse:
    try:
        services.team_delete(actor=actor_of(request), source=Source.WEB, team_id=team_id)
    except ServiceError as exc:
        if exc.status_code == 404:
            raise Http404 from exc
        messages.error(request, exc.message)
        return redirect("settings-team-edit", team_id=team_id)
    messages.success(request, _("The team was deleted."))
    return redirect("settings-teams")


# Agents


def _agent_form(
    request: HttpRequest, initial: dict[str, Any] | None = None, *, editing: bool = False, blank: bool = False
) -> AgentForm:
    return AgentForm(
        None if blank else posted(request),
        initial=initial,
        role_choices=[(role.key, role.display_name) for role in role_list()],
        department_choices=_department_choices(),
        team_choices=[(t.pk, f"{t.department.display_name} · {t.name}") for t in team_list_with_members()],
        editing=editing,
    )


_AGENT_FIELDS = {"department_ids": "departments", "team_ids": "teams"}


def _invite_initial() -> dict[str, Any]:
    defaults = helpdesk_settings()
    return {
        "role": permissions.ROLE_AGENT,
        "language": defaults.default_language,
        "time_zone": defaults.time_zone,
    }


@agent_required(permissions.AGENT_MANAGE)
def agents(request: HttpRequest) -> HttpResponse:
    """The agents, and the invitation form: the new agent gets an e-mail to choose a password."""

    def submit(data: dict[str, Any]) -> None:
        services.agent_invite(
            actor=actor_of(request),
            source=Source.WEB,
            email=data["email"],
            name=data["name"],
            site_url=site_url(request),
            role_key=data["role"],
            department_ids=data["departments"],
            team_ids=data["teams"],
            language=data["language"],
            time_zone=data["time_zone"],
        )

    return form_page(
        request,
        form=_agent_form(request, _invite_initial()),
        submit=submit,
        success_message=_("The agent was invited. The list below shows whether the e-mail was sent."),
        success_url=reverse("settings-agents"),
        template="org/settings/agents.html",
        partial="org/settings/partials/agents.html",
        blank_form=lambda: _agent_form(request, _invite_initial(), blank=True),
        context=lambda: {"agents": agent_list(), "me": request.user.pk},
        nav="agents",
        field_map=_AGENT_FIELDS,
    )


@agent_required(permissions.AGENT_MANAGE)
def agent_edit(request: HttpRequest, agent_id: int) -> HttpResponse:
    agent = agent_get(agent_id)
    if agent is None:
        raise Http404
    initial = {
        "name": agent.user.name,
        "role": agent.role.key,
        "departments": [d.pk for d in agent.departments.all()],
        "teams": [t.pk for t in agent.teams.all()],
    }

    def submit(data: dict[str, Any]) -> None:
        services.agent_update(
            actor=actor_of(request),
            source=Source.WEB,
            agent_id=agent.pk,
            name=data["name"],
            role_key=data["role"],
            department_ids=data["departments"],
            team_ids=data["teams"],
        )

    return form_page(
        request,
        form=_agent_form(request, initial, editing=True),
        submit=submit,
        success_message=_("The agent was saved."),
        success_url=reverse("settings-agents"),
        template="org/settings/agent_edit.html",
        context=lambda: {
            "agent": agent,
            "me": request.user.pk,
            "title": _("Edit agent “%(name)s”") % {"name": agent.user.name or agent.user.email},
            "back_url": reverse("settings-agents"),
        },
        nav="agents",
        field_map=_AGENT_FIELDS,
    )


def _agent_action(request: HttpRequest, agent_id: int, action: Any, done: str) -> HttpResponse:
    try:
        action()
    except ServiceError as exc:
        if exc.status_code == 404:
            raise Http404 from exc
        if exc.status_code == 403:
            raise PermissionDenied from exc
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect("settings-agent-edit", agent_id=agent_id)


@agent_required(permissions.AGENT_MANAGE)
@require_POST
def agent_set_active(request: HttpRequest, agent_id: int) -> HttpResponse:
    """Deactivate or reactivate; ``active`` in the POST says which."""
    active = request.POST.get("active") == "1"
    return _agent_action(
        request,
        agent_id,
        lambda: services.agent_set_active(
            actor=actor_of(request), source=Source.WEB, agent_id=agent_id, active=active
        ),
        _("The agent was reactivated.") if active else _("The agent was deactivated."),
    )


@agent_required(permissions.AGENT_MANAGE)
@require_POST
def agent_invite_resend(request: HttpRequest, agent_id: int) -> HttpResponse:
    return _agent_action(
        request,
        agent_id,
        lambda: services.agent_invite_resend(
            actor=actor_of(request), source=Source.WEB, agent_id=agent_id, site_url=site_url(request)
        ),
        _("The invitation was sent again."),
    )


@agent_required(permissions.AGENT_MANAGE)
@require_POST
def agent_invitation_link(request: HttpRequest, agent_id: int) -> HttpResponse:
    """Show an invited agent's one-time set-password link, to copy when the e-mail did not arrive."""
    agent = agent_get(agent_id)
    if agent is None:
        raise Http404
    try:
        link = services.agent_invitation_link(
            actor=actor_of(request), source=Source.WEB, agent_id=agent_id, site_url=site_url(request)
        )
    except ServiceError as exc:
        if exc.status_code == 403:
            raise PermissionDenied from exc
        messages.error(request, exc.message)
        return redirect("settings-agent-edit", agent_id=agent_id)
    return render_settings(
        request,
        "org/settings/invitation_link.html",
        {"agent": agent, "link": link, "back_url": reverse("settings-agents")},
        nav="agents",
    )


@agent_required(permissions.SETTINGS_MANAGE)
def general(request: HttpRequest) -> HttpResponse:
    row = helpdesk_settings()
    initial = {
        "ticket_number_prefix": row.ticket_number_prefix,
        "time_zone": row.time_zone,
        "default_language": row.default_language,
    }

    def submit(data: dict[str, Any]) -> None:
        services.helpdesk_settings_update(
            actor=actor_of(request),
            source=Source.WEB,
            ticket_number_prefix=data["ticket_number_prefix"],
            time_zone=data["time_zone"],
            default_language=data["default_language"],
        )

    return form_page(
        request,
        form=HelpdeskSettingsForm(posted(request), initial=initial),
        submit=submit,
        success_message=_("The settings were saved."),
        success_url=reverse("settings-general"),
        template="org/settings/edit.html",
        context=lambda: {"title": _("General settings")},
        nav="general",
    )
