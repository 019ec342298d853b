"""Settings pages of workflow rules and time rules: the ordered list (drag to reorder, switch on and off),
the editor with its builder and “test against recent tickets”, and each rule's log."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kefu.automation.criteria import uses_changes
from kefu.automation.models import TimeRule, WorkflowRule
from kefu.automation.models.base import RuleBase
from kefu.automation.workflow import selectors, services
from kefu.automation.workflow.builder import builder_catalog
from kefu.automation.workflow.describe import Describer
from kefu.automation.workflow.dryrun import dry_run
from kefu.automation.workflow.forms import RuleForm, WorkflowRuleForm
from kefu.automation.workflow.inputs import RuleInput
from kefu.core.errors import ServiceError, ValidationFailed
from kefu.org import permissions
from kefu.org.decorators import agent_required
from kefu.org.selectors import department_list
from kefu.org.views.common import actor_of, posted, render_settings


@dataclass(frozen=True)
class Kind:
    key: str
    model: type[RuleBase]
    title: Promise
    new_title: Promise
    edit_title: Promise
    intro: Promise
    form: type[RuleForm]

    def url(self, name: str, *args: Any) -> str:
        return reverse(f"settings-{self.key}-{name}", args=args)


KINDS = {
    "workflow": Kind(
        key="workflow",
        model=WorkflowRule,
        title=gettext_lazy("Workflow rules"),
        new_title=gettext_lazy("New workflow rule"),
        edit_title=gettext_lazy("Edit workflow rule"),
        intro=gettext_lazy(
            "Right after something happens to a ticket, the enabled rules whose trigger fits run from top to "
            "bottom: each one whose conditions match applies its actions. Drag to change the order."
        ),
        form=WorkflowRuleForm,
    ),
    "time": Kind(
        key="time",
        model=TimeRule,
        title=gettext_lazy("Time rules"),
        new_title=gettext_lazy("New time rule"),
        edit_title=gettext_lazy("Edit time rule"),
        intro=gettext_lazy(
            "Every few minutes, each enabled time rule looks for tickets that match its conditions and "
            "applies its actions once to each of them; it acts on a ticket again only after the conditions "
            "stopped matching for a while."
        ),
        form=RuleForm,
    ),
}


def _kind(kind: str) -> Kind:
    found = KINDS.get(kind)
    if found is None:
        raise Http404
    return found


def _rule(kind: Kind, rule_id: int) -> RuleBase:
    rule = selectors.rule_get(kind.model, rule_id)
    if rule is None:
        raise Http404
    return rule


def _nav(kind: Kind) -> str:
    return f"{kind.key}-rules"


@agent_required(permissions.SETTINGS_MANAGE)
def rule_list(request: HttpRequest, kind: str) -> HttpResponse:
    found = _kind(kind)
    return render_settings(
        request,
        "automation/rules/list.html",
        {"kind": found, "rules": list(selectors.rule_list(found.model)), "title": found.title},
        nav=_nav(found),
    )


def _form(request: HttpRequest, kind: Kind, rule: RuleBase | None) -> RuleForm:
    initial: dict[str, Any] = {"criteria": _starting_criteria(request), "actions": []}
    if rule is not None:
        initial = {
            "name": rule.name,
            "department": rule.department_id,
            "enabled": rule.enabled,
            "criteria": rule.criteria,
            "actions": rule.actions,
            "trigger": getattr(rule, "trigger", None),
            "trigger_fields": getattr(rule, "trigger_fields", []),
        }
    departments = [
        (department.pk, department.display_name) for department in department_list(active_only=True)
    ]
    return kind.form(posted(request), initial=initial, department_choices=departments)


def _starting_criteria(request: HttpRequest) -> dict[str, Any]:
    """A new rule's conditions: ``?criteria=<json>`` (a saved ticket view's "Start a rule from these
    conditions"), else none. The rule validates them when it is saved, like any other."""
    try:
        given = json.loads(request.GET.get("criteria", "") or "null")
    except ValueError:
        given = None
    return given if isinstance(given, dict) else {"all": []}


def _input(data: dict[str, Any]) -> RuleInput:
    return RuleInput(
        name=data["name"],
        department_id=data["department"],
        enabled=data["enabled"],
        trigger=data.get("trigger") or "",
        trigger_fields=list(data.get("trigger_fields") or []),
        criteria=data["criteria"],
        actions=data["actions"],
        given=frozenset(
            {"name", "department_id", "enabled", "trigger", "trigger_fields", "criteria", "actions"}
        ),
    )


_FORM_FIELDS = {
    "department_id": "department",
    "name": "name",
    "trigger": "trigger",
    "trigger_fields": "trigger_fields",
}


def _place_errors(form: RuleForm, error: ServiceError) -> dict[str, str]:
    """Plain fields' errors go on the form; the builder's (by path) are returned for the builder to show."""
    paths: dict[str, str] = {}
    for key, message in error.fields.items():
        field = _FORM_FIELDS.get(key)
        if field in form.fields:
            form.add_error(field, message)
        else:
            paths[key] = message
    if not error.fields:
        form.add_error(None, error.message)
    form._style()
    return paths


