"""Settings → SLA policies: each department's policies in the order they are tried (moved up and down),
and the editor — name, department, calendar, the conditions (the rule builder), the targets of each
priority and the escalation levels."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kefu.core.errors import ServiceError
from kefu.org import permissions
from kefu.org.decorators import agent_required
from kefu.org.selectors import department_list
from kefu.org.views.common import actor_of, render_settings
from kefu.sla.inputs import PolicyInput
from kefu.sla.models import Target
from kefu.sla.selectors.calendars import calendar_list
from kefu.sla.selectors.policies import policy_get, policy_list
from kefu.sla.services.policies import policies_reorder, policy_create, policy_delete, policy_update
from kefu.tickets.criteria import builder_catalog
from kefu.tickets.selectors import priority_list

NAV = "sla"


@agent_required(permissions.SETTINGS_MANAGE)
def policy_list_page(request: HttpRequest) -> HttpResponse:
    policies = list(policy_list())
    priorities = {priority.pk: priority for priority in priority_list()}
    groups = []
    for department in department_list(active_only=True):
        found = [policy for policy in policies if policy.department_id == department.pk]
        groups.append({"department": department, "policies": found})
    return render_settings(
        request,
        "sla/policies/list.html",
        {"groups": groups, "priorities": priorities, "title": _("SLA policies")},
        nav=NAV,
    )


@require_POST
@agent_required(permissions.SETTINGS_MANAGE)
def policy_move(request: HttpRequest, policy_id: int) -> HttpResponse:
    policy = _policy(policy_id)
    ids = [found.pk for found in policy_list(policy.department_id)]
    index = ids.index(policy.pk)
    other = index - 1 if request.POST.get("direction") == "up" else index + 1
    if 0 <= other < len(ids):
        ids[index], ids[other] = ids[other], ids[index]
        policies_reorder(actor=actor_of(request), department_id=policy.department_id, ids=ids)
        messages.success(request, _("New order saved."))
    return redirect("sla:list")


def _policy(policy_id: int) -> Any:
    policy = policy_get(policy_id)
    if policy is None:
        raise Http404
    return policy


def _minutes(raw: str) -> int | str | None:
    raw = raw.strip()
    if not raw:
        return None
    try:
        return int(raw)
    except ValueError:
        return raw  # the service names it


def _posted(request: HttpRequest) -> tuple[PolicyInput, dict[str, Any]]:
    """The policy as posted, and the form's values to show again."""
    post = request.POST
    try:
        criteria = json.loads(post.get("criteria") or "null")
    except ValueError:
        criteria = "?"
    targets = []
    for priority in priority_list():
        row = {
            "priority_id": priority.pk,
            "first_response_minutes": _minutes(post.get(f"first_response_{priority.pk}", "")),
            "next_response_minutes": _minutes(post.get(f"next_response_{priority.pk}", "")),
            "resolution_minutes": _minutes(post.get(f"resolution_{priority.pk}", "")),
            "business_time": post.get(f"business_time_{priority.pk}") == "on",
        }
        if any(
            row[name] is not None
            for name in ("first_response_minutes", "next_response_minutes", "resolution_minutes")
        ):
            targets.append(row)
    escalations = []
    for target, offset, actions in zip(
        post.getlist("escalation_target"),
        post.getlist("escalation_offset"),
        post.getlist("escalation_actions"),
        strict=False,
    ):
        if not (target or offset.strip() or actions.strip()):
            continue
        try:
            parsed = json.loads(actions or "[]")
        except ValueError:
            parsed = "?"
        escalations.append({"target": target, "offset_minutes": _minutes(offset), "actions": parsed})
    department = _minutes(post.get("department_id", ""))
    calendar = _minutes(post.get("business_hours_id", ""))
    data = PolicyInput(
        name=post.get("name", ""),
        department_id=department if isinstance(department, int) else None,
        enabled=post.get("enabled") == "on",
        criteria=criteria,
        business_hours_id=calendar if isinstance(calendar, int) else None,
        targets=targets,
        escalations=escalations,
        given=frozenset(
            {"name", "department_id", "enabled", "criteria", "business_hours_id", "targets", "escalations"}
        ),
    )
    return data, {"targets": targets, "escalations": escalations, "criteria": criteria}


