"""Creating, changing, reordering and deleting SLA policies.

A definition is validated as a whole and refused with every problem named by its path
(``criteria.all[0].value``, ``targets[1].resolution_minutes``, ``escalations[0].actions[0].type``), and
stored cleaned (criteria and actions with names resolved to ids). Only agents with the settings right
manage policies. Saving a policy, a target or a level bumps the catalogue version, so every process
reloads the policies before its next ticket write; tickets already running keep their timers until their
next relevant change re-applies the policy (a new priority, department or matching policy).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from kefu.automation.actions import clean_actions
from kefu.automation.criteria import clean as clean_criteria
from kefu.core.actors import Actor, Source
from kefu.core.audit import audit_record
from kefu.core.errors import PermissionDenied, ValidationFailed
from kefu.org import permissions
from kefu.org.selectors import active_department_get, agent_access
from kefu.sla.inputs import PolicyInput
from kefu.sla.models import BusinessCalendar, SlaEscalation, SlaPolicy, SlaTarget, Target
from kefu.tickets.selectors import priority_list

MAX_MINUTES = 366 * 24 * 60
"""A target or an offset of at most a year."""
MAX_TARGETS = 50
MAX_LEVELS = 30
MINUTE_FIELDS = ("first_response_minutes", "next_response_minutes", "resolution_minutes")
TARGET_KEYS = frozenset({"priority_id", *MINUTE_FIELDS, "business_time"})
LEVEL_KEYS = frozenset({"target", "offset_minutes", "actions"})


def authorize_policies(actor: Actor) -> None:
    """Policies decide every ticket's due dates: only agents with the settings right manage them."""
    if not (actor.is_agent and agent_access(actor.user).can(permissions.SETTINGS_MANAGE)):
        raise PermissionDenied(_("You do not have permission to do this."))


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _unknown_keys(item: dict[str, Any], allowed: frozenset[str], path: str, errors: dict[str, str]) -> bool:
    unknown = sorted(set(item) - allowed)
    for key in unknown:
        errors[f"{path}.{key}"] = _("Unknown field.")
    return bool(unknown)


def clean_targets(raw: Any, errors: dict[str, str]) -> list[dict[str, Any]]:
    """``[{"priority_id", "first_response_minutes", "next_response_minutes", "resolution_minutes",
    "business_time"}]``: one per priority, each with at least one target of 1 minute to a year."""
    if raw is None:
        raw = []
    if not isinstance(raw, list):
        errors["targets"] = _("Enter a list.")
        return []
    if len(raw) > MAX_TARGETS:
        errors["targets"] = _("Enter at most %(limit)d items.") % {"limit": MAX_TARGETS}
        return []
    priorities = {priority.pk for priority in priority_list()}
    seen: set[int] = set()
    cleaned: list[dict[str, Any]] = []
    for index, item in enumerate(raw):
        path = f"targets[{index}]"
        if not isinstance(item, dict):
            errors[path] = _("Enter an object.")
            continue
        if _unknown_keys(item, TARGET_KEYS, path, errors):
            continue
        priority_id = item.get("priority_id")
        if not _is_int(priority_id):
            errors[f"{path}.priority_id"] = _("Enter an id.")
        elif priority_id not in priorities:
            errors[f"{path}.priority_id"] = _("Unknown id %(id)s.") % {"id": priority_id}
        elif priority_id in seen:
            errors[f"{path}.priority_id"] = _("Each priority can have one target only.")
        else:
            seen.add(priority_id)
        row: dict[str, Any] = {"priority_id": priority_id}
        for name in MINUTE_FIELDS:
            value = item.get(name)
            if value is not None and not (_is_int(value) and 1 <= value <= MAX_MINUTES):
                errors[f"{path}.{name}"] = _("Enter a whole number of minutes from 1 to %(limit)d.") % {
                    "limit": MAX_MINUTES
                }
            row[name] = value
        if all(row[name] is None for name in MINUTE_FIELDS) and not any(
            key.startswith(path) for key in errors
        ):
            errors[path] = _("Give at least one target.")
        business = item.get("business_time", True)
        if not isinstance(business, bool):
            errors[f"{path}.business_time"] = _("Enter true or false.")
        row["business_time"] = business
        cleaned.append(row)
    return cleaned


def clean_escalations(raw: Any, errors: dict[str, str]) -> list[dict[str, Any]]:
    """``[{"target", "offset_minutes", "actions"}]``: an offset before (< 0), at (0) or after (> 0) the
    target's due date, and at least one action of the automation registry."""
    if raw is None:
        raw = []
    if not isinstance(raw, list):
        errors["escalations"] = _("Enter a list.")
        return []
    if len(raw) > MAX_LEVELS:
        errors["escalations"] = _("Enter at most %(limit)d items.") % {"limit": MAX_LEVELS}
        return []
    cleaned: list[dict[str, Any]] = []
    for index, item in enumerate(raw):
        path = f"escalations[{index}]"
        if not isinstance(item, dict):
            errors[path] = _("Enter an object.")
            continue
        if _unknown_keys(item, LEVEL_KEYS, path, errors):
            continue
        target = item.get("target")
        if target not in Target.values:
            errors[f"{path}.target"] = _("Choose one of: %(choices)s.") % {
                "choices": ", ".join(Target.values)
            }
        offset = item.get("offset_minutes")
        if not (
            isinstance(offset, int) and not isinstance(offset, bool) and -MAX_MINUTES <= offset <= MAX_MINUTES
        ):
            errors[f"{path}.offset_minutes"] = _(
                "Enter a whole number of minutes from %(low)d to %(high)d."
            ) % {
                "low": -MAX_MINUTES,
                "high": MAX_MINUTES,
            }
        actions, action_errors = clean_actions(item.get("actions"), root=f"{path}.actions")
        errors.update(action_errors)
        if not action_errors and not actions:
            errors[f"{path}.actions"] = _("Add at least one action.")
        cleaned.append({"target": target, "offset_minutes": offset, "actions": actions})
    return cleaned


