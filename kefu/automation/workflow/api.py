"""``/api/v1/workflow-rules``, ``/api/v1/time-rules`` and ``/api/v1/automation/fields``."""

# No ``from __future__ import annotations``: Ninja reads the schema classes the endpoints are built with.

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router, Status

from kefu.automation.actions import action_types
from kefu.automation.criteria import field_catalog
from kefu.automation.models import TimeRule, Trigger, WorkflowRule
from kefu.automation.models.base import RuleBase
from kefu.automation.workflow import selectors, services
from kefu.automation.workflow.dryrun import DryRunResult, dry_run
from kefu.automation.workflow.inputs import RuleInput
from kefu.automation.workflow.schemas import (
    CatalogOut,
    DryRunIn,
    DryRunOut,
    ReorderIn,
    RunListOut,
    TimeRuleIn,
    TimeRuleListOut,
    TimeRuleOut,
    WorkflowRuleIn,
    WorkflowRuleListOut,
    WorkflowRuleOut,
)
from kefu.core.actors import Actor
from kefu.core.api_types import ERRORS, Id

workflow_router = Router(tags=["workflow rules"])
time_router = Router(tags=["time rules"])
catalog_router = Router(tags=["automation"])


def _actor(request: HttpRequest) -> Actor:
    actor = Actor.agent(request.auth)
    services.authorize_rules(actor)
    return actor


def rule_out(rule: RuleBase) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": rule.pk,
        "name": rule.name,
        "department_id": rule.department_id,
        "enabled": rule.enabled,
        "order": rule.order,
        "criteria": rule.criteria,
        "actions": rule.actions,
        "stats": {
            "runs": getattr(rule, "runs_count", 0),
            "errors": getattr(rule, "errors_count", 0),
            "last_run_at": getattr(rule, "last_run_at", None),
        },
        "created_at": rule.created_at,
        "updated_at": rule.updated_at,
    }
    if isinstance(rule, WorkflowRule):
        out["trigger"] = rule.trigger
        out["trigger_fields"] = rule.trigger_fields
    return out


def rule_input(payload: WorkflowRuleIn | TimeRuleIn) -> RuleInput:
    given = frozenset(payload.model_fields_set)
    return RuleInput(
        name=payload.name or "",
        department_id=payload.department_id,
        enabled=bool(payload.enabled),
        order=payload.order,
        trigger=getattr(payload, "trigger", None) or "",
        trigger_fields=list(getattr(payload, "trigger_fields", None) or []),
        criteria=payload.criteria,
        actions=payload.actions,
        given=given,
    )


def dry_run_out(result: DryRunResult) -> dict[str, Any]:
    return {
        "checked": result.checked,
        "matched": len(result.matches),
        "assumes_changes": result.assumes_changes,
        "matches": [
            {
                "ticket_id": match.ticket.pk,
                "number": match.ticket.number,
                "subject": match.ticket.subject,
                "steps": [{"field": step.field, "old": step.old, "new": step.new} for step in match.steps],
                "stops": match.stops,
            }
            for match in result.matches
        ],
    }


def _get(model: type[RuleBase], rule_id: int) -> RuleBase:
    rule = selectors.rule_get(model, rule_id)
    if rule is None:
        raise Http404
    return rule


