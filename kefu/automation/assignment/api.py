"""``/api/v1/assignment-rules`` and ``POST /api/v1/agents/{id}/share-out``."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Query, Router, Status

from kefu.automation.assignment import selectors, services
from kefu.automation.assignment.inputs import AssignmentRuleInput, FallbackInput
from kefu.automation.assignment.schemas import AssignmentRuleIn, AssignmentRuleOut, ReorderIn, ShareOutOut
from kefu.automation.assignment.share import agent_tickets_share_out
from kefu.automation.edge import agent_actor
from kefu.core.actors import Source
from kefu.core.api_types import ERRORS, Id

router = Router(tags=["assignment rules"])


def rule_out(rule: Any) -> dict[str, Any]:
    pointer = getattr(rule, "pointer", None)
    return {
        "id": rule.pk,
        "name": rule.name,
        "department_id": rule.department_id,
        "enabled": rule.enabled,
        "order": rule.order,
        "criteria": rule.criteria,
        "type": rule.type,
        "agent_ids": [member.user_id for member in rule.members.all()],
        "team_id": rule.team_id,
        "skill_ids": sorted(skill.pk for skill in rule.skills.all()),
        "skip_unavailable": rule.skip_unavailable,
        "cap": rule.cap,
        "fallback": {
            "type": rule.fallback,
            "team_id": rule.fallback_team_id,
            "agent_id": rule.fallback_agent_id,
        },
        "last_agent_id": pointer.last_user_id if pointer else None,
        "turns": pointer.turns if pointer else 0,
    }


def rule_input(payload: AssignmentRuleIn) -> AssignmentRuleInput:
    return AssignmentRuleInput(
        name=payload.name,
        department_id=payload.department_id,
        type=payload.type,
        enabled=payload.enabled,
        order=payload.order,
        criteria=dict(payload.criteria),
        agent_ids=list(payload.agent_ids),
        team_id=payload.team_id,
        skill_ids=list(payload.skill_ids),
        skip_unavailable=payload.skip_unavailable,
        cap=payload.cap,
        fallback=FallbackInput(
            type=payload.fallback.type, team_id=payload.fallback.team_id, agent_id=payload.fallback.agent_id
        ),
    )


def _read(rule_id: int) -> dict[str, Any]:
    rule = selectors.assignment_rule_get(rule_id)
    if rule is None:
        raise Http404
    return rule_out(rule)


@router.get(
    "/assignment-rules", response={200: list[AssignmentRuleOut], **ERRORS}, summary="Assignment rules"
)
def list_rules(request: HttpRequest, department_id: Query[Id | None] = None) -> list[dict[str, Any]]:  # type: ignore[type-arg]
    agent_actor(request.auth)
    return [rule_out(rule) for rule in selectors.assignment_rule_list(department_id=department_id)]


@router.post(
    "/assignment-rules", response={201: AssignmentRuleOut, **ERRORS}, summary="Create an assignment rule"
)
def create_rule(request: HttpRequest, payload: AssignmentRuleIn) -> Status[dict[str, Any]]:
    rule = services.assignment_rule_create(
        actor=agent_actor(request.auth), source=Source.API, data=rule_input(payload)
    )
    return Status(201, _read(rule.pk))


@router.post(
    "/assignment-rules/reorder", response={200: list[AssignmentRuleOut], **ERRORS}, summary="Reorder rules"
)
def reorder_rules(request: HttpRequest, payload: ReorderIn) -> list[dict[str, Any]]:
    services.assignment_rules_reorder(
        actor=agent_actor(request.auth),
        source=Source.API,
        department_id=payload.department_id,
        rule_ids=list(payload.rule_ids),
    )
    return [rule_out(rule) for rule in selectors.assignment_rule_list(department_id=payload.department_id)]


@router.get("/assignment-rules/{rule_id}", response={200: AssignmentRuleOut, **ERRORS}, summary="Get a rule")
def get_rule(request: HttpRequest, rule_id: Id) -> dict[str, Any]:
    agent_actor(request.auth)
    return _read(rule_id)


@router.put(
    "/assignment-rules/{rule_id}", response={200: AssignmentRuleOut, **ERRORS}, summary="Replace a rule"
)
def update_rule(request: HttpRequest, rule_id: Id, payload: AssignmentRuleIn) -> dict[str, Any]:
    services.assignment_rule_update(
        actor=agent_actor(request.auth), source=Source.API, rule_id=rule_id, data=rule_input(payload)
    )
    return _read(rule_id)


@router.delete("/assignment-rules/{rule_id}", response={204: None, **ERRORS}, summary="Delete a rule")
def delete_rule(request: HttpRequest, rule_id: Id) -> Status[None]:
    services.assignment_rule_delete(actor=agent_actor(request.auth), source=Source.API, rule_id=rule_id)
    return Status(204, None)


@router.post(
    "/agents/{agent_id}/share-out",
    response={200: ShareOutOut, **ERRORS},
    summary="Share out an agent's open tickets through the assignment rules",
)
def share_out(request: HttpRequest, agent_id: Id) -> dict[str, Any]:
    result = agent_tickets_share_out(actor=agent_actor(request.auth), source=Source.API, agent_id=agent_id)
    return {
        "reassigned": {str(user_id): count for user_id, count in sorted(result.reassigned.items())},
        "to_teams": result.to_teams,
        "flagged": result.flagged,
        "kept": result.kept,
    }
