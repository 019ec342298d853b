"""Settings pages: the skills, who carries them, and one agent's skills (linked from the agents page)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kefu.automation.skills import selectors, services
from kefu.automation.skills.forms import AgentSkillsForm, SkillForm
from kefu.core.actors import Source
from kefu.core.errors import ServiceError
from kefu.org import permissions
from kefu.org.decorators import agent_required
from kefu.org.selectors import agent_get, agent_list
from kefu.org.views.common import actor_of, form_page, posted

_FIELDS = {"agent_ids": "agents"}


def _agent_choices() -> list[tuple[int, str]]:
    return [(agent.user_id, agent.user.name or agent.user.email) for agent in agent_list()]


def _form(request: HttpRequest, initial: dict[str, Any] | None = None, *, blank: bool = False) -> SkillForm:
    return SkillForm(None if blank else posted(request), initial=initial, agent_choices=_agent_choices())


def _values(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": data["name"],
        "name_en": data["name_en"],
        "description": data["description"],
        "agent_ids": data["agents"],
    }


@agent_required(permissions.SETTINGS_MANAGE)
def skills(request: HttpRequest) -> HttpResponse:
    def submit(data: dict[str, Any]) -> None:
        services.skill_create(actor=actor_of(request), source=Source.WEB, **_values(data))

    return form_page(
        request,
        form=_form(request),
        submit=submit,
        success_message=_("The skill was added."),
        success_url=reverse("settings-skills"),
        template="automation/skills/list.html",
        partial="automation/skills/partials/list.html",
        blank_form=lambda: _form(request, blank=True),
        context=lambda: {"skills": selectors.skill_list()},
        nav="skills",
        field_map=_FIELDS,
    )


@agent_required(permissions.SETTINGS_MANAGE)
def skill_edit(request: HttpRequest, skill_id: int) -> HttpResponse:
    skill = selectors.skill_get(skill_id)
    if skill is None:
        raise Http404
    initial = {
        "name": skill.name,
        "name_en": skill.name_en,
        "description": skill.description,
        "agents": [agent.user_id for agent in skill.agents.all()],
    }

    def submit(data: dict[str, Any]) -> None:
        services.skill_update(actor=actor_of(request), source=Source.WEB, skill_id=skill.pk, **_values(data))

    return form_page(
        request,
        form=_form(request, initial),
        submit=submit,
        success_message=_("The skill was saved."),
        success_url=reverse("settings-skills"),
        template="automation/skills/edit.html",
        context=lambda: {
            "skill": skill,
            "title": _("Edit skill “%(name)s”") % {"name": skill.display_name},
            "back_url": reverse("settings-skills"),
        },
        nav="skills",
        field_map=_FIELDS,
    )


@require_POST
@agent_required(permissions.SETTINGS_MANAGE)
def skill_delete(request: HttpRequest, skill_id: int) -> HttpResponse:
    try:
        services.skill_delete(actor=actor_of(request), source=Source.WEB, skill_id=skill_id)
    except ServiceError as exc:
        raise Http404 from exc
    messages.success(request, _("The skill was deleted."))
    return redirect("settings-skills")


@agent_required(permissions.AGENT_MANAGE)
def agent_skills(request: HttpRequest, agent_id: int) -> HttpResponse:
    """One agent's skills: reached from the agent's row on the agents page."""
    agent = agent_get(agent_id)
    if agent is None:
        raise Http404
    choices = [(skill.pk, skill.display_name) for skill in selectors.skill_list()]
    form = AgentSkillsForm(
        posted(request), initial={"skills": selectors.agent_skill_ids(agent.user_id)}, skill_choices=choices
    )

    def submit(data: dict[str, Any]) -> None:
        services.agent_skills_set(
            actor=actor_of(request), source=Source.WEB, agent_id=agent.user_id, skill_ids=data["skills"]
        )

    name = agent.user.name or agent.user.email
    return form_page(
        request,
        form=form,
        submit=submit,
        success_message=_("The skills of %(name)s were saved.") % {"name": name},
        success_url=reverse("settings-agents"),
        template="org/settings/edit.html",
        context=lambda: {
            "title": _("Skills of %(name)s") % {"name": name},
            "back_url": reverse("settings-agents"),
        },
        nav="agents",
        field_map={"skill_ids": "skills"},
    )
