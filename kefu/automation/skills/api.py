"""``/api/v1/skills``: the skills agents carry, and ``/api/v1/agents/{id}/skills``."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router, Status

from kefu.automation.edge import agent_actor
from kefu.automation.skills import selectors, services
from kefu.automation.skills.schemas import AgentSkillsIn, SkillIn, SkillOut
from kefu.core.actors import Source
from kefu.core.api_types import ERRORS, Id

router = Router(tags=["skills"])


def skill_out(skill: Any) -> dict[str, Any]:
    return {
        "id": skill.pk,
        "name": skill.name,
        "name_en": skill.name_en,
        "description": skill.description,
        "agent_ids": sorted(agent.user_id for agent in skill.agents.all()),
    }


def _read(skill_id: int) -> dict[str, Any]:
    skill = selectors.skill_get(skill_id)
    if skill is None:
        raise Http404
    return skill_out(skill)


@router.get("/skills", response={200: list[SkillOut], **ERRORS}, summary="Skills")
def list_skills(request: HttpRequest) -> list[dict[str, Any]]:
    agent_actor(request.auth)
    return [skill_out(skill) for skill in selectors.skill_list()]


@router.post("/skills", response={201: SkillOut, **ERRORS}, summary="Create a skill")
def create_skill(request: HttpRequest, payload: SkillIn) -> Status[dict[str, Any]]:
    skill = services.skill_create(
        actor=agent_actor(request.auth),
        source=Source.API,
        name=payload.name,
        name_en=payload.name_en,
        description=payload.description,
        agent_ids=payload.agent_ids or [],
    )
    return Status(201, _read(skill.pk))


@router.get("/skills/{skill_id}", response={200: SkillOut, **ERRORS}, summary="Get a skill")
def get_skill(request: HttpRequest, skill_id: Id) -> dict[str, Any]:
    agent_actor(request.auth)
    return _read(skill_id)


@router.put("/skills/{skill_id}", response={200: SkillOut, **ERRORS}, summary="Change a skill")
def update_skill(request: HttpRequest, skill_id: Id, payload: SkillIn) -> dict[str, Any]:
    services.skill_update(
        actor=agent_actor(request.auth),
        source=Source.API,
        skill_id=skill_id,
        name=payload.name,
        name_en=payload.name_en,
        description=payload.description,
        agent_ids=payload.agent_ids,
    )
    return _read(skill_id)


@router.delete("/skills/{skill_id}", response={204: None, **ERRORS}, summary="Delete a skill")
def delete_skill(request: HttpRequest, skill_id: Id) -> Status[None]:
    services.skill_delete(actor=agent_actor(request.auth), source=Source.API, skill_id=skill_id)
    return Status(204, None)


@router.put(
    "/agents/{agent_id}/skills", response={200: list[SkillOut], **ERRORS}, summary="Set an agent's skills"
)
def set_agent_skills(request: HttpRequest, agent_id: Id, payload: AgentSkillsIn) -> list[dict[str, Any]]:
    services.agent_skills_set(
        actor=agent_actor(request.auth), source=Source.API, agent_id=agent_id, skill_ids=payload.skill_ids
    )
    wanted = set(selectors.agent_skill_ids(agent_id))
    return [skill_out(skill) for skill in selectors.skill_list() if skill.pk in wanted]
