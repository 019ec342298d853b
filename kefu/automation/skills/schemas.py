"""The JSON shapes of skills."""

from __future__ import annotations

from ninja import Schema
from pydantic import Field

from kefu.core.api_types import Id, InputSchema, text


class SkillIn(InputSchema):
    name: text(100) = Field(examples=["手机维修"])  # type: ignore[valid-type]
    name_en: text(100) = Field("", examples=["Phone repair"])  # type: ignore[valid-type]
    description: text(2000) = ""  # type: ignore[valid-type]
    agent_ids: list[Id] | None = Field(
        None, max_length=500, description="User ids of the agents who carry it."
    )


class SkillOut(Schema):
    id: int
    name: str
    name_en: str
    description: str
    agent_ids: list[int]


class AgentSkillsIn(InputSchema):
    skill_ids: list[Id] = Field(max_length=500)
