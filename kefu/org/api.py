"""REST endpoints for departments, teams and agents."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status

from kefu.core.actors import Actor, Source
from kefu.core.api_types import ERRORS
from kefu.core.errors import PermissionDenied
from kefu.core.idempotency import idempotent
from kefu.org import services
from kefu.org.models import Agent
from kefu.org.schemas import AgentIn, AgentOut, DepartmentOut, TeamOut
from kefu.org.selectors import agent_access, agent_list, department_list, team_list

router = Router(tags=["organisation"])


def _require_agent(request: HttpRequest) -> Actor:
    if not agent_access(request.auth).is_agent:
        raise PermissionDenied(_("Only agents can use this endpoint."))
    return Actor.agent(request.auth)


def agent_out(agent: Agent) -> dict[str, Any]:
    return {
        "id": agent.user_id,
        "email": agent.user.email,
        "name": agent.user.name,
        "role": agent.role.key,
        "department_ids": sorted(d.pk for d in agent.departments.all()),
        "team_ids": sorted(t.pk for t in agent.teams.all()),
        "language": agent.language,
        "time_zone": agent.time_zone,
        "availability": agent.availability,
        "is_active": agent.user.is_active,
    }


@router.get(
    "/departments",
    response={200: list[DepartmentOut], **ERRORS},
    tags=["organisation"],
    summary="Departments",
)
def departments(request: HttpRequest) -> list[dict[str, Any]]:
    _require_agent(request)
    return [
        {
            "id": d.pk,
            "name": d.name,
            "name_en": d.name_en,
            "code": d.code,
            "description": d.description,
            "is_active": d.is_active,
            "reopen_within_days": d.reopen_within_days,
            "close_parent_with_last_child": d.close_parent_with_last_child,
        }
        for d in department_list()
    ]


@router.get("/teams", response={200: list[TeamOut], **ERRORS}, summary="Teams")
def teams(request: HttpRequest) -> list[dict[str, Any]]:
    _require_agent(request)
    return [
        {"id": t.pk, "department_id": t.department_id, "name": t.name, "description": t.description}
        for t in team_list()
    ]


@router.get("/agents", response={200: list[AgentOut], **ERRORS}, summary="Agents")
def agents(request: HttpRequest) -> list[dict[str, Any]]:
    _require_agent(request)
    return [agent_out(agent) for agent in agent_list()]


@router.get("/agents/me", response={200: AgentOut, **ERRORS}, summary="The calling agent")
def me(request: HttpRequest) -> dict[str, Any]:
    _require_agent(request)
    agent = agent_list().filter(user=request.auth).first()
    if agent is None:
        raise Http404
    return agent_out(agent)


@router.post("/agents", response={201: AgentOut, **ERRORS}, summary="Add an agent")
def create_agent(request: HttpRequest, payload: AgentIn) -> Status[dict[str, Any]]:
    actor = _require_agent(request)

    def create() -> tuple[int, dict[str, Any]]:
        agent = services.agent_create(
            actor=actor,
            source=Source.API,
            email=payload.email,
            name=payload.name,
            role_key=payload.role,
            department_ids=payload.department_ids,
            team_ids=payload.team_ids,
            language=payload.language,
            time_zone=payload.time_zone,
        )
        return 201, AgentOut.model_validate(agent_out(agent_list().get(pk=agent.pk))).model_dump(mode="json")

    return Status(*idempotent(request, create))
