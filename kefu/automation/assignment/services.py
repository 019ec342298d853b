"""Writing assignment rules: create, change, delete, reorder — each validated, naming the bad part.

Only administrators (``settings.manage``) write rules. A rule's chosen agents must work in its
department, its team and fallback must belong to it, and its criteria go through the criteria engine's
validation, so that a rule that is saved can always run.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from kefu.automation.assignment.inputs import AssignmentRuleInput
from kefu.automation.assignment.matching import clean_criteria
from kefu.automation.models import AssignmentPointer, AssignmentRule, AssignmentRuleAgent, Skill
from kefu.core.actors import Actor, Source
from kefu.core.audit import audit_record
from kefu.core.catalog_cache import catalog_changed
from kefu.core.errors import NotFound, ValidationFailed
from kefu.org import permissions
from kefu.org.models import Agent, Department, Team
from kefu.org.services.common import require_permission, required

MAX_CAP = 10_000


def _works_in(department_id: int, user_ids: Sequence[int]) -> set[int]:
    """Of ``user_ids``, the active agents who work in the department."""
    return set(
        Agent.objects.filter(
            user_id__in=list(user_ids), user__is_active=True, departments=department_id
        ).values_list("user_id", flat=True)
    )


def _team(errors: dict[str, str], key: str, team_id: int | None, department_id: int | None) -> Team | None:
    if team_id is None:
        return None
    team = Team.objects.filter(pk=team_id).first()
    if team is None:
        errors[key] = _("Unknown team %(id)s.") % {"id": team_id}
    elif department_id is not None and team.department_id != department_id:
        errors[key] = _("The team belongs to another department.")
    return team


def _targets(errors: dict[str, str], data: AssignmentRuleInput, department_id: int | None) -> dict[str, Any]:
    agent_ids = list(data.agent_ids)
    if len(set(agent_ids)) != len(agent_ids):
        errors["agent_ids"] = _("An agent appears twice.")
    elif department_id is not None:
        working = _works_in(department_id, agent_ids)
        for index, user_id in enumerate(agent_ids):
            if user_id not in working:
                errors[f"agent_ids[{index}]"] = _("Agent %(id)s does not work in the rule's department.") % {
                    "id": user_id
                }
                break
    team = _team(errors, "team_id", data.team_id, department_id)
    if data.type == AssignmentRule.Type.DIRECT and (len(agent_ids) + (data.team_id is not None)) != 1:
        errors["agent_ids"] = _("A direct rule assigns to exactly one agent or one team.")
    if data.agent_ids and data.team_id is not None and data.type != AssignmentRule.Type.DIRECT:
        errors["team_id"] = _("Choose agents or a team, not both.")
    skills: list[Skill] = []
    if data.type == AssignmentRule.Type.SKILLS:
        found = {skill.pk: skill for skill in Skill.objects.filter(pk__in=data.skill_ids)}
        if not data.skill_ids:
            errors["skill_ids"] = _("A skills rule needs at least one skill.")
        for index, skill_id in enumerate(data.skill_ids):
            if skill_id not in found:
                errors[f"skill_ids[{index}]"] = _("Unknown skill %(id)s.") % {"id": skill_id}
                break
        skills = list(found.values())
    elif data.skill_ids:
        errors["skill_ids"] = _("Only a skills rule requires skills.")
    return {"agent_ids": agent_ids, "team": team, "skills": skills}


def _fallback(errors: dict[str, str], data: AssignmentRuleInput, department_id: int | None) -> dict[str, Any]:
    fallback = data.fallback
    values: dict[str, Any] = {"fallback": fallback.type, "fallback_team": None, "fallback_agent_id": None}
    if fallback.type not in AssignmentRule.Fallback.values:
        errors["fallback.type"] = _("Choose one of: %(choices)s.") % {
            "choices": ", ".join(AssignmentRule.Fallback.values)
        }
    elif fallback.type == AssignmentRule.Fallback.TEAM:
        if fallback.team_id is None:
            errors["fallback.team_id"] = _("Choose the team.")
        values["fallback_team"] = _team(errors, "fallback.team_id", fallback.team_id, department_id)
    elif fallback.type == AssignmentRule.Fallback.AGENT:
        if fallback.agent_id is None:
            errors["fallback.agent_id"] = _("Choose the agent.")
        elif department_id is not None and not _works_in(department_id, [fallback.agent_id]):
            errors["fallback.agent_id"] = _("Agent %(id)s does not work in the rule's department.") % {
                "id": fallback.agent_id
            }
        values["fallback_agent_id"] = fallback.agent_id
    return values


def _clean(data: AssignmentRuleInput) -> dict[str, Any]:
    errors: dict[str, str] = {}
    name = required(errors, "name", data.name)
    if len(name) > 150:
        errors["name"] = _("Enter at most 150 characters.")
    department = Department.objects.filter(pk=data.department_id).first()
    if department is None:
        errors["department_id"] = _("Unknown department %(id)s.") % {"id": data.department_id}
    department_id = department.pk if department else None
    if data.type not in AssignmentRule.Type.values:
        errors["type"] = _("Choose one of: %(choices)s.") % {"choices": ", ".join(AssignmentRule.Type.values)}
    if data.cap is not None and not 1 <= data.cap <= MAX_CAP:
        errors["cap"] = _("Enter a number between 1 and %(limit)d, or nothing for no cap.") % {
            "limit": MAX_CAP
        }
    if data.order is not None and data.order < 0:
        errors["order"] = _("Enter 0 or more.")
    criteria = clean_criteria(errors, data.criteria)
    targets = _targets(errors, data, department_id)
    fallback = _fallback(errors, data, department_id)
    if errors:
        raise ValidationFailed(_("The assignment rule is not valid."), fields=errors)
    return {
        "values": {
            "name": name,
            "department": department,
            "enabled": data.enabled,
            "criteria": criteria,
            "type": data.type,
            "team": targets["team"],
            "skip_unavailable": data.skip_unavailable,
            "cap": data.cap,
            **fallback,
        },
        "agent_ids": targets["agent_ids"],
        "skills": targets["skills"],
    }


def _save_members(rule: AssignmentRule, agent_ids: list[int], skills: list[Skill]) -> None:
    rule.members.all().delete()
    AssignmentRuleAgent.objects.bulk_create(
        AssignmentRuleAgent(rule=rule, user_id=user_id, position=position)
        for position, user_id in enumerate(agent_ids)
    )
    rule.skills.set(skills)


def _next_order(department_id: int) -> int:
    highest = AssignmentRule.objects.filter(department_id=department_id).aggregate(top=Max("order"))["top"]
    return 0 if highest is None else highest + 1


def _audit_changes(cleaned: dict[str, Any]) -> dict[str, Any]:
    values = cleaned["values"]
    return {
        "name": values["name"],
        "type": values["type"],
        "enabled": values["enabled"],
        "agent_ids": cleaned["agent_ids"],
    }


def assignment_rule_create(*, actor: Actor, source: Source, data: AssignmentRuleInput) -> AssignmentRule:
    require_permission(actor, permissions.SETTINGS_MANAGE)
    cleaned = _clean(data)
    with transaction.atomic():
        department = cleaned["values"]["department"]
        order = data.order if data.order is not None else _next_order(department.pk)
        rule = AssignmentRule.objects.create(order=order, **cleaned["values"])
        _save_members(rule, cleaned["agent_ids"], cleaned["skills"])
        AssignmentPointer.objects.create(rule=rule)
        audit_record(
            actor=actor,
            source=source,
            action="assignment_rule.created",
            obj=rule,
            changes=_audit_changes(cleaned),
        )
    return rule


def _rule(rule_id: int) -> AssignmentRule:
    rule = AssignmentRule.objects.filter(pk=rule_id).first()
    if rule is None:
        raise NotFound(_("No such assignment rule."))
    return rule


def assignment_rule_update(
    *, actor: Actor, source: Source, rule_id: int, data: AssignmentRuleInput
) -> AssignmentRule:
    """Replace a rule's definition. Whose turn is next stays as it was (the pointer is kept)."""
    require_permission(actor, permissions.SETTINGS_MANAGE)
    rule = _rule(rule_id)
    cleaned = _clean(data)
    with transaction.atomic():
        for field, value in cleaned["values"].items():
            setattr(rule, field, value)
        if data.order is not None:
            rule.order = data.order
        elif rule.department_id != cleaned["values"]["department"].pk:
            rule.order = _next_order(cleaned["values"]["department"].pk)
        rule.save()
        _save_members(rule, cleaned["agent_ids"], cleaned["skills"])
        audit_record(
            actor=actor,
            source=source,
            action="assignment_rule.updated",
            obj=rule,
            changes=_audit_changes(cleaned),
        )
    return rule


