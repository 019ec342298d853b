"""Creating, changing, reordering and deleting workflow and time rules.

Every definition is validated as a whole and refused with every problem named by its path
(``criteria.all[2].value``, ``actions[0].field``); it is stored cleaned (names resolved to ids).
Only agents with the settings right manage rules. Saving any rule bumps the catalogue version, so every
process reloads the enabled rules before its next change.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from kefu.automation.actions import clean_actions
from kefu.automation.criteria import clean as clean_criteria
from kefu.automation.models import TimeRule, Trigger, WorkflowRule
from kefu.automation.models.base import RuleBase
from kefu.automation.workflow.inputs import RuleInput
from kefu.core.actors import Actor, Source
from kefu.core.audit import audit_record
from kefu.core.errors import PermissionDenied, ValidationFailed
from kefu.org import permissions
from kefu.org.selectors import active_department_get, agent_access

R = TypeVar("R", bound=RuleBase)

TRIGGER_FIELDS = (
    "subject", "description", "status", "priority", "type", "department_id", "team_id", "assignee_id",
    "contact_id", "account_id", "brand_id", "parent_id", "channel", "category", "sub_category", "product",
    "language", "tags", "custom_fields",
)  # fmt: skip
"""The fields an ``updated`` trigger can be narrowed to (the ticket API's names)."""


def authorize_rules(actor: Actor) -> None:
    """Rules change how every ticket is handled: only agents with the settings right manage them."""
    if not (actor.is_agent and agent_access(actor.user).can(permissions.SETTINGS_MANAGE)):
        raise PermissionDenied(_("You do not have permission to do this."))


def _is_time(model: type[RuleBase]) -> bool:
    return model is TimeRule


def _clean(model: type[RuleBase], data: RuleInput, current: RuleBase | None) -> dict[str, Any]:
    """The attributes to store, or ``ValidationFailed`` naming every bad part."""
    given = data.given if current is not None else None

    def wanted(name: str) -> bool:
        return given is None or name in given

    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    if wanted("name"):
        name = (data.name or "").strip()
        if not name:
            errors["name"] = _("This field is required.")
        elif len(name) > 200:
            errors["name"] = _("Enter at most %(limit)d characters.") % {"limit": 200}
        values["name"] = name
    if wanted("department_id"):
        if data.department_id is not None and active_department_get(data.department_id) is None:
            errors["department_id"] = _("Unknown id %(id)s.") % {"id": data.department_id}
        values["department_id"] = data.department_id
    if wanted("enabled"):
        values["enabled"] = bool(data.enabled)
    if wanted("order") and data.order is not None:
        if data.order < 0:
            errors["order"] = _("Enter a number of 0 or more.")
        values["order"] = data.order
    if not _is_time(model):
        _clean_trigger(data, current, wanted, values, errors)
    if wanted("criteria"):
        criteria, criteria_errors = clean_criteria(data.criteria, allow_changes=not _is_time(model))
        errors.update(criteria_errors)
        if _is_time(model) and not criteria_errors and not _has_condition(criteria):
            errors["criteria"] = _("A time rule needs at least one condition.")
        values["criteria"] = criteria
    if wanted("actions"):
        actions, action_errors = clean_actions(data.actions)
        errors.update(action_errors)
        if not action_errors and not actions:
            errors["actions"] = _("Add at least one action.")
        values["actions"] = actions
    if errors:
        raise ValidationFailed(_("The rule is not valid."), fields=errors)
    return values


def _has_condition(criteria: dict[str, Any]) -> bool:
    return any("field" in item or _has_condition(item) for items in criteria.values() for item in items)


def _clean_trigger(
    data: RuleInput, current: RuleBase | None, wanted: Any, values: dict[str, Any], errors: dict[str, str]
) -> None:
    trigger = data.trigger if wanted("trigger") else getattr(current, "trigger", "")
    if wanted("trigger"):
        if trigger not in Trigger.values:
            errors["trigger"] = _("Choose one of: %(choices)s.") % {"choices": ", ".join(Trigger.values)}
        values["trigger"] = trigger
    if wanted("trigger_fields") or wanted("trigger"):
        fields = (
            list(data.trigger_fields or [])
            if wanted("trigger_fields")
            else getattr(current, "trigger_fields", [])
        )
        unknown = [name for name in fields if name not in TRIGGER_FIELDS]
        if unknown:
            errors["trigger_fields"] = _("Unknown field %(name)s.") % {"name": unknown[0]}
        elif fields and trigger != Trigger.UPDATED:
            errors["trigger_fields"] = _("Only the “updated” trigger can be narrowed to fields.")
        values["trigger_fields"] = list(dict.fromkeys(fields))


def _audit(actor: Actor, action: str, rule: RuleBase, changes: dict[str, Any] | None = None) -> None:
    audit_record(actor=actor, source=Source.WEB, action=action, obj=rule, changes=changes or {})


def rule_create(*, actor: Actor, model: type[R], data: RuleInput) -> R:
    """Add a rule (by default at the end of the order)."""
    authorize_rules(actor)
    values = _clean(model, data, None)
    with transaction.atomic():
        if values.get("order") is None:
            highest = model.objects.aggregate(highest=Max("order"))["highest"]
            values["order"] = 0 if highest is None else highest + 1
        rule = model.objects.create(**values)
        _audit(actor, f"{model._meta.model_name}.created", rule, {"name": rule.name})
    return rule


def rule_update(*, actor: Actor, rule: R, data: RuleInput) -> R:
    authorize_rules(actor)
    values = _clean(type(rule), data, rule)
    with transaction.atomic():
        changed = {
            name: {"from": getattr(rule, name), "to": value}
            for name, value in values.items()
            if getattr(rule, name) != value
        }
        if not changed:
            return rule
        for name, value in values.items():
            setattr(rule, name, value)
        rule.save()
        _audit(actor, f"{type(rule)._meta.model_name}.updated", rule, changed)
    return rule


def rule_delete(*, actor: Actor, rule: RuleBase) -> None:
    authorize_rules(actor)
    with transaction.atomic():
        _audit(actor, f"{type(rule)._meta.model_name}.deleted", rule, {"name": rule.name})
        rule.delete()


def rules_reorder(*, actor: Actor, model: type[RuleBase], ids: list[int]) -> None:
    """Put the rules in the order of ``ids``, which must name every rule of the kind exactly once."""
    authorize_rules(actor)
    with transaction.atomic():
        existing = set(model.objects.values_list("pk", flat=True))
        if len(ids) != len(set(ids)) or set(ids) != existing:
            raise ValidationFailed(
                _("The order is not valid."), fields={"ids": _("Give the id of every rule exactly once.")}
            )
        rules = {rule.pk: rule for rule in model.objects.all()}
        moved = []
        for position, pk in enumerate(ids):
            rule = rules[pk]
            if rule.order != position:
                rule.order = position
                moved.append(rule)
        # One save per moved rule: the catalogue signal fires and every process reloads the order.
        for rule in moved:
            rule.save(update_fields=["order", "updated_at"])
        if moved:
            audit_record(
                actor=actor,
                source=Source.WEB,
                action=f"{model._meta.model_name}.reordered",
                obj=moved[0],
                changes={"order": {"to": ids}},
            )


def rule_set_enabled(*, actor: Actor, rule: R, enabled: bool) -> R:
    return rule_update(actor=actor, rule=rule, data=RuleInput(enabled=enabled, given=frozenset({"enabled"})))


__all__ = [
    "TRIGGER_FIELDS",
    "WorkflowRule",
    "authorize_rules",
    "rule_create",
    "rule_delete",
    "rule_set_enabled",
    "rule_update",
    "rules_reorder",
]
