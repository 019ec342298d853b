"""Reading skills: the list with who carries each, in one query per relation."""

from __future__ import annotations

from django.db.models import QuerySet

from kefu.automation.models import Skill


def skill_list() -> QuerySet[Skill]:
    return Skill.objects.prefetch_related("agents").order_by("name", "id")


def skill_get(skill_id: int) -> Skill | None:
    return skill_list().filter(pk=skill_id).first()


def agent_skill_ids(agent_id: int) -> list[int]:
    """The skills of the agent whose user id is ``agent_id``."""
    return list(Skill.objects.filter(agents__user_id=agent_id).order_by("id").values_list("id", flat=True))