def _editor(request: HttpRequest, kind: Kind, rule: RuleBase | None) -> HttpResponse:
    form = _form(request, kind, rule)
    paths: dict[str, str] = {}
    if request.method == "POST" and form.is_valid():
        actor = actor_of(request)
        try:
            if rule is None:
                saved = services.rule_create(actor=actor, model=kind.model, data=_input(form.cleaned_data))
            else:
                saved = services.rule_update(actor=actor, rule=rule, data=_input(form.cleaned_data))
        except ValidationFailed as exc:
            paths = _place_errors(form, exc)
        else:
            messages.success(request, _("Rule “%(name)s” saved.") % {"name": saved.name})
            return redirect(kind.url("edit", saved.pk))
    return render_settings(
        request,
        "automation/rules/edit.html",
        {
            "kind": kind,
            "rule": rule,
            "form": form,
            "title": kind.edit_title if rule else kind.new_title,
            "builder": builder_catalog(allow_changes=kind.model is WorkflowRule, user=request.user),
            "builder_errors": paths,
            "runs": _runs(rule) if rule is not None else [],
            "view_criteria": _view_criteria(rule),
        },
        nav=_nav(kind),
        status=422 if paths or form.errors else 200,
    )


def _view_criteria(rule: RuleBase | None) -> str | None:
    """The rule's conditions for "Create a view from these conditions" (a ticket list shows the tickets
    they match now); ``None`` when they read a change (``changed*``), which no list can."""
    if rule is None or uses_changes(rule.criteria or {"all": []}):
        return None
    return json.dumps(rule.criteria or {"all": []}, ensure_ascii=False)


def _runs(rule: RuleBase) -> list[dict[str, Any]]:
    describer = Describer()
    return [
        {"run": run, "steps": describer.steps(run.actions)} for run in selectors.rule_runs(rule, limit=20)
    ]


@agent_required(permissions.SETTINGS_MANAGE)
def rule_new(request: HttpRequest, kind: str) -> HttpResponse:
    found = _kind(kind)
    return _editor(request, found, None)


@agent_required(permissions.SETTINGS_MANAGE)
def rule_edit(request: HttpRequest, kind: str, rule_id: int) -> HttpResponse:
    found = _kind(kind)
    return _editor(request, found, _rule(found, rule_id))


@agent_required(permissions.SETTINGS_MANAGE)
@require_POST
def rule_delete(request: HttpRequest, kind: str, rule_id: int) -> HttpResponse:
    found = _kind(kind)
    rule = _rule(found, rule_id)
    services.rule_delete(actor=actor_of(request), rule=rule)
    messages.success(request, _("Rule “%(name)s” deleted.") % {"name": rule.name})
    return redirect(found.url("list"))


@agent_required(permissions.SETTINGS_MANAGE)
@require_POST
def rule_toggle(request: HttpRequest, kind: str, rule_id: int) -> HttpResponse:
    """Switch a rule on or off from the list (HTMX swaps the row)."""
    found = _kind(kind)
    rule = services.rule_set_enabled(
        actor=actor_of(request), rule=_rule(found, rule_id), enabled=request.POST.get("enabled") == "1"
    )
    if request.headers.get("HX-Request"):
        return render(
            request, "automation/rules/partials/row.html", {"kind": found, "rule": _rule(found, rule.pk)}
        )
    return redirect(found.url("list"))


@agent_required(permissions.SETTINGS_MANAGE)
@require_POST
def rules_reorder(request: HttpRequest, kind: str) -> HttpResponse:
    found = _kind(kind)
    try:
        ids = [int(value) for value in request.POST.getlist("ids")]
    except ValueError:
        return JsonResponse({"error": _("The order is not valid.")}, status=422)
    try:
        services.rules_reorder(actor=actor_of(request), model=found.model, ids=ids)
    except ValidationFailed as exc:
        return JsonResponse({"error": exc.message, "fields": exc.fields}, status=422)
    return JsonResponse({"ids": ids})


@agent_required(permissions.SETTINGS_MANAGE)
@require_POST
def rule_dry_run(request: HttpRequest, kind: str) -> HttpResponse:
    """“Test against recent tickets”: the builder's current definition, evaluated without writing."""
    found = _kind(kind)
    form = _form(request, found, None)
    form.is_valid()
    context: dict[str, Any] = {"kind": found}
    criteria_field, actions_field = form.cleaned_data.get("criteria"), form.cleaned_data.get("actions")
    try:
        context["result"] = dry_run(
            user=request.user,
            criteria=criteria_field,
            actions=actions_field,
            allow_changes=found.model is WorkflowRule,
        )
    except ValidationFailed as exc:
        context["errors"] = exc.fields
    return render(request, "automation/rules/partials/dry_run.html", context)
