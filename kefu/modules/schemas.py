"""The JSON shapes of custom modules and their records."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Schema
from pydantic import Field

from kefu.core.api_types import InputSchema, JsonValue, Text, text


class ModuleFieldIn(InputSchema):
    key: text(64) = Field(examples=["plate"])  # type: ignore[valid-type]
    label: text(100) = Field(examples=["车牌号"])  # type: ignore[valid-type]
    label_en: text(100) = Field("", examples=["Licence plate"])  # type: ignore[valid-type]
    type: text(16) = Field(examples=["text"])  # type: ignore[valid-type]
    required: bool = False
    options: list[text(100)] = Field(default_factory=list, max_length=200)  # type: ignore[valid-type]
    lookup_module: text(40) = Field("", examples=["tickets"])  # type: ignore[valid-type]


class ModuleIn(InputSchema):
    key: text(40) = Field(examples=["vehicles"])  # type: ignore[valid-type]
    name: text(100) = Field(examples=["车辆"])  # type: ignore[valid-type]
    name_en: text(100) = Field("", examples=["Vehicles"])  # type: ignore[valid-type]
    description: text(2000) = ""  # type: ignore[valid-type]
    fields: list[ModuleFieldIn] = Field(default_factory=list, max_length=100)


class ModuleUpdateIn(InputSchema):
    name: text(100) | None = None  # type: ignore[valid-type]
    name_en: text(100) | None = None  # type: ignore[valid-type]
    description: text(2000) | None = None  # type: ignore[valid-type]
    is_active: bool | None = None
    fields: list[ModuleFieldIn] | None = Field(None, max_length=100)


class ModuleFieldOut(Schema):
    key: str
    label: str
    label_en: str
    type: str
    required: bool
    options: list[str]
    lookup_module: str


class ModuleOut(Schema):
    key: str
    name: str
    name_en: str
    description: str
    is_active: bool
    fields: list[ModuleFieldOut]


class ModuleListOut(Schema):
    items: list[ModuleOut]


class RecordIn(InputSchema):
    values: dict[Text, JsonValue] = Field(
        default_factory=dict, examples=[{"make": "丰田", "model": "卡罗拉"}]
    )
    external_id: text(255) = ""  # type: ignore[valid-type]


class RecordPatchIn(InputSchema):
    values: dict[Text, JsonValue] = Field(default_factory=dict)


class RecordOut(Schema):
    id: int
    module: str
    title: str
    values: dict[str, Any]
    external_id: str
    created_at: dt.datetime
    updated_at: dt.datetime


class RecordListOut(Schema):
    items: list[RecordOut]
    next_cursor: str | None


class RecordListIn(Schema):
    q: text(200) | None = None  # type: ignore[valid-type]
    limit: int = Field(25, ge=1, le=100)
    cursor: text(500) | None = None  # type: ignore[valid-type]
