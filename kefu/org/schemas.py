"""The JSON shapes of the organisation."""

from __future__ import annotations

from typing import Literal

from ninja import Schema
from pydantic import Field

from kefu.core.api_types import Id, InputSchema, text
from kefu.org import permissions

RoleKey = Literal[
    permissions.ROLE_ADMINISTRATOR,
    permissions.ROLE_SUPERVISOR,
    permissions.ROLE_AGENT,
    permissions.ROLE_LIGHT_AGENT,
]


class DepartmentOut(Schema):
    id: int
    name: str
    name_en: str
    code: str
    description: str
    is_active: bool
    reopen_within_days: int
    close_parent_with_last_child: bool


class TeamOut(Schema):
    id: int
    department_id: int
    name: str
    description: str


class AgentIn(InputSchema):
    email: text(254, min_length=3) = Field(examples=["li.na@example.com"])  # type: ignore[valid-type]
    name: text(150) = Field("", examples=["李娜"])  # type: ignore[valid-type]
    department_ids: list[Id] = Field(default_factory=list, max_length=100)
    team_ids: list[Id] = Field(default_factory=list, max_length=100)
    role: RoleKey = permissions.ROLE_AGENT  # type: ignore[valid-type]
    language: Literal["zh-hans", "en"] = "zh-hans"
    time_zone: text(64) = "Asia/Shanghai"  # type: ignore[valid-type]


class AgentOut(Schema):
    id: int
    email: str
    name: str
    role: str
    department_ids: list[int]
    team_ids: list[int]
    language: str
    time_zone: str
    availability: str
    is_active: bool
