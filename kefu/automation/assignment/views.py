"""Settings pages of assignment rules: the ordered list per department (drag to reorder), the editor,
and the agents page's “share out this agent's open tickets” button."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from kefu.automation import criteria
from kefu.automation.assignment import selectors, services
from kefu.automation.assignment.forms import AssignmentRuleForm
from kefu.automation.assignment.inputs import AssignmentRuleInput, FallbackInput
from kefu.automation.assignment.share import agent_tickets_share_out
from kefu.automation.skills.selectors import skill_list
from kefu.core.actors import Source
from kefu.core.errors import ServiceError, ValidationFailed
from kefu.org import permissions
from kefu.org.decorators import agent_required
from kefu.org.selectors import agent_get, agent_list, department_list, team_list_with_members
from kefu.org.views.common import actor_of, form_page, posted, render_settings

_FORM_FIELDS = {
    "agent_ids": "agents",
    "skill_ids": "skills",
    "team_id": "team",
    "department_id": "department",
    "fallback.type": "fallback",
    "fallback.team_id": "fallback_team",
    "fallback.agent_id": "fallback_agent",
}


def _form_field(key: str) -> str:
    """``agent_ids[2]`` → ``agents``; ``criteria.all[0].value`` → ``criteria``."""
    if key.startswith("criteria"):
        return "criteria"
    return _FORM_FIELDS.get(key.split("[", 1)[0], key)


def _form(request: HttpRequest, initial: dict[str, Any] | None = None) -> AssignmentRuleForm:
    return AssignmentRuleForm(
        posted(request),
        initial=initial,
        department_choices=[(d.pk, d.display_name) for d in department_list(active_only=True)],
        agent_choices=[(a.user_id, a.user.name or a.user.email) for a in agent_list() if a.user.is_active],
        team_choices=[(t.pk, f"{t.department.display_name} · {t.name}") for t in team_list_with_members()],
        skill_choices=[(s.pk, s.display_name) for s in skill_list()],
    )


def _input(data: dict[str, Any], order: int | None) -> AssignmentRuleInput:
    return AssignmentRuleInput(
        name=data["name"],
        department_id=data["department"],
        type=data["type"],
        enabled=data["enabled"],
        order=order,
        criteria=data["criteria"],
        agent_ids=list(data["agents"]),
        team_id=data["team"],
        skill_ids=list(data["skills"]) if data["type"] == "skills" else [],
        skip_unavailable=data["skip_unavailable"],
        cap=data["cap"],
        fallback=FallbackInput(
            type=data["fallback"],
            team_id=data["fallback_team"] if data["fallback"] == "team" else None,
            agent_id=data["fallback_agent"] if data["fallback"] == "agent" else None,
        ),
    )


def _for_form(call: Any) -> None:
    """Run a service call; move its field errors onto the form's field names."""
    try:
        call()
    except ValidationFailed as exc:
        fields: dict[str, str] = {}
        for key, message in exc.fields.items():
            fields.setdefault(_form_field(key), message)
        raise ValidationFailed(exc.message, fields=fields) from exc


def _criteria_context() -> dict[str, Any]:
    return {"criteria_catalog": criteria.field_catalog(allow_changes=False)}


def _ordered_agents(form: AssignmentRuleForm, chosen: list[int]) -> list[Any]:
    """The agent check boxes with the chosen ones first, in their turn order (the rest after)."""
    boxes = list(form["agents"])
    position = {user_id: index for index, user_id in enumerate(chosen)}
    return sorted(boxes, key=lambda box: position.get(int(box.data["value"]), len(position)))


@agent_required(permissions.SETTINGS_MANAGE)
def rules(request: HttpRequest) -> HttpResponse:
    grouped: dict[int, dict[str, Any]] = {}
    for department in department_list():
        grouped[department.pk] = {"department": department, "rules": []}
    for rule in selectors.assignment_rule_list():
        grouped[rule.department_id]["rules"].append(rule)
    return render_settings(
        request,
        "automation/assignment/list.html",
        {"groups": [group for group in grouped.values() if group["rules"] or group["department"].is_active]},
        nav="assignment-rules",
    )