def _initial(policy: Any) -> dict[str, Any]:
    if policy is None:
        return {
            "name": "",
            "department_id": None,
            "enabled": True,
            "criteria": {"all": []},
            "business_hours_id": None,
            "targets": [],
            "escalations": [],
        }
    return {
        "name": policy.name,
        "department_id": policy.department_id,
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
    }


def _editor(
    request: HttpRequest, policy: Any, values: dict[str, Any], errors: dict[str, str], status: int = 200
) -> HttpResponse:
    by_priority = {row["priority_id"]: (index, row) for index, row in enumerate(values["targets"])}
    rows = []
    for priority in priority_list():
        index, row = by_priority.get(priority.pk, (None, {}))
        prefix = f"targets[{index}]" if index is not None else None
        rows.append(
            {
                "priority": priority,
                "first_response": row.get("first_response_minutes"),
                "next_response": row.get("next_response_minutes"),
                "resolution": row.get("resolution_minutes"),
                "business_time": row.get("business_time", True),
                "errors": [message for key, message in errors.items() if prefix and key.startswith(prefix)],
            }
        )
    levels = [
        {
            "target": level["target"],
            "offset": level["offset_minutes"],
            "actions": level["actions"]
            if isinstance(level["actions"], str)
            else json.dumps(level["actions"], ensure_ascii=False),
            "errors": [message for key, message in errors.items() if key.startswith(f"escalations[{index}]")],
        }
        for index, level in enumerate(values["escalations"])
    ]
    levels.append({"target": "", "offset": "", "actions": "", "errors": []})
    criteria_errors = {key: message for key, message in errors.items() if key.startswith("criteria")}
    return render_settings(
        request,
        "sla/policies/edit.html",
        {
            "policy": policy,
            "title": _("Edit SLA policy") if policy else _("New SLA policy"),
            "values": values,
            "errors": errors,
            "departments": department_list(active_only=True),
            "calendars": calendar_list(),
            "target_rows": rows,
            "levels": levels,
            "target_choices": Target.choices,
            "criteria_json": json.dumps(values["criteria"], ensure_ascii=False),
            "builder": builder_catalog(),
            "builder_errors": criteria_errors,
        },
        nav=NAV,
        status=status,
    )


def _edit(request: HttpRequest, policy: Any) -> HttpResponse:
    if request.method != "POST":
        return _editor(request, policy, _initial(policy), {})
    data, shown = _posted(request)
    values = {
        "name": data.name,
        "department_id": data.department_id,
        "enabled": data.enabled,
        "business_hours_id": data.business_hours_id,
        **shown,
    }
    try:
        if policy is None:
            saved = policy_create(actor=actor_of(request), data=data)
        else:
            saved = policy_update(actor=actor_of(request), policy=policy, data=data)
    except ServiceError as exc:
        if isinstance(values["criteria"], str):
            values["criteria"] = {"all": []}
        return _editor(request, policy, values, dict(exc.fields or {"general": exc.message}), status=422)
    messages.success(request, _("The SLA policy “%(name)s” is saved.") % {"name": saved.name})
    return redirect(reverse("sla:list"))


@agent_required(permissions.SETTINGS_MANAGE)
def policy_new(request: HttpRequest) -> HttpResponse:
    return _edit(request, None)


@agent_required(permissions.SETTINGS_MANAGE)
def policy_edit(request: HttpRequest, policy_id: int) -> HttpResponse:
    return _edit(request, _policy(policy_id))


@require_POST
@agent_required(permissions.SETTINGS_MANAGE)
def policy_delete_view(request: HttpRequest, policy_id: int) -> HttpResponse:
    policy = _policy(policy_id)
    policy_delete(actor=actor_of(request), policy=policy)
    messages.success(request, _("The SLA policy “%(name)s” is deleted.") % {"name": policy.name})
    return redirect("sla:list")
