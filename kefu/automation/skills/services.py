"""Writing skills and which agents carry them.

Administrators (``settings.manage``) define skills; whoever manages agents (``agent.manage``) says who
carries them. Agents are named by their user id, as everywhere in the API.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from kefu.automation.models import Skill
from kefu.core.actors import Actor, Source
from kefu.core.audit import audit_record
from kefu.core.errors import Conflict, NotFound, ValidationFailed
from kefu.org import permissions
from kefu.org.models import Agent
from kefu.org.services.common import require_permission, required


def _clean(errors: dict[str, str], *, name: str, name_en: str, description: str) -> dict[str, Any]:
    values = {"name": required(errors, "name", name), "name_en": name_en.strip(), "description": description}
    for field in ("name", "name_en"):
        if len(values[field]) > 100:
            errors[field] = _("Enter at most 100 characters.")
    return values


def _agents(errors: dict[str, str], agent_ids: Iterable[int], field: str = "agent_ids") -> list[Agent]:
    """The agent profiles of ``agent_ids`` (user ids), or an error naming the first unknown one."""
    wanted = list(dict.fromkeys(agent_ids))
    found = {agent.user_id: agent for agent in Agent.objects.filter(user_id__in=wanted)}
    for index, user_id in enumerate(wanted):
        if user_id not in found:
            errors[f"{field}[{index}]"] = _("Unknown agent %(id)s.") % {"id": user_id}
            break
    return [found[user_id] for user_id in wanted if user_id in found]


def _unique_name(name: str, exclude: int | None = None) -> None:
    clash = Skill.objects.filter(name=name)
    if exclude is not None:
        clash = clash.exclude(pk=exclude)
    if clash.exists():
        raise Conflict(_("A skill with this name exists."), fields={"name": _("Already in use.")})


def skill_create(
    *,
    actor: Actor,
    source: Source,
    name: str,
    name_en: str = "",
    description: str = "",
    agent_ids: Iterable[int] = (),
) -> Skill:
    require_permission(actor, permissions.SETTINGS_MANAGE)
    errors: dict[str, str] = {}
    values = _clean(errors, name=name, name_en=name_en, description=description)
    agents = _agents(errors, agent_ids)
    if errors:
        raise ValidationFailed(_("The skill is not valid."), fields=errors)
    _unique_name(values["name"])
    with transaction.atomic():
        skill = Skill.objects.create(**values)
        skill.agents.set(agents)
        audit_record(
            actor=actor,
            source=source,
            action="skill.created",
            obj=skill,
            changes={"name": values["name"], "agent_ids": [a.user_id for a in agents]},
        )
    return skill


def skill_update(
    *,
    actor: Actor,
    source: Source,
    skill_id: int,
    name: str,
    name_en: str = "",
    description: str = "",
    agent_ids: Iterable[int] | None = None,
) -> Skill:
    """Rename or re-describe a skill; ``agent_ids`` (when given) replaces who carries it."""
    require_permission(actor, permissions.SETTINGS_MANAGE)
    skill = Skill.objects.filter(pk=skill_id).first()
    if skill is None:
        raise NotFound(_("No such skill."))
    errors: dict[str, str] = {}
    values = _clean(errors, name=name, name_en=name_en, description=description)
    agents = _agents(errors, agent_ids) if agent_ids is not None else None
    if errors:
        raise ValidationFailed(_("The skill is not valid."), fields=errors)
    _unique_name(values["name"], exclude=skill.pk)
    with transaction.atomic():
        for field, value in values.items():
            setattr(skill, field, value)
        skill.save()
        if agents is not None:
            skill.agents.set(agents)
        audit_record(actor=actor, source=source, action="skill.updated", obj=skill, changes=values)
    return skill


def skill_delete(*, actor: Actor, source: Source, skill_id: int) -> None:
    """Delete a skill; rules that required it no longer do."""
    require_permission(actor, permissions.SETTINGS_MANAGE)
    skill = Skill.objects.filter(pk=skill_id).first()
    if skill is None:
        raise NotFound(_("No such skill."))
    with transaction.atomic():
        audit_record(
            actor=actor, source=source, action="skill.deleted", obj=skill, changes={"name": skill.name}
        )
        skill.delete()


def agent_skills_set(*, actor: Actor, source: Source, agent_id: int, skill_ids: Iterable[int]) -> list[Skill]:
    """Replace the skills of one agent (``agent_id`` is the user id); returns them by name."""
    require_permission(actor, permissions.AGENT_MANAGE)
    agent = Agent.objects.filter(user_id=agent_id).first()
    if agent is None:
        raise NotFound(_("No such agent."))
    wanted = list(dict.fromkeys(skill_ids))
    skills = {skill.pk: skill for skill in Skill.objects.filter(pk__in=wanted)}
    for index, skill_id in enumerate(wanted):
        if skill_id not in skills:
            raise ValidationFailed(
                _("The skills are not valid."),
                fields={f"skill_ids[{index}]": _("Unknown skill %(id)s.") % {"id": skill_id}},
            )
    with transaction.atomic():
        agent.skills.set(skills.values())
        audit_record(
            actor=actor,
            source=source,
            action="agent.skills_set",
            obj=agent,
            changes={"skill_ids": sorted(skills)},
        )
    return sorted(skills.values(), key=lambda skill: skill.name)
