"""REST endpoints for SLA policies (``/sla-policies``)."""

# No ``from __future__ import annotations``: Ninja reads the schema classes the endpoints are built with.

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router, Status

from kefu.core.actors import Actor
from kefu.core.api_types import ERRORS, Id
from kefu.sla.inputs import PolicyInput
from kefu.sla.schemas import PolicyIn, PolicyListOut, PolicyOut, ReorderIn
from kefu.sla.selectors.policies import policy_get, policy_list
from kefu.sla.services.policies import (
    authorize_policies,
    policies_reorder,
    policy_create,
    policy_delete,
    policy_update,
)

router = Router(tags=["sla"])


def _actor(request: HttpRequest) -> Actor:
    actor = Actor.agent(request.auth)
    authorize_policies(actor)
    return actor


def policy_out(policy: Any) -> dict[str, Any]:
    return {
        "id": policy.pk,
        "name": policy.name,
        "department_id": policy.department_id,
        "order": policy.order,
        "enabled": policy.enabled,
        "criteria": policy.criteria,
        "business_hours_id": policy.business_hours_id,
        "targets": [
            {
                "priority_id": target.priority_id,
                "first_response_minutes": target.first_response_minutes,
                "next_response_minutes": target.next_response_minutes,
                "resolution_minutes": target.resolution_minutes,
                "business_time": target.business_time,
            }
            for target in policy.targets.all()
        ],
        "escalations": [
            {"target": level.target, "offset_minutes": level.offset_minutes, "actions": level.actions}
            for level in policy.escalations.all()
        ],
        "created_at": policy.created_at,
        "updated_at": policy.updated_at,
    }


def policy_input(payload: PolicyIn) -> PolicyInput:
    return PolicyInput(
        name=payload.name or "",
        department_id=payload.department_id,
        order=payload.order,
        enabled=True if payload.enabled is None else payload.enabled,
        criteria=payload.criteria,
        business_hours_id=payload.business_hours_id,
        targets=payload.targets,
        escalations=payload.escalations,
        given=frozenset(payload.model_fields_set),
    )


def _get(policy_id: int) -> Any:
    policy = policy_get(policy_id)
    if policy is None:
        raise Http404
    return policy


@router.get("", response={200: PolicyListOut, **ERRORS}, summary="List SLA policies")
def list_policies(request: HttpRequest, department_id: Id | None = None) -> dict[str, Any]:
    """Every policy, by department and in the order they are tried."""
    _actor(request)
    return {"items": [policy_out(policy) for policy in policy_list(department_id)], "next_cursor": None}


@router.post("", response={201: PolicyOut, **ERRORS}, summary="Create an SLA policy")
def create_policy(request: HttpRequest, payload: PolicyIn) -> Status[dict[str, Any]]:
    policy = policy_create(actor=_actor(request), data=policy_input(payload))
    return Status(201, policy_out(_get(policy.pk)))


@router.post("/reorder", response={204: None, **ERRORS}, summary="Put a department's policies in a new order")
def reorder_policies(request: HttpRequest, payload: ReorderIn) -> Status[None]:
    policies_reorder(actor=_actor(request), department_id=payload.department_id, ids=payload.ids)
    return Status(204, None)


@router.get("/{policy_id}", response={200: PolicyOut, **ERRORS}, summary="Get an SLA policy")
def get_policy(request: HttpRequest, policy_id: Id) -> dict[str, Any]:
    _actor(request)
    return policy_out(_get(policy_id))


@router.patch("/{policy_id}", response={200: PolicyOut, **ERRORS}, summary="Change an SLA policy")
def update_policy(request: HttpRequest, policy_id: Id, payload: PolicyIn) -> dict[str, Any]:
    actor = _actor(request)
    policy_update(actor=actor, policy=_get(policy_id), data=policy_input(payload))
    return policy_out(_get(policy_id))


@router.delete("/{policy_id}", response={204: None, **ERRORS}, summary="Delete an SLA policy")
def delete_policy(request: HttpRequest, policy_id: Id) -> Status[None]:
    policy_delete(actor=_actor(request), policy=_get(policy_id))
    return Status(204, None)