def assignment_rule_set_enabled(
    *, actor: Actor, source: Source, rule_id: int, enabled: bool
) -> AssignmentRule:
    require_permission(actor, permissions.SETTINGS_MANAGE)
    rule = _rule(rule_id)
    with transaction.atomic():
        rule.enabled = enabled
        rule.save(update_fields=["enabled", "updated_at"])
        audit_record(
            actor=actor,
            source=source,
            action="assignment_rule.updated",
            obj=rule,
            changes={"enabled": enabled},
        )
    return rule


def assignment_rule_delete(*, actor: Actor, source: Source, rule_id: int) -> None:
    require_permission(actor, permissions.SETTINGS_MANAGE)
    rule = _rule(rule_id)
    with transaction.atomic():
        audit_record(
            actor=actor,
            source=source,
            action="assignment_rule.deleted",
            obj=rule,
            changes={"name": rule.name},
        )
        rule.delete()


def assignment_rules_reorder(
    *, actor: Actor, source: Source, department_id: int, rule_ids: Sequence[int]
) -> list[AssignmentRule]:
    """Put the department's rules in the order of ``rule_ids``, which must name each of them once."""
    require_permission(actor, permissions.SETTINGS_MANAGE)
    rules = {rule.pk: rule for rule in AssignmentRule.objects.filter(department_id=department_id)}
    if not Department.objects.filter(pk=department_id).exists():
        raise ValidationFailed(
            _("The order is not valid."),
            fields={"department_id": _("Unknown department %(id)s.") % {"id": department_id}},
        )
    if sorted(rule_ids) != sorted(rules) or len(set(rule_ids)) != len(rule_ids):
        raise ValidationFailed(
            _("The order is not valid."),
            fields={"rule_ids": _("List every rule of the department exactly once.")},
        )
    with transaction.atomic():
        for position, rule_id in enumerate(rule_ids):
            rules[rule_id].order = position
        AssignmentRule.objects.bulk_update(rules.values(), ["order"])
        catalog_changed()  # no save signal for a bulk update: the hook's cached order must change too
        audit_record(
            actor=actor,
            source=source,
            action="assignment_rule.reordered",
            obj=Department.objects.get(pk=department_id),
            changes={"rule_ids": list(rule_ids)},
        )
    return [rules[rule_id] for rule_id in rule_ids]