def _clean(data: PolicyInput, current: SlaPolicy | None) -> tuple[dict[str, Any], dict[str, Any]]:
    """``(policy attributes, {"targets": …, "escalations": …} when given)`` or ``ValidationFailed``."""
    given = data.given if current is not None else None

    def wanted(name: str) -> bool:
        return given is None or name in given

    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    children: dict[str, Any] = {}
    if wanted("name"):
        name = (data.name or "").strip()
        if not name:
            errors["name"] = _("This field is required.")
        elif len(name) > 200:
            errors["name"] = _("Enter at most %(limit)d characters.") % {"limit": 200}
        values["name"] = name
    if wanted("department_id"):
        if data.department_id is None:
            errors["department_id"] = _("This field is required.")
        elif not _is_int(data.department_id) or active_department_get(data.department_id) is None:
            errors["department_id"] = _("Unknown id %(id)s.") % {"id": data.department_id}
        values["department_id"] = data.department_id
    if wanted("order") and data.order is not None:
        if not _is_int(data.order) or data.order < 0:
            errors["order"] = _("Enter a number of 0 or more.")
        values["order"] = data.order
    if wanted("enabled"):
        values["enabled"] = bool(data.enabled)
    if wanted("business_hours_id"):
        calendar_id = data.business_hours_id
        if calendar_id is not None and (
            not _is_int(calendar_id) or not BusinessCalendar.objects.filter(pk=calendar_id).exists()
        ):
            errors["business_hours_id"] = _("Unknown id %(id)s.") % {"id": calendar_id}
        values["business_hours_id"] = calendar_id
    if wanted("criteria"):
        criteria, criteria_errors = clean_criteria(data.criteria, allow_changes=False)
        errors.update(criteria_errors)
        values["criteria"] = criteria
    if wanted("targets"):
        children["targets"] = clean_targets(data.targets, errors)
    if wanted("escalations"):
        children["escalations"] = clean_escalations(data.escalations, errors)
    if errors:
        raise ValidationFailed(_("The SLA policy is not valid."), fields=errors)
    return values, children


def _write_children(policy: SlaPolicy, children: dict[str, Any]) -> None:
    if "targets" in children:
        policy.targets.all().delete()
        SlaTarget.objects.bulk_create(SlaTarget(policy=policy, **row) for row in children["targets"])
    if "escalations" in children:
        policy.escalations.all().delete()
        SlaEscalation.objects.bulk_create(
            SlaEscalation(policy=policy, **row) for row in children["escalations"]
        )


def _audit(actor: Actor, action: str, policy: SlaPolicy, changes: dict[str, Any]) -> None:
    audit_record(actor=actor, source=Source.WEB, action=action, obj=policy, changes=changes)


def policy_create(*, actor: Actor, data: PolicyInput) -> SlaPolicy:
    """Add a policy, by default at the end of its department's order."""
    authorize_policies(actor)
    values, children = _clean(data, None)
    with transaction.atomic():
        if values.get("order") is None:
            highest = SlaPolicy.objects.filter(department_id=values["department_id"]).aggregate(
                highest=Max("order")
            )["highest"]
            values["order"] = 0 if highest is None else highest + 1
        policy = SlaPolicy.objects.create(**values)
        _write_children(policy, children)
        _audit(actor, "sla_policy.created", policy, {"name": policy.name})
    return policy


def policy_update(*, actor: Actor, policy: SlaPolicy, data: PolicyInput) -> SlaPolicy:
    authorize_policies(actor)
    values, children = _clean(data, policy)
    with transaction.atomic():
        changed: dict[str, Any] = {
            name: {"from": getattr(policy, name), "to": value}
            for name, value in values.items()
            if getattr(policy, name) != value
        }
        for name, value in values.items():
            setattr(policy, name, value)
        policy.save()
        _write_children(policy, children)
        changed.update({name: {"to": rows} for name, rows in children.items()})
        _audit(actor, "sla_policy.updated", policy, changed)
    return policy


def policy_delete(*, actor: Actor, policy: SlaPolicy) -> None:
    """Delete a policy. Its tickets keep the due dates they have until their next relevant change."""
    authorize_policies(actor)
    with transaction.atomic():
        _audit(actor, "sla_policy.deleted", policy, {"name": policy.name})
        policy.delete()


def policies_reorder(*, actor: Actor, department_id: int, ids: list[int]) -> None:
    """Put a department's policies in the order of ``ids``, which must name each of them exactly once."""
    authorize_policies(actor)
    with transaction.atomic():
        policies = {policy.pk: policy for policy in SlaPolicy.objects.filter(department_id=department_id)}
        if len(ids) != len(set(ids)) or set(ids) != set(policies):
            raise ValidationFailed(
                _("The order is not valid."),
                fields={"ids": _("Give the id of every policy of the department exactly once.")},
            )
        moved = []
        for position, pk in enumerate(ids):
            policy = policies[pk]
            if policy.order != position:
                policy.order = position
                moved.append(policy)
        for policy in moved:
            policy.save(update_fields=["order", "updated_at"])
        if moved:
            _audit(actor, "sla_policy.reordered", moved[0], {"order": {"to": ids}})