def _mount(
    router: Router, model: type[RuleBase], schema_in: Any, schema_out: Any, list_out: Any, noun: str
) -> None:
    """The same endpoints for both kinds of rule."""
    allow_changes = model is WorkflowRule

    @router.get("", response={200: list_out, **ERRORS}, summary=f"List {noun}s")
    def list_rules(request: HttpRequest) -> dict[str, Any]:
        _actor(request)
        return {"items": [rule_out(rule) for rule in selectors.rule_list(model)], "next_cursor": None}

    @router.post("", response={201: schema_out, **ERRORS}, summary=f"Create a {noun}")
    def create_rule(request: HttpRequest, payload: schema_in) -> Status[dict[str, Any]]:  # type: ignore[valid-type]
        rule = services.rule_create(actor=_actor(request), model=model, data=rule_input(payload))
        return Status(201, rule_out(_get(model, rule.pk)))

    @router.post("/reorder", response={204: None, **ERRORS}, summary=f"Put the {noun}s in a new order")
    def reorder_rules(request: HttpRequest, payload: ReorderIn) -> Status[None]:
        services.rules_reorder(actor=_actor(request), model=model, ids=payload.ids)
        return Status(204, None)

    @router.post(
        "/dry-run", response={200: DryRunOut, **ERRORS}, summary="Test a definition on recent tickets"
    )
    def dry_run_definition(request: HttpRequest, payload: DryRunIn) -> dict[str, Any]:
        _actor(request)
        result = dry_run(
            user=request.auth, criteria=payload.criteria, actions=payload.actions, allow_changes=allow_changes
        )
        return dry_run_out(result)

    @router.get("/{rule_id}", response={200: schema_out, **ERRORS}, summary=f"Get a {noun}")
    def get_rule(request: HttpRequest, rule_id: Id) -> dict[str, Any]:
        _actor(request)
        return rule_out(_get(model, rule_id))

    @router.patch("/{rule_id}", response={200: schema_out, **ERRORS}, summary=f"Change a {noun}")
    def update_rule(request: HttpRequest, rule_id: Id, payload: schema_in) -> dict[str, Any]:  # type: ignore[valid-type]
        actor = _actor(request)
        services.rule_update(actor=actor, rule=_get(model, rule_id), data=rule_input(payload))
        return rule_out(_get(model, rule_id))

    @router.delete("/{rule_id}", response={204: None, **ERRORS}, summary=f"Delete a {noun}")
    def delete_rule(request: HttpRequest, rule_id: Id) -> Status[None]:
        services.rule_delete(actor=_actor(request), rule=_get(model, rule_id))
        return Status(204, None)

    @router.get("/{rule_id}/runs", response={200: RunListOut, **ERRORS}, summary=f"The {noun}'s latest runs")
    def rule_runs(request: HttpRequest, rule_id: Id) -> dict[str, Any]:
        _actor(request)
        runs = selectors.rule_runs(_get(model, rule_id), limit=100)
        return {
            "items": [
                {
                    "id": run.pk,
                    "ticket_id": run.ticket_id,
                    "change_set": run.change_set,
                    "depth": run.depth,
                    "outcome": run.outcome,
                    "actions": run.actions,
                    "error": run.error,
                    "created_at": run.created_at,
                }
                for run in runs
            ],
            "next_cursor": None,
        }

    @router.post("/{rule_id}/dry-run", response={200: DryRunOut, **ERRORS}, summary=f"Test a saved {noun}")
    def dry_run_rule(request: HttpRequest, rule_id: Id) -> dict[str, Any]:
        _actor(request)
        rule = _get(model, rule_id)
        result = dry_run(
            user=request.auth, criteria=rule.criteria, actions=rule.actions, allow_changes=allow_changes
        )
        return dry_run_out(result)


_mount(workflow_router, WorkflowRule, WorkflowRuleIn, WorkflowRuleOut, WorkflowRuleListOut, "workflow rule")
_mount(time_router, TimeRule, TimeRuleIn, TimeRuleOut, TimeRuleListOut, "time rule")


@catalog_router.get("/fields", response={200: CatalogOut, **ERRORS}, summary="What rules can test and do")
def fields(request: HttpRequest, for_time_rules: bool = False) -> dict[str, Any]:
    """The fields conditions can name (with their operators and choices), the actions and the triggers.

    ``for_time_rules=true`` leaves out the operators on a change, which time rules cannot use.
    """
    Actor.agent(request.auth)
    catalog = field_catalog(allow_changes=not for_time_rules)
    catalog["actions"] = [action.editor() for action in action_types()]
    catalog["triggers"] = [{"key": value, "label": str(label)} for value, label in Trigger.choices]
    return catalog