def _editor(request: HttpRequest, *, rule: Any | None) -> HttpResponse:
    if rule is None:
        initial: dict[str, Any] = {
            "enabled": True,
            "type": "round_robin",
            "fallback": "unassigned",
            "criteria": {},
        }
        if request.GET.get("department", "").isdigit():
            initial["department"] = int(request.GET["department"])
    else:
        initial = {
            "name": rule.name,
            "department": rule.department_id,
            "enabled": rule.enabled,
            "type": rule.type,
            "agents": [member.user_id for member in rule.members.all()],
            "team": rule.team_id,
            "skills": [skill.pk for skill in rule.skills.all()],
            "skip_unavailable": rule.skip_unavailable,
            "cap": rule.cap,
            "fallback": rule.fallback,
            "fallback_team": rule.fallback_team_id,
            "fallback_agent": rule.fallback_agent_id,
            "criteria": rule.criteria,
        }
    form = _form(request, {**initial, "criteria": json.dumps(initial["criteria"], ensure_ascii=False)})

    def submit(data: dict[str, Any]) -> None:
        actor = actor_of(request)
        if rule is None:
            _for_form(
                lambda: services.assignment_rule_create(
                    actor=actor, source=Source.WEB, data=_input(data, None)
                )
            )
        else:
            _for_form(
                lambda: services.assignment_rule_update(
                    actor=actor, source=Source.WEB, rule_id=rule.pk, data=_input(data, rule.order)
                )
            )

    chosen = (
        form.cleaned_data.get("agents", [])
        if form.is_bound and form.is_valid()
        else initial.get("agents", [])
    )
    return form_page(
        request,
        form=form,
        submit=submit,
        success_message=_("The assignment rule was saved."),
        success_url=reverse("settings-assignment-rules"),
        template="automation/assignment/edit.html",
        context=lambda: {
            "rule": rule,
            "title": _("Edit assignment rule “%(name)s”") % {"name": rule.name}
            if rule
            else _("New assignment rule"),
            "back_url": reverse("settings-assignment-rules"),
            "agent_boxes": _ordered_agents(form, list(chosen)),
            **_criteria_context(),
        },
        nav="assignment-rules",
    )


@agent_required(permissions.SETTINGS_MANAGE)
def rule_new(request: HttpRequest) -> HttpResponse:
    return _editor(request, rule=None)


@agent_required(permissions.SETTINGS_MANAGE)
def rule_edit(request: HttpRequest, rule_id: int) -> HttpResponse:
    rule = selectors.assignment_rule_get(rule_id)
    if rule is None:
        raise Http404
    return _editor(request, rule=rule)


@require_POST
@agent_required(permissions.SETTINGS_MANAGE)
def rule_delete(request: HttpRequest, rule_id: int) -> HttpResponse:
    try:
        services.assignment_rule_delete(actor=actor_of(request), source=Source.WEB, rule_id=rule_id)
    except ServiceError as exc:
        raise Http404 from exc
    messages.success(request, _("The assignment rule was deleted."))
    return redirect("settings-assignment-rules")


@require_POST
@agent_required(permissions.SETTINGS_MANAGE)
def rule_toggle(request: HttpRequest, rule_id: int) -> HttpResponse:
    try:
        rule = services.assignment_rule_set_enabled(
            actor=actor_of(request),
            source=Source.WEB,
            rule_id=rule_id,
            enabled=request.POST.get("enabled") == "1",
        )
    except ServiceError as exc:
        raise Http404 from exc
    messages.success(
        request,
        (_("“%(name)s” is on.") if rule.enabled else _("“%(name)s” is off.")) % {"name": rule.name},
    )
    return redirect("settings-assignment-rules")


@require_POST
@agent_required(permissions.SETTINGS_MANAGE)
def rules_reorder(request: HttpRequest) -> HttpResponse:
    """The drag-and-drop's answer: the department's rule ids in their new order."""
    try:
        department_id = int(request.POST.get("department_id", ""))
        rule_ids = [int(value) for value in request.POST.getlist("rule_ids")]
    except ValueError:
        return JsonResponse(
            {"error": {"code": "validation_failed", "message": _("The order is not valid.")}}, status=422
        )
    try:
        services.assignment_rules_reorder(
            actor=actor_of(request), source=Source.WEB, department_id=department_id, rule_ids=rule_ids
        )
    except ServiceError as exc:
        return JsonResponse(
            {"error": {"code": exc.code, "message": exc.message, "fields": exc.fields}},
            status=exc.status_code,
        )
    return JsonResponse({"rule_ids": rule_ids})


@require_POST
@agent_required(permissions.AGENT_MANAGE)
def agent_share_out(request: HttpRequest, agent_id: int) -> HttpResponse:
    """The agents page's button: hand this agent's open tickets to others through the rules."""
    agent = agent_get(agent_id)
    if agent is None:
        raise Http404
    result = agent_tickets_share_out(actor=actor_of(request), source=Source.WEB, agent_id=agent.user_id)
    name = agent.user.name or agent.user.email
    messages.success(
        request,
        ngettext(
            "%(count)d open ticket of %(name)s was shared out.",
            "%(count)d open tickets of %(name)s were shared out.",
            result.moved,
        )
        % {"count": result.moved, "name": name},
    )
    if result.kept:
        messages.warning(
            request,
            ngettext(
                "%(count)d ticket stayed with %(name)s: no assignment rule of its department matches it.",
                "%(count)d tickets stayed with %(name)s: "
                "no assignment rule of their department matches them.",
                result.kept,
            )
            % {"count": result.kept, "name": name},
        )
    return redirect("settings-agents")
